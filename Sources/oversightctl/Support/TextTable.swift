/// Aligned text tables for the terminal, counting East Asian wide characters (汉字, full-width forms) as two
/// columns, as terminals draw them.
struct TextTable {
    /// Column titles.
    var headers: [String]
    /// Rows of cells; a row shorter than the headers is padded with empty cells.
    var rows: [[String]] = []
    /// Widest a cell may be before it is cut with "…" (in columns).
    var maximumCellWidth = 48
    /// Whether the first line shows the headers (off for key/value blocks).
    var showsHeaders = true

    /// The table as lines joined by newlines, with two spaces between columns and no trailing spaces.
    func render() -> String {
        let cells = ((showsHeaders ? [headers] : []) + rows).map { row in
            (0..<headers.count).map { index in
                Self.truncate(index < row.count ? row[index] : "", to: maximumCellWidth)
            }
        }
        var widths = Array(repeating: 0, count: headers.count)
        for row in cells {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], Self.width(of: cell)) }
        }
        return cells.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                line += cell
                if index < row.count - 1 {
                    line += String(repeating: " ", count: widths[index] - Self.width(of: cell) + 2)
                }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }.joined(separator: "\n")
    }

    /// Display width of `text` in terminal columns.
    static func width(of text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + width(of: $1) }
    }

    /// Display width of one scalar: 0 for combining marks and zero-width characters, 2 for wide ones, else 1.
    static func width(of scalar: Unicode.Scalar) -> Int {
        let value = scalar.value
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if value == 0x200B || (0xFE00...0xFE0F).contains(value) { return 0 }
        let wide: [ClosedRange<UInt32>] = [
            0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
            0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x1F300...0x1F64F,
            0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD,
        ]
        return wide.contains { $0.contains(value) } ? 2 : 1
    }

    /// Cuts `text` to at most `limit` columns, ending with "…" when cut; newlines become spaces.
    static func truncate(_ text: String, to limit: Int) -> String {
        let flat = text.replacingNewlines()
        guard width(of: flat) > limit else { return flat }
        var result = ""
        var used = 0
        for character in flat {
            let characterWidth = width(of: String(character))
            if used + characterWidth > limit - 1 { break }
            result.append(character)
            used += characterWidth
        }
        return result + "…"
    }
}

extension String {
    /// The string with line breaks replaced by spaces, for one-line cells.
    func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}

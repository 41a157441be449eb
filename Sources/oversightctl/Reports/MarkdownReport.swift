/// Renders a report as Markdown for pasting into documents: the same headline, figures and tables as the HTML
/// page, with each chart given as its table of figures.
enum MarkdownReport {
    static func render(_ document: ReportDocument, _ labels: ReportLabels) -> String {
        var lines: [String] = ["# \(inline(document.title))", ""]
        if !document.subtitle.isEmpty { lines += [inline(document.subtitle), ""] }
        lines += ["_\(inline(document.stamp))_", ""]
        for (index, sentence) in document.headline.enumerated() {
            if index > 0 { lines.append(">") }
            lines.append("> \(inline(sentence))")
        }
        lines.append("")
        lines += table(
            ReportTable(
                caption: labels.t("主要数据", "Figures"), headers: document.figures.map { inline($0.0) },
                rows: [document.figures.map(\.1)], numeric: Set(document.figures.indices)))
        for chart in document.charts { lines += table(chart.table) }
        for table in document.tables { lines += self.table(table) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A GitHub-flavoured Markdown table under a `##` heading.
    static func table(_ table: ReportTable) -> [String] {
        var lines = ["## \(inline(table.caption))", ""]
        guard !table.rows.isEmpty else { return lines + ["–", ""] }
        lines.append("| " + table.headers.map(cell).joined(separator: " | ") + " |")
        lines.append(
            "|" + table.headers.indices.map { table.numeric.contains($0) ? " ---: " : " --- " }.joined(separator: "|")
                + "|")
        for row in table.rows {
            lines.append("| " + row.map(cell).joined(separator: " | ") + " |")
        }
        return lines + [""]
    }

    /// Text for a table cell: pipes escaped, line breaks as spaces.
    static func cell(_ text: String) -> String {
        inline(text).replacingOccurrences(of: "|", with: "\\|")
    }

    /// Text on one line, with the characters Markdown would read as markup escaped.
    static func inline(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "\n", "\r": out += " "
            case "\\", "*", "_", "`", "<", ">", "[", "]": out += "\\\(character)"
            default: out.append(character)
            }
        }
        return out
    }
}

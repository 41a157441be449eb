/// Escapes text for XML/XHTML content and attribute values.
enum Markup {
    /// `text` with `& < > " '` replaced by entity references (the five XML knows, so any XML parser reads it).
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}

/// Inline SVG charts drawn by the project: horizontal bars, stacked bars, and monthly bars with a line.
///
/// Each chart is a self-contained `<svg>` element (XML-valid, no script, no external reference) with a fixed
/// `viewBox`; it scales to the width of its box. Coordinates are printed with at most one decimal so the output
/// is the same on every machine.
enum SVGChart {
    /// One series of a stacked or grouped chart: its legend label and colour.
    struct Series {
        var name: String
        var color: String
    }

    /// One bar of a horizontal bar chart.
    struct Bar {
        var label: String
        var value: Double
        /// The figure printed after the bar.
        var text: String
    }

    /// One stacked bar: a label and one value per series; `note` is printed after the bar.
    struct Stack {
        var label: String
        var values: [Int]
        var note: String = ""
    }

    static let width = 560.0
    private static let labelWidth = 150.0
    private static let rowHeight = 20.0
    private static let font =
        "font-family=\"'Noto Sans CJK SC','Noto Sans SC','WenQuanYi Micro Hei','Source Han Sans SC','Microsoft YaHei',sans-serif\""

    /// A number with at most one decimal: 12, 12.5.
    static func number(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10).\(abs(tenths % 10))"
    }

    private static func open(height: Double, title: String, width: Double = Self.width) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(number(width)) \(number(height))\" "
            + "width=\"100%\" role=\"img\" aria-label=\"\(Markup.escape(title))\" \(font) font-size=\"11\">"
            + "<title>\(Markup.escape(title))</title>"
    }

    private static func text(
        _ x: Double, _ y: Double, _ content: String, anchor: String = "start", extra: String = ""
    ) -> String {
        "<text x=\"\(number(x))\" y=\"\(number(y))\" text-anchor=\"\(anchor)\"\(extra)>\(Markup.escape(content))</text>"
    }

    private static func rect(_ x: Double, _ y: Double, _ w: Double, _ h: Double, _ color: String) -> String {
        "<rect x=\"\(number(x))\" y=\"\(number(y))\" width=\"\(number(max(w, 0)))\" height=\"\(number(h))\" "
            + "fill=\"\(color)\"/>"
    }

    /// A label cut to `limit` characters with an ellipsis, so long names stay inside the label column.
    private static func clip(_ label: String, _ limit: Int = 12) -> String {
        label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
    }

    /// Horizontal bars, one per row, scaled to `maximum` (default: the largest value).
    static func bars(title: String, _ bars: [Bar], maximum: Double? = nil, color: String = "#2e75b6") -> String {
        let height = Double(max(bars.count, 1)) * rowHeight + 10
        let top = maximum ?? max(bars.map(\.value).max() ?? 1, 1)
        let plot = width - labelWidth - 100
        var svg = open(height: height, title: title)
        if bars.isEmpty { svg += text(width / 2, 20, "–", anchor: "middle") }
        for (index, bar) in bars.enumerated() {
            let y = 5 + Double(index) * rowHeight
            let w = top > 0 ? plot * bar.value / top : 0
            svg += text(labelWidth - 6, y + 14, clip(bar.label), anchor: "end")
            svg += rect(labelWidth, y + 3, w, rowHeight - 6, color)
            svg += text(labelWidth + w + 4, y + 14, bar.text)
        }
        return svg + "</svg>"
    }

    /// Horizontal stacked bars with a legend on top; every row is scaled to the largest row total.
    static func stacked(title: String, series: [Series], _ stacks: [Stack]) -> String {
        let legendHeight = 22.0
        let height = legendHeight + Double(max(stacks.count, 1)) * rowHeight + 10
        let top = Double(max(stacks.map { $0.values.reduce(0, +) }.max() ?? 1, 1))
        let plot = width - labelWidth - 70
        var svg = open(height: height, title: title)
        svg += legend(series, y: 4)
        if stacks.isEmpty { svg += text(width / 2, legendHeight + 16, "–", anchor: "middle") }
        for (index, stack) in stacks.enumerated() {
            let y = legendHeight + 5 + Double(index) * rowHeight
            svg += text(labelWidth - 6, y + 14, clip(stack.label), anchor: "end")
            var x = labelWidth
            for (value, serie) in zip(stack.values, series) where value > 0 {
                let w = plot * Double(value) / top
                svg += rect(x, y + 3, w, rowHeight - 6, serie.color)
                if w >= 14 {
                    svg += text(x + w / 2, y + 14, "\(value)", anchor: "middle", extra: " fill=\"#ffffff\"")
                }
                x += w
            }
            let total = stack.values.reduce(0, +)
            svg += text(x + 4, y + 14, "\(total)" + (stack.note.isEmpty ? "" : " \(stack.note)"))
        }
        return svg + "</svg>"
    }

    /// Twelve months of grouped bars (one group per month) with one more series drawn as a line, on one scale;
    /// twice as wide as the other charts, for a box spanning the page.
    static func monthly(
        title: String, months: [String], bars: [(series: Series, values: [Int])],
        line: (series: Series, values: [Int])
    ) -> String {
        let width = 2 * Self.width
        let height = 200.0
        let left = 34.0
        let bottom = height - 24
        let plotTop = 30.0
        let all = bars.flatMap(\.values) + line.values
        let top = Double(niceCeiling(all.max() ?? 1))
        let slot = (width - left - 10) / Double(max(months.count, 1))
        var svg = open(height: height, title: title, width: width)
        svg += legend(bars.map(\.series) + [line.series], y: 4)
        for step in 0...4 {
            let value = top * Double(step) / 4
            let y = bottom - (bottom - plotTop) * Double(step) / 4
            svg +=
                "<line x1=\"\(number(left))\" y1=\"\(number(y))\" x2=\"\(number(width - 10))\" y2=\"\(number(y))\" "
                + "stroke=\"#d9d9d9\" stroke-width=\"0.6\"/>"
            svg += text(left - 4, y + 4, number(value), anchor: "end")
        }
        let barWidth = (slot - 8) / Double(max(bars.count, 1))
        for (index, month) in months.enumerated() {
            let x0 = left + Double(index) * slot + 4
            for (series, serie) in bars.enumerated() {
                let value = index < serie.values.count ? serie.values[index] : 0
                let h = (bottom - plotTop) * Double(value) / top
                svg += rect(x0 + Double(series) * barWidth, bottom - h, barWidth - 1, h, serie.series.color)
            }
            svg += text(x0 + (slot - 8) / 2, bottom + 14, month, anchor: "middle")
        }
        let points = line.values.enumerated().map { index, value in
            (left + (Double(index) + 0.5) * slot, bottom - (bottom - plotTop) * Double(value) / top)
        }
        svg +=
            "<polyline fill=\"none\" stroke=\"\(line.series.color)\" stroke-width=\"2\" points=\""
            + points.map { "\(number($0.0)),\(number($0.1))" }.joined(separator: " ") + "\"/>"
        for (point, value) in zip(points, line.values) {
            svg +=
                "<circle cx=\"\(number(point.0))\" cy=\"\(number(point.1))\" r=\"2.5\" fill=\"\(line.series.color)\"/>"
            if value > 0 { svg += text(point.0, point.1 - 5, "\(value)", anchor: "middle") }
        }
        return svg + "</svg>"
    }

    /// A row of coloured squares with series names.
    private static func legend(_ series: [Series], y: Double) -> String {
        var svg = ""
        var x = labelWidth
        if series.count > 4 { x = 34 }
        for serie in series {
            svg += rect(x, y + 2, 10, 10, serie.color)
            svg += text(x + 14, y + 11, serie.name)
            x += 24 + Double(serie.name.unicodeScalars.reduce(0) { $0 + ($1.value > 0x2E80 ? 11 : 6) })
        }
        return svg
    }

    /// The smallest number of the series 1, 2, 4, 8, 10, 20, 40, 80 (and so on) at least `value`: round quarter ticks.
    static func niceCeiling(_ value: Int) -> Int {
        var scale = 1
        while true {
            for step in [1, 2, 4, 8] where step * scale >= max(value, 1) { return step * scale }
            scale *= 10
        }
    }
}

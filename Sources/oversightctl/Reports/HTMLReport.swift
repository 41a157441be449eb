/// Renders a report as one self-contained, printable HTML page (A4), with inline SVG charts.
///
/// The output is well-formed XHTML (polyglot HTML5): every element is closed, every text and attribute value is
/// escaped, and only the five XML entities are used, so an XML parser reads it. No script, no network: the
/// styles are inline and the charts are drawn by `SVGChart`.
enum HTMLReport {
    static func render(_ document: ReportDocument, _ labels: ReportLabels) -> String {
        let e = Markup.escape
        var html = "<!DOCTYPE html>\n"
        html +=
            "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"\(labels.htmlLanguage)\" "
            + "xml:lang=\"\(labels.htmlLanguage)\">\n"
        html += "<head>\n<meta charset=\"utf-8\"/>\n"
        html += "<meta name=\"generator\" content=\"oversightctl\"/>\n"
        html += "<title>\(e(document.title))</title>\n<style>\n\(style)</style>\n</head>\n"
        html += "<body>\n<div class=\"page\">\n<header>\n"
        html += "<h1>\(e(document.title))</h1>\n"
        if !document.subtitle.isEmpty { html += "<p class=\"subtitle\">\(e(document.subtitle))</p>\n" }
        html += "<p class=\"stamp\">\(e(document.stamp))</p>\n</header>\n"
        html += "<section class=\"headline\">\n"
        for (index, sentence) in document.headline.enumerated() {
            html += index == 0 ? "<p class=\"lead\">\(e(sentence))</p>\n" : "<p>\(e(sentence))</p>\n"
        }
        html += "</section>\n<section class=\"figures\">\n"
        for (label, value) in document.figures {
            html += "<div class=\"figure\"><b>\(e(value))</b><span>\(e(label))</span></div>\n"
        }
        html += "</section>\n<section class=\"charts\">\n"
        for chart in document.charts {
            html += "<figure class=\"chart\(chart.wide ? " wide" : "")\">\n"
            html += "<figcaption>\(e(chart.caption))</figcaption>\n\(chart.svg)\n</figure>\n"
        }
        html += "</section>\n"
        for table in document.tables { html += render(table) }
        html += "<footer><p class=\"stamp\">\(e(document.stamp))</p></footer>\n"
        html += "</div>\n</body>\n</html>\n"
        return html
    }

    static func render(_ table: ReportTable) -> String {
        let e = Markup.escape
        var html = "<section class=\"table\">\n<h2>\(e(table.caption))</h2>\n<table>\n<thead><tr>"
        html += table.headers.map { "<th>\(e($0))</th>" }.joined()
        html += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += table.numeric.contains(index) ? "<td class=\"n\">\(e(cell))</td>" : "<td>\(e(cell))</td>"
            }
            html += "</tr>\n"
        }
        if table.rows.isEmpty {
            html += "<tr><td colspan=\"\(table.headers.count)\">–</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n</section>\n"
    }

    /// The page's styles (A4 print layout, two chart columns, compact tables), free of `<` and `&` so XML reads them.
    static let style = """
        @page { size: A4; margin: 12mm; }
        * { box-sizing: border-box; }
        html { background: #ffffff; }
        body { margin: 0; color: #222222; font-size: 10pt; line-height: 1.45;
          font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'WenQuanYi Micro Hei', 'Source Han Sans SC',
            'Microsoft YaHei', 'PingFang SC', sans-serif; }
        .page { max-width: 1180px; margin: 0 auto; padding: 28px 36px; }
        header { border-bottom: 3px solid #c00000; margin-bottom: 10px; padding-bottom: 4px; }
        h1 { font-size: 22pt; color: #1f4e79; margin: 0; letter-spacing: 1px; }
        h2 { font-size: 11.5pt; color: #1f4e79; margin: 14px 0 4px; }
        .subtitle { margin: 2px 0; color: #555555; }
        .stamp { margin: 2px 0; font-size: 8pt; color: #666666; overflow-wrap: anywhere; }
        .headline { background: #f3f6fa; border-left: 5px solid #1f4e79; padding: 8px 14px; margin: 10px 0; }
        .headline p { margin: 2px 0; }
        .headline p.lead { font-size: 12pt; font-weight: bold; color: #1f4e79; }
        .figures { display: flex; flex-wrap: wrap; gap: 8px; margin: 10px 0; }
        .figure { flex: 1 1 0; min-width: 90px; border: 1px solid #d0d8e4; border-radius: 4px; padding: 6px 8px;
          text-align: center; }
        .figure b { display: block; font-size: 18pt; color: #c00000; line-height: 1.2; }
        .figure span { font-size: 8.5pt; color: #444444; }
        .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 10px 24px; }
        .chart { margin: 0; break-inside: avoid; page-break-inside: avoid; }
        .chart.wide { grid-column: 1 / 3; }
        figcaption { font-weight: bold; color: #1f4e79; margin-bottom: 2px; }
        table { border-collapse: collapse; width: 100%; font-size: 8.5pt; }
        th, td { border: 1px solid #bfbfbf; padding: 2px 5px; vertical-align: top; }
        th { background: #dde6f0; font-weight: bold; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        tr { break-inside: avoid; page-break-inside: avoid; }
        footer { margin-top: 12px; border-top: 1px solid #bfbfbf; }
        @media print { .page { max-width: none; padding: 0; } h2 { break-after: avoid; } }

        """
}

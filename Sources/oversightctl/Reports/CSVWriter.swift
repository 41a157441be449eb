import Foundation

/// Writes CSV as Excel opens it: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends.
///
/// A field is quoted when it holds a comma, a double quote, CR or LF (or starts or ends with a space); a double
/// quote inside is doubled. A field starting with `=`, `+`, `-` or `@` gets a leading apostrophe inside the
/// quotes so a spreadsheet shows it as text instead of evaluating it as a formula.
enum CSVWriter {
    /// The UTF-8 byte-order mark.
    static let byteOrderMark = "\u{FEFF}"

    /// The whole file: BOM, header row, data rows, each ended by CRLF.
    static func document(headers: [String], rows: [[String]]) -> String {
        byteOrderMark + ([headers] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    /// One field, quoted when needed.
    static func field(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@".unicodeScalars.contains(first), !isNumber(value) {
            value = "'" + value
        }
        let needsQuotes =
            value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\r" || $0 == "\n" || $0 == "\r\n" })
            || value.hasPrefix(" ") || value.hasSuffix(" ") || value.hasPrefix("'")
        guard needsQuotes else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    private static func isNumber(_ value: String) -> Bool {
        Double(value) != nil
    }
}

/// The boards a year report writes as CSV.
enum CSVBoard: String, CaseIterable {
    case items
    case scorecard
    case suggestions

    /// The board of `report` as a CSV document (headers in the report's language, codes as stored).
    func render(_ report: ReportData.Year, _ l: ReportLabels) -> String {
        switch self {
        case .items: return Self.items(report.items, l)
        case .scorecard:
            let table = ReportDocument.scorecardTable(report.scorecard.lines, l)
            let lines = report.scorecard.lines
            return CSVWriter.document(
                headers: table.headers + [l.t("平均满意率", "Mean rate"), l.t("最近结果", "Latest verdict")],
                rows: zip(table.rows, lines).map { row, line in
                    Array(row.dropLast()) + [
                        Self.share(line.latestRate), Self.share(line.meanRate), line.latestVerdict ?? "",
                    ]
                })
        case .suggestions:
            return CSVWriter.document(
                headers: [
                    l.t("编号", "ID"), l.t("届次", "Session"), l.t("建议号", "Number"), l.t("标题", "Title"),
                    l.t("领衔代表", "Lead deputy"), l.t("承办单位", "Lead unit"), l.t("重点建议", "Key"),
                    l.t("状态", "State"), l.t("提交日期", "Submitted"), l.t("答复期限", "Due"),
                    l.t("答复日期", "Replied"), l.t("答复类别", "Category"), l.t("代表评价", "Rating"),
                ],
                rows: report.suggestions.map {
                    [
                        $0.id, $0.session, $0.number, $0.title, $0.leadDeputy, $0.leadUnit ?? "", l.yesNo($0.key),
                        l.suggestionState($0.state), $0.submittedOn, $0.dueDate ?? "", $0.repliedOn ?? "",
                        $0.category ?? "", $0.rating.map { l.rating($0) } ?? "",
                    ]
                })
        }
    }

    /// An item board as CSV (the year's, a department's or a topic's items).
    static func items(_ items: [ReportData.ItemLine], _ l: ReportLabels) -> String {
        let role = items.contains { $0.role != nil }
        return CSVWriter.document(
            headers: [
                l.t("编号", "ID"), l.t("来源", "From"), l.t("来源类别", "From kind"), l.t("类别", "Kind"),
                l.t("方面", "Aspect"), l.t("内容", "Text"), l.t("牵头部门", "Lead"), l.t("配合部门", "Co-departments"),
            ]
                + (role ? [l.t("角色", "Role")] : [])
                + [
                    l.t("状态", "State"), l.t("提出日期", "Created"), l.t("办理期限", "Due"), l.t("答复日期", "Answered"),
                    l.t("按期答复", "On time"), l.t("验收日期", "Accepted"), l.t("重新办理次数", "Reopened"),
                    l.t("逾期", "Overdue"),
                ],
            rows: items.map { item in
                [
                    item.id, item.parent, item.parentKind, l.itemKind(item.kind), item.aspect, item.text,
                    item.lead ?? "", item.coDepartments.joined(separator: " "),
                ]
                    + (role ? [item.role ?? ""] : [])
                    + [
                        l.itemState(item.state), item.createdOn, item.dueDate ?? "", item.answeredOn ?? "",
                        l.yesNo(item.answeredOnTime), item.acceptedOn ?? "", "\(item.reopenCount)",
                        l.yesNo(item.overdue),
                    ]
            })
    }

    /// A share as a plain decimal with four places (Excel formats it), or empty.
    private static func share(_ value: Double?) -> String {
        guard let value else { return "" }
        let tenThousandths = Int((value * 10000).rounded())
        let fraction = String(tenThousandths % 10000)
        return "\(tenThousandths / 10000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }
}

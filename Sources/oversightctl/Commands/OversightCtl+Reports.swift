import ArgumentParser
import Varlink

extension OversightCtl {
    /// `oversightctl summary --year Y`: the figures a year-end report quotes.
    struct Summary: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the year's figures: topics, inquiries, items, evaluations, suggestions, votes.",
            discussion: """
                Every figure is read from the read models at one log position, printed with the head hash so the \
                summary can be reproduced and checked against the audit log.
                Example: oversightctl summary --year 2024 --as-of 2024-12-31
                """
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "The year to summarize.") var year: Int
        @Option(name: .customLong("as-of"), help: "The day overdue items are counted on (default: today).")
        var asOf: String?

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var parameters: [String: JSONValue] = ["year": .int(Int64(year))]
            if let asOf { parameters["asOf"] = .string(asOf) }
            let reply = try await connection.call("org.oversight.reports.Summary", parameters)
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            CLIOutput.line(SummaryText.render(reply["summary"] ?? .null))
        }
    }
}

extension OversightCtl.Department {
    /// `department scorecard`: each department's follow-through, ranked.
    struct Scorecard: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rank departments: items assigned, answered on time, overdue, accepted, reopened, evaluations.",
            discussion: """
                A department counts every item it is on, as lead or co-department. Ranking: latest satisfaction \
                rate (highest first), then the share of answers given on time, then fewer overdue items; equal \
                figures share a rank.
                Example: oversightctl department scorecard --year 2024 --as-of 2024-12-31
                """
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Count only items and evaluations of this year.") var year: Int?
        @Option(name: .customLong("as-of"), help: "The day overdue items are counted on (default: today).")
        var asOf: String?

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var parameters: [String: JSONValue] = [:]
            if let year { parameters["year"] = .int(Int64(year)) }
            if let asOf { parameters["asOf"] = .string(asOf) }
            let reply = try await connection.call("org.oversight.reports.Scorecard", parameters)
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            let scorecard = reply["scorecard"] ?? .null
            var table = TextTable(headers: [
                "RANK", "CODE", "NAME", "ITEMS", "LEAD", "ANSWERED", "ON TIME", "OVERDUE", "ACCEPTED", "REOPENED",
                "EVALS", "LATEST RATE", "VERDICT",
            ])
            let lines = scorecard["lines"]?.arrayValue ?? []
            table.rows = lines.map { line in
                [
                    SummaryText.int(line["rank"]), line["department"]?.stringValue ?? "",
                    line["name"]?.stringValue ?? "", SummaryText.int(line["assigned"]), SummaryText.int(line["lead"]),
                    SummaryText.int(line["answered"]), SummaryText.int(line["answeredOnTime"]),
                    SummaryText.int(line["overdue"]), SummaryText.int(line["accepted"]),
                    SummaryText.int(line["reopened"]), SummaryText.int(line["evaluations"]),
                    SummaryText.percent(line["latestRate"]), line["latestVerdict"]?.stringValue ?? "-",
                ]
            }
            CLIOutput.line(table.render())
            let year = scorecard["year"]?.intValue.map { "year \($0), " } ?? ""
            CLIOutput.line(
                "\(lines.count) departments; \(year)overdue as of \(scorecard["asOf"]?.stringValue ?? "?"); "
                    + "log position \(SummaryText.int(scorecard["position"]))")
        }
    }
}

/// Renders a year summary as the paragraph-and-figures text a year-end report quotes.
enum SummaryText {
    static func render(_ summary: JSONValue) -> String {
        var lines: [String] = []
        let year = int(summary["year"])
        lines.append(
            "Year \(year) (as of \(summary["asOf"]?.stringValue ?? "?"); log position \(int(summary["position"])), "
                + "head \(summary["headHash"]?.stringValue.map { String($0.prefix(16)) } ?? "")…)")
        let topics = summary["topics"] ?? .null
        lines.append(
            "Supervision topics (监督议题): \(int(topics["total"]))" + breakdown(topics["byKind"]))
        let inquiries = summary["inquiries"] ?? .null
        lines.append(
            "Special inquiries (专题询问): \(int(inquiries["total"])), \(int(inquiries["rounds"])) rounds of questions")
        for inquiry in inquiries["list"]?.arrayValue ?? [] {
            lines.append(
                "  \(inquiry["id"]?.stringValue ?? "") \(inquiry["date"]?.stringValue ?? "") "
                    + "\(inquiry["subject"]?.stringValue ?? ""): \(int(inquiry["rounds"])) rounds, "
                    + "\(int(inquiry["problems"])) problems across \(int(inquiry["departments"])) departments"
                    + (inquiry["meanRoundRate"].flatMap(\.doubleValue).map { ", mean round rate \(percent($0))" } ?? "")
            )
        }
        let items = summary["items"] ?? .null
        lines.append(
            "Tracked items (问题、意见建议): \(int(items["aspects"])) aspects, \(int(items["total"])) items; "
                + "accepted \(int(items["accepted"])) (\(percent(items["resolvedShare"]))), "
                + "overdue \(int(items["overdue"])), answered on time \(percent(items["onTimeShare"]))")
        for kind in items["byKind"]?.arrayValue ?? [] {
            lines.append(
                "  \(kind["kind"]?.stringValue ?? ""): \(int(kind["aspects"])) aspects, \(int(kind["count"])) items")
        }
        let evaluations = summary["evaluations"] ?? .null
        lines.append(
            "Satisfaction evaluations (满意度测评): \(int(evaluations["total"]))"
                + breakdown(evaluations["byVerdict"]) + "; departments evaluated: "
                + "\(int(evaluations["departmentsEvaluated"]))")
        for department in evaluations["departments"]?.arrayValue ?? [] {
            lines.append(
                "  \(department["name"]?.stringValue ?? "") (\(department["department"]?.stringValue ?? "")): "
                    + "\(percent(department["rate"])) \(department["verdict"]?.stringValue ?? "")")
        }
        let suggestions = summary["suggestions"] ?? .null
        lines.append(
            "Deputies' suggestions (代表建议): \(int(suggestions["total"])), assigned \(int(suggestions["assigned"])), "
                + "answered \(int(suggestions["answered"])), key \(int(suggestions["key"])); categories"
                + breakdown(suggestions["byCategory"]) + "; ratings" + breakdown(suggestions["byRating"])
                + ", satisfied \(percent(suggestions["satisfiedShare"]))")
        let votes = summary["votes"] ?? .null
        lines.append(
            "Votes (表决): \(int(votes["total"])), adopted \(int(votes["adopted"])), "
                + "livelihood projects chosen \(int(votes["projectsChosen"]))")
        for vote in votes["resolutions"]?.arrayValue ?? [] {
            let adopted = vote["adopted"]?.boolValue == true ? "adopted" : "not adopted"
            lines.append(
                "  \(vote["title"]?.stringValue ?? ""): \(int(vote["votesFor"])) for, \(int(vote["votesAgainst"])) "
                    + "against, \(int(vote["abstentions"])) abstain, \(adopted)")
        }
        let stations = summary["stations"] ?? .null
        lines.append(
            "Liaison stations (代表联络站): \(int(stations["total"])), receptions \(int(stations["receptions"])), "
                + "people received \(int(stations["peopleReceived"])), items collected in \(year): "
                + "\(int(stations["itemsCollected"]))")
        return lines.joined(separator: "\n")
    }

    /// " (a 1, b 2)" from an array of counts, or "" when empty.
    static func breakdown(_ counts: JSONValue?) -> String {
        let parts = (counts?.arrayValue ?? []).map { "\($0["key"]?.stringValue ?? "") \(int($0["count"]))" }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }

    static func int(_ value: JSONValue?) -> String {
        value?.intValue.map(String.init) ?? "0"
    }

    static func percent(_ value: JSONValue?) -> String {
        value?.doubleValue.map(percent) ?? "-"
    }

    static func percent(_ value: Double) -> String {
        let tenths = (value * 1000).rounded()
        return "\(Int(tenths) / 10).\(Int(tenths) % 10)%"
    }
}

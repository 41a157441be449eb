import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl topic …`: supervision topics through their lifecycle.
    struct Topic: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Plan supervision topics, record their steps, read the board.",
            discussion: """
                Lifecycle: plan → activity (field visits…) → deliberate → transfer (opinions, due date) → report \
                (handling report) → close, or send-back (re-rectification with a new due date) → report → close.
                Dates are YYYY-MM-DD; --date defaults to today.
                """,
            subcommands: [
                Plan.self, Activity.self, Deliberate.self, Transfer.self, Report.self, SendBack.self, Close.self,
                List.self, Show.self,
            ]
        )
    }
}

/// Today's date in the local time zone (TZ), the default of `--date`.
func todayString() -> String {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone.current
    let parts = calendar.dateComponents([.year, .month, .day], from: Date())
    return String(format: "%04d-%02d-%02d", parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1)
}

/// Sends a topic command and prints the topic's new state.
func runTopicCommand(
    _ options: GlobalOptions, method: String, parameters: [String: JSONValue], verb: String
) async throws {
    guard let reply = try await DaemonConnection.request(options, "org.oversight.topics.\(method)", parameters) else {
        return
    }
    let topic = reply["topic"]
    let id = topic?["id"]?.stringValue ?? "?"
    let status = topic?["status"]?.stringValue ?? "?"
    CLIOutput.line("\(verb) \(id): status \(status) (log position \(reply["position"]?.intValue ?? 0))")
}

extension OversightCtl.Topic {
    /// `topic plan`.
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a topic in the year's supervision plan; prints its id.",
            discussion: """
                Kinds: work-report, law-inspection, budget, research, inquiry, follow-up, linked-supervision.
                Example: oversightctl topic plan --year 2024 --kind research --title 养老服务条例实施情况专题调研 \
                --committee 教科文卫委 --department mzj --department wjw
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Option(help: "Year of the supervision plan.") var year: Int
        @Option(help: "Kind of topic (see above).") var kind: String
        @Option(help: "Title of the topic.") var title: String
        @Option(help: "Responsible working committee, e.g. 财经委.") var committee: String?
        @Option(help: "Leader in charge.") var leader: String?
        @Option(
            name: .customLong("department"),
            help: ArgumentHelp("A department under supervision (repeat for several).", valueName: "code"))
        var departments: [String] = []
        @Option(help: "Linked industry chain or theme.") var theme: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "year": .int(Int64(year)), "kind": .string(kind), "title": .string(title),
                "departments": .array(departments.map(JSONValue.string)), "commandId": .string(commandID.value),
            ]
            parameters["committee"] = committee.map(JSONValue.string)
            parameters["leader"] = leader.map(JSONValue.string)
            parameters["theme"] = theme.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.topics.Plan", parameters)
            else { return }
            CLIOutput.line(reply["topic"]?["id"]?.stringValue ?? "?")
        }
    }

    /// `topic activity`.
    struct Activity: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an activity: field visit, inspection, research, symposium or other.",
            discussion:
                "Example: oversightctl topic activity T2024-001 --kind field-visit --date 2024-05-10 --place 舞钢市 --unit 舞钢市民政局 --people-met 12"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Topic id, e.g. T2024-001.") var id: String
        @Option(help: "field-visit, inspection, research, symposium or other.") var kind: String = "field-visit"
        @Option(help: "Day of the activity (YYYY-MM-DD; default today).") var date: String?
        @Option(name: .customLong("place"), help: ArgumentHelp("A place visited (repeat).", valueName: "place"))
        var places: [String] = []
        @Option(name: .customLong("unit"), help: ArgumentHelp("A unit visited (repeat).", valueName: "unit"))
        var units: [String] = []
        @Option(name: .customLong("people-met"), help: "Number of people met.") var peopleMet: Int?
        @Option(help: "What was found or done.") var summary: String?

        func run() async throws {
            var activity: [String: JSONValue] = [
                "kind": .string(kind), "date": .string(date ?? todayString()),
                "places": .array(places.map(JSONValue.string)), "units": .array(units.map(JSONValue.string)),
            ]
            activity["peopleMet"] = peopleMet.map { .int(Int64($0)) }
            activity["summary"] = summary.map(JSONValue.string)
            try await runTopicCommand(
                options, method: "RecordActivity",
                parameters: ["id": .string(id), "activity": .object(activity), "commandId": .string(commandID.value)],
                verb: "Recorded \(kind) on"
            )
        }
    }

    /// `topic deliberate`.
    struct Deliberate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the deliberation at a numbered standing committee session.",
            discussion: "Example: oversightctl topic deliberate T2024-002 --term 12 --session 13 --date 2024-08-19"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Topic id.") var id: String
        @Option(help: "Number of the standing committee (届), e.g. 12.") var term: Int?
        @Option(help: "Number of the session (次会议), e.g. 13.") var session: Int
        @Option(help: "Day of the session (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "session": .int(Int64(session)), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            parameters["term"] = term.map { .int(Int64($0)) }
            try await runTopicCommand(options, method: "Deliberate", parameters: parameters, verb: "Deliberated")
        }
    }

    /// `topic transfer`.
    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transfer the deliberation opinions to the government with a due date.",
            discussion: "Example: oversightctl topic transfer T2024-002 --date 2024-08-30 --due 2024-11-30"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Topic id.") var id: String
        @Option(help: "Day of transfer (YYYY-MM-DD; default today).") var date: String?
        @Option(name: .customLong("due"), help: "Day the handling report is due (YYYY-MM-DD).") var dueDate: String
        @Option(help: "The opinions in brief.") var summary: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "dueDate": .string(dueDate),
                "commandId": .string(commandID.value),
            ]
            parameters["summary"] = summary.map(JSONValue.string)
            try await runTopicCommand(
                options, method: "TransferOpinions", parameters: parameters, verb: "Transferred opinions of")
        }
    }

    /// `topic report`.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Record the government's handling report.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Topic id.") var id: String
        @Option(help: "Day received (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "The report in brief.") var summary: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["summary"] = summary.map(JSONValue.string)
            try await runTopicCommand(
                options, method: "ReceiveHandlingReport", parameters: parameters, verb: "Received handling report of")
        }
    }

    /// `topic send-back`.
    struct SendBack: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-back",
            abstract: "Send the topic back for re-rectification with a new due date."
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Topic id.") var id: String
        @Option(help: "Day decided (YYYY-MM-DD; default today).") var date: String?
        @Option(name: .customLong("due"), help: "New due day of the handling report (YYYY-MM-DD).") var dueDate: String
        @Option(help: "Why the handling was not accepted.") var reason: String

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "dueDate": .string(dueDate),
                "reason": .string(reason), "commandId": .string(commandID.value),
            ]
            try await runTopicCommand(options, method: "SendBack", parameters: parameters, verb: "Sent back")
        }
    }

    /// `topic close`.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close the topic.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Topic id.") var id: String
        @Option(help: "Day closed (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "A closing note.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            try await runTopicCommand(options, method: "Close", parameters: parameters, verb: "Closed")
        }
    }

    /// `topic list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The topic board, with counts by status.",
            discussion: "Example: oversightctl topic list --year 2024 --status opinions-transferred"
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this year.") var year: Int?
        @Option(help: "Only this kind.") var kind: String?
        @Option(help: "Only this status.") var status: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["year"] = year.map { .int(Int64($0)) }
            parameters["kind"] = kind.map(JSONValue.string)
            parameters["status"] = status.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.topics.List", parameters)
            else { return }
            var table = TextTable(headers: ["ID", "KIND", "STATUS", "TITLE", "DEPARTMENTS", "ACTS", "DUE", "LAST"])
            table.rows = (reply["topics"]?.arrayValue ?? []).map { topic in
                [
                    topic["id"]?.stringValue ?? "", topic["kind"]?.stringValue ?? "",
                    topic["status"]?.stringValue ?? "", topic["title"]?.stringValue ?? "",
                    (topic["departments"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","),
                    String(topic["activities"]?.intValue ?? 0), topic["dueDate"]?.stringValue ?? "-",
                    topic["lastActivity"]?.stringValue ?? "-",
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            let counts = (reply["counts"]?.arrayValue ?? []).map {
                "\($0["status"]?.stringValue ?? "?") \($0["count"]?.intValue ?? 0)"
            }
            CLIOutput.line(
                "\(total) topic\(total == 1 ? "" : "s")" + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", "))
            )
        }
    }

    /// `topic show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One topic with its whole timeline.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Topic id.") var id: String

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.topics.Show", ["id": .string(id)])
            else { return }
            guard let topic = reply["topic"] else { return }
            let fields: [(String, String?)] = [
                ("Topic", topic["id"]?.stringValue), ("Title", topic["title"]?.stringValue),
                ("Year", topic["year"]?.intValue.map(String.init)), ("Kind", topic["kind"]?.stringValue),
                ("Status", topic["status"]?.stringValue), ("Committee", topic["committee"]?.stringValue),
                ("Leader", topic["leader"]?.stringValue),
                (
                    "Departments",
                    (topic["departments"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ", ")
                ),
                ("Theme", topic["theme"]?.stringValue), ("Session", topic["session"]?.stringValue),
                ("Due", topic["dueDate"]?.stringValue), ("Round", topic["round"]?.intValue.map(String.init)),
                ("Activities", topic["activities"]?.intValue.map(String.init)),
            ]
            var block = TextTable(headers: ["", ""])
            block.maximumCellWidth = 100
            block.showsHeaders = false
            block.rows = fields.compactMap { label, value in
                guard let value, !value.isEmpty else { return nil }
                return [label + ":", value]
            }
            CLIOutput.line(block.render())
            CLIOutput.line("")
            var timeline = TextTable(headers: ["POS", "DATE", "EVENT", "BY", "SUMMARY"])
            timeline.maximumCellWidth = 80
            timeline.rows = (reply["timeline"]?.arrayValue ?? []).map { entry in
                [
                    String(entry["position"]?.intValue ?? 0),
                    entry["date"]?.stringValue ?? String((entry["recordedAt"]?.stringValue ?? "").prefix(10)),
                    entry["type"]?.stringValue ?? "", entry["actor"]?.stringValue ?? "",
                    entry["summary"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(timeline.render())
        }
    }
}

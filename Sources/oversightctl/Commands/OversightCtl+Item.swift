import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl item …`: tracked items (problems, recommendations, deliberation opinions).
    struct Item: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record tracked items, follow them to accepted implementation, read the item board.",
            discussion: """
                Lifecycle: add (to a topic, inquiry or station) → assign (lead, co-departments, due date) → answer \
                (each department separately) → accept, or reopen → answer again → accept.
                change-due moves the due date with a reason and an approver; escalate takes the next step of \
                reminder → supervision-notice (--due) → leader-supervision (--leader) → committee-report.
                Overdue is derived from the due date as of a day (--as-of, default today), never stored.
                Dates are YYYY-MM-DD; --date defaults to today.
                """,
            subcommands: [
                Add.self, Assign.self, Answer.self, Accept.self, Reopen.self, ChangeDue.self, Escalate.self,
                List.self, Show.self,
            ]
        )
    }
}

/// Sends an item command and prints the item's new state.
private func runItemCommand(
    _ options: GlobalOptions, method: String, parameters: [String: JSONValue], verb: String
) async throws {
    guard let reply = try await DaemonConnection.request(options, "org.oversight.items.\(method)", parameters) else {
        return
    }
    let item = reply["item"]
    let id = item?["id"]?.stringValue ?? "?"
    let state = item?["state"]?.stringValue ?? "?"
    var line = "\(verb) \(id): state \(state)"
    if let due = item?["dueDate"]?.stringValue { line += ", due \(due)" }
    if let onTime = reply["onTime"]?.boolValue { line += onTime ? ", answered on time" : ", answered late" }
    CLIOutput.line(line + " (log position \(reply["position"]?.intValue ?? 0))")
}

/// The departments of an item for a table cell: "mzj+fgw,kjj" (lead, then co-departments).
private func departmentsCell(_ item: JSONValue) -> String {
    let co = (item["coDepartments"]?.arrayValue ?? []).compactMap(\.stringValue)
    guard let lead = item["lead"]?.stringValue else { return "-" }
    return co.isEmpty ? lead : lead + "+" + co.joined(separator: ",")
}

extension OversightCtl.Item {
    /// `item add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an item of a topic, inquiry or liaison station; prints its id.",
            discussion: """
                Kinds: problem, recommendation, opinion. The parent is a topic (T…), inquiry (Q…) or station (L…) id.
                Example: oversightctl item add --parent Q2024-001 --kind problem --aspect 养老服务设施 \
                --text 农村敬老院设施老化 --lead mzj --co-department fgw --due 2024-11-30 --date 2024-08-30
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Option(help: "The topic, inquiry or station id the item belongs to.") var parent: String
        @Option(help: "problem, recommendation or opinion.") var kind: String
        @Option(help: "The aspect (方面) the item is grouped under.") var aspect: String
        @Option(help: "What the item says.") var text: String
        @Option(help: ArgumentHelp("The lead department.", valueName: "code")) var lead: String?
        @Option(
            name: .customLong("co-department"),
            help: ArgumentHelp("A co-department (repeat for several; needs --lead).", valueName: "code"))
        var coDepartments: [String] = []
        @Option(name: .customLong("due"), help: "Due date of the answer (YYYY-MM-DD).") var dueDate: String?
        @Option(help: "Day the item was drawn up (YYYY-MM-DD; default today); its year is the id's year.")
        var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "parent": .string(parent), "kind": .string(kind), "aspect": .string(aspect), "text": .string(text),
                "coDepartments": .array(coDepartments.map(JSONValue.string)), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            parameters["lead"] = lead.map(JSONValue.string)
            parameters["dueDate"] = dueDate.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.items.Add", parameters) else {
                return
            }
            CLIOutput.line(reply["item"]?["id"]?.stringValue ?? "?")
        }
    }

    /// `item assign`.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign an item to a lead department and co-departments, with a due date.",
            discussion: """
                --due is required when the item has no due date yet; a due date in force is kept (move it with \
                change-due).
                Example: oversightctl item assign I2024-001 --lead mzj --co-department fgw --co-department wjw \
                --due 2024-11-30 --date 2024-09-02
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Item id, e.g. I2024-001.") var id: String
        @Option(help: ArgumentHelp("The lead department.", valueName: "code")) var lead: String
        @Option(
            name: .customLong("co-department"),
            help: ArgumentHelp("A co-department (repeat for several).", valueName: "code"))
        var coDepartments: [String] = []
        @Option(name: .customLong("due"), help: "Due date of the answer (YYYY-MM-DD).") var dueDate: String?
        @Option(help: "Day assigned (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "lead": .string(lead), "coDepartments": .array(coDepartments.map(JSONValue.string)),
                "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["dueDate"] = dueDate.map(JSONValue.string)
            try await runItemCommand(options, method: "Assign", parameters: parameters, verb: "Assigned")
        }
    }

    /// `item answer`.
    struct Answer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a department's answer to an item.",
            discussion: """
                Each department of the item (lead or co) may answer separately. --claimed is resolved, in-progress \
                or cannot-resolve-now (which needs --reason).
                Example: oversightctl item answer I2024-001 --department mzj --claimed in-progress \
                --text 已完成12所敬老院改造 --date 2024-11-20
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Item id.") var id: String
        @Option(help: ArgumentHelp("The answering department.", valueName: "code")) var department: String
        @Option(help: "resolved, in-progress or cannot-resolve-now.") var claimed: String
        @Option(help: "What the department answered.") var text: String
        @Option(help: "Why it cannot be resolved now.") var reason: String?
        @Option(help: "Day of the answer (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "department": .string(department), "claimed": .string(claimed),
                "text": .string(text), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["reason"] = reason.map(JSONValue.string)
            try await runItemCommand(
                options, method: "Answer", parameters: parameters, verb: "Recorded the answer of \(department) to")
        }
    }

    /// `item accept`.
    struct Accept: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Accept an answered item's implementation (closes it).")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Item id.") var id: String
        @Option(help: "Day accepted (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "How the implementation was checked.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            try await runItemCommand(options, method: "Accept", parameters: parameters, verb: "Accepted")
        }
    }

    /// `item reopen`.
    struct Reopen: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Reopen an answered or accepted item.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Item id.") var id: String
        @Option(help: "Why the answer or the implementation is not accepted.") var reason: String
        @Option(help: "Day reopened (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "reason": .string(reason), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            try await runItemCommand(options, method: "Reopen", parameters: parameters, verb: "Reopened")
        }
    }

    /// `item change-due`.
    struct ChangeDue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "change-due",
            abstract: "Move an item's due date, with the reason and who approved it.",
            discussion:
                "Example: oversightctl item change-due I2024-001 --due 2025-01-31 --reason 涉及跨年度预算 --approver 李主任"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Item id.") var id: String
        @Option(name: .customLong("due"), help: "The new due date (YYYY-MM-DD).") var dueDate: String
        @Option(help: "Why the due date moves.") var reason: String
        @Option(help: "Who approved the change.") var approver: String
        @Option(help: "Day of the change (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "dueDate": .string(dueDate), "reason": .string(reason),
                "approver": .string(approver), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            try await runItemCommand(
                options, method: "ChangeDueDate", parameters: parameters, verb: "Changed the due date of")
        }
    }

    /// `item escalate`.
    struct Escalate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take the next escalation step (督办) on an item.",
            discussion: """
                Steps, in order, each once: reminder, supervision-notice (needs --due), leader-supervision (needs \
                --leader), committee-report.
                Example: oversightctl item escalate I2024-001 --step supervision-notice --due 2025-01-15
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Item id.") var id: String
        @Option(help: "reminder, supervision-notice, leader-supervision or committee-report.") var step: String
        @Option(name: .customLong("due"), help: "The new due date of a supervision notice (YYYY-MM-DD).")
        var dueDate: String?
        @Option(help: "The leader of a leader supervision.") var leader: String?
        @Option(help: "A note.") var note: String?
        @Option(help: "Day of the step (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "step": .string(step), "date": .string(date ?? todayString()),
                "commandId": .string(commandID.value),
            ]
            parameters["dueDate"] = dueDate.map(JSONValue.string)
            parameters["leader"] = leader.map(JSONValue.string)
            parameters["note"] = note.map(JSONValue.string)
            try await runItemCommand(options, method: "Escalate", parameters: parameters, verb: "Escalated (\(step))")
        }
    }

    /// `item list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The item board, with counts by state, the number of aspects and of overdue items.",
            discussion: """
                --department matches the lead or a co-department. Overdue (!) is judged as of --as-of (default \
                today): not accepted, not answered since last (re)opened, and the due date before that day.
                Example: oversightctl item list --department mzj --overdue --as-of 2024-12-01
                """
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: ArgumentHelp("Only items of this department (lead or co).", valueName: "code"))
        var department: String?
        @Option(help: "Only this state: open, assigned, answered, accepted, reopened.") var state: String?
        @Flag(help: "Only items overdue as of --as-of.") var overdue = false
        @Option(name: .customLong("as-of"), help: "The day overdue is judged on (YYYY-MM-DD; default today).")
        var asOf: String?
        @Option(help: "Only items of this topic, inquiry or station.") var parent: String?
        @Option(help: "Only items of this aspect.") var aspect: String?
        @Option(help: "Only this year.") var year: Int?
        @Option(help: "Only this kind: problem, recommendation, opinion.") var kind: String?

        func run() async throws {
            var parameters: [String: JSONValue] = ["asOf": .string(asOf ?? todayString())]
            parameters["department"] = department.map(JSONValue.string)
            parameters["state"] = state.map(JSONValue.string)
            parameters["overdue"] = overdue ? .bool(true) : nil
            parameters["parent"] = parent.map(JSONValue.string)
            parameters["aspect"] = aspect.map(JSONValue.string)
            parameters["year"] = year.map { .int(Int64($0)) }
            parameters["kind"] = kind.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.items.List", parameters) else {
                return
            }
            var table = TextTable(
                headers: ["ID", "KIND", "STATE", "DUE", "!", "DEPARTMENTS", "PARENT", "ASPECT", "TEXT"])
            table.maximumCellWidth = 40
            table.rows = (reply["items"]?.arrayValue ?? []).map { item in
                [
                    item["id"]?.stringValue ?? "", item["kind"]?.stringValue ?? "", item["state"]?.stringValue ?? "",
                    item["dueDate"]?.stringValue ?? "-", item["overdue"]?.boolValue == true ? "!" : "",
                    departmentsCell(item), item["parent"]?.stringValue ?? "", item["aspect"]?.stringValue ?? "",
                    item["text"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            let aspects = reply["aspects"]?.intValue ?? 0
            let counts = (reply["counts"]?.arrayValue ?? []).map {
                "\($0["state"]?.stringValue ?? "?") \($0["count"]?.intValue ?? 0)"
            }
            var footer = "\(total) item\(total == 1 ? "" : "s") in \(aspects) aspect\(aspects == 1 ? "" : "s")"
            if !counts.isEmpty { footer += ": " + counts.joined(separator: ", ") }
            if let late = reply["overdue"]?.intValue, let day = reply["asOf"]?.stringValue {
                footer += "; \(late) overdue as of \(day)"
            }
            CLIOutput.line(footer)
        }
    }

    /// `item show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One item with its departments, answers and whole history.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Item id.") var id: String
        @Option(name: .customLong("as-of"), help: "The day overdue is judged on (YYYY-MM-DD; default today).")
        var asOf: String?

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.items.Show", ["id": .string(id), "asOf": .string(asOf ?? todayString())])
            else { return }
            guard let item = reply["item"] else { return }
            let overdue = item["overdue"]?.boolValue == true ? " (overdue as of \(asOf ?? todayString()))" : ""
            let fields: [(String, String?)] = [
                ("Item", item["id"]?.stringValue), ("Kind", item["kind"]?.stringValue),
                ("Parent", item["parent"]?.stringValue.map { "\($0) (\(item["parentKind"]?.stringValue ?? "?"))" }),
                ("Aspect", item["aspect"]?.stringValue), ("Text", item["text"]?.stringValue),
                ("State", item["state"]?.stringValue.map { $0 + overdue }),
                ("Departments", departmentsCell(item)), ("Due", item["dueDate"]?.stringValue),
                ("Created", item["createdOn"]?.stringValue), ("Assigned", item["assignedOn"]?.stringValue),
                ("Accepted", item["acceptedOn"]?.stringValue),
                ("Reopened", (item["reopenCount"]?.intValue).flatMap { $0 > 0 ? "\($0) time(s)" : nil }),
                (
                    "Escalation",
                    item["escalation"]?.stringValue.map { "\($0) on \(item["escalatedOn"]?.stringValue ?? "?")" }
                ),
            ]
            var block = TextTable(headers: ["", ""])
            block.maximumCellWidth = 100
            block.showsHeaders = false
            block.rows = fields.compactMap { label, value in
                guard let value, !value.isEmpty else { return nil }
                return [label + ":", value]
            }
            CLIOutput.line(block.render())
            let answers = reply["answers"]?.arrayValue ?? []
            if !answers.isEmpty {
                CLIOutput.line("")
                var table = TextTable(headers: ["DATE", "DEPARTMENT", "CLAIMED", "ON TIME", "ANSWER"])
                table.maximumCellWidth = 80
                table.rows = answers.map { answer in
                    var text = answer["text"]?.stringValue ?? ""
                    if let reason = answer["reason"]?.stringValue { text += "（\(reason)）" }
                    return [
                        answer["date"]?.stringValue ?? "", answer["department"]?.stringValue ?? "",
                        answer["claimed"]?.stringValue ?? "", answer["onTime"]?.boolValue == true ? "yes" : "late",
                        text,
                    ]
                }
                CLIOutput.line(table.render())
            }
            CLIOutput.line("")
            var history = TextTable(headers: ["POS", "DATE", "EVENT", "BY", "SUMMARY"])
            history.maximumCellWidth = 80
            history.rows = (reply["history"]?.arrayValue ?? []).map { entry in
                [
                    String(entry["position"]?.intValue ?? 0), entry["date"]?.stringValue ?? "",
                    entry["type"]?.stringValue ?? "", entry["actor"]?.stringValue ?? "",
                    entry["summary"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(history.render())
        }
    }
}

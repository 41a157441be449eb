import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl suggestion …`: deputies' suggestions (代表建议) through their lifecycle.
    struct Suggestion: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record deputies' suggestions, their assignment, replies and ratings; read the board.",
            discussion: """
                Lifecycle: submit → assign (reply due in 3 months, 6 with --complex) → reply (category A/B/C/D of \
                the list in force; C needs --reason) → rate (satisfied, basically-satisfied, dissatisfied: \
                re-handling, reply due in 1 month) → close. A wrongly assigned suggestion is returned within 7 \
                working days (oversightd --holiday-calendar) and assigned again. mark-key names a supervising leader.
                Dates are YYYY-MM-DD; --date defaults to today.
                """,
            subcommands: [
                Submit.self, Assign.self, MarkKey.self, Return.self, Reply.self, Rate.self, Close.self, List.self,
                Show.self, Categories.self,
            ]
        )
    }
}

/// Sends a suggestion command and prints the suggestion's new state.
func runSuggestionCommand(
    _ options: GlobalOptions, method: String, parameters: [String: JSONValue], verb: String
) async throws {
    guard let reply = try await DaemonConnection.request(options, "org.oversight.suggestions.\(method)", parameters)
    else { return }
    let suggestion = reply["suggestion"]
    var line = "\(verb) \(suggestion?["id"]?.stringValue ?? "?"): state \(suggestion?["state"]?.stringValue ?? "?")"
    if let due = suggestion?["dueDate"]?.stringValue,
        ["assigned", "rehandling"].contains(suggestion?["state"]?.stringValue ?? "")
    {
        line += ", reply due \(due)"
    }
    CLIOutput.line(line + " (log position \(reply["position"]?.intValue ?? 0))")
}

extension OversightCtl.Suggestion {
    /// `suggestion submit`.
    struct Submit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a submitted suggestion; prints its id.",
            discussion: """
                Example: oversightctl suggestion submit --session 十二届二次 --number 0123 \
                --title 关于加快推进“两城”建设的建议 --deputy 王建国 --co-signer 李梅 --co-signer 赵强 --date 2024-02-20
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Option(help: "The congress session, e.g. 十二届二次.") var session: String
        @Option(help: "The number, unique within the session, e.g. 0123.") var number: String
        @Option(help: "The title.") var title: String
        @Option(name: .customLong("deputy"), help: "The lead deputy (领衔代表).") var leadDeputy: String
        @Option(
            name: .customLong("co-signer"),
            help: ArgumentHelp("A co-signing deputy (附议; repeat for several).", valueName: "name"))
        var coSigners: [String] = []
        @Option(help: "The text of the suggestion.") var text: String?
        @Option(help: "Day submitted (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "session": .string(session), "number": .string(number), "title": .string(title),
                "leadDeputy": .string(leadDeputy), "coSigners": .array(coSigners.map(JSONValue.string)),
                "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["text"] = text.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(options, "org.oversight.suggestions.Submit", parameters)
            else { return }
            CLIOutput.line(reply["suggestion"]?["id"]?.stringValue ?? "?")
        }
    }

    /// `suggestion assign`.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Assign to a lead unit and co-units (交办); the reply is due in 3 months, 6 if complex.",
            discussion: "Example: oversightctl suggestion assign S2024-001 --lead fgw --co kjj --date 2024-03-15"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Suggestion id, e.g. S2024-001.") var id: String
        @Option(name: .customLong("lead"), help: ArgumentHelp("The lead unit (牵头单位).", valueName: "code"))
        var leadUnit: String
        @Option(name: .customLong("co"), help: ArgumentHelp("A co-unit (配合单位; repeat).", valueName: "code"))
        var coUnits: [String] = []
        @Flag(help: "A complex suggestion: the reply is due in 6 months.") var complex = false
        @Option(help: "Day assigned (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "leadUnit": .string(leadUnit),
                "coUnits": .array(coUnits.map(JSONValue.string)), "complex": .bool(complex),
                "commandId": .string(commandID.value),
            ]
            try await runSuggestionCommand(options, method: "Assign", parameters: parameters, verb: "Assigned")
        }
    }

    /// `suggestion mark-key`.
    struct MarkKey: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mark-key",
            abstract: "Make it a key suggestion (重点建议) supervised by a leader (领办).",
            discussion: "Example: oversightctl suggestion mark-key S2024-001 --leader 张明 --date 2024-03-20"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "The supervising leader.") var leader: String
        @Option(help: "Day decided (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "leader": .string(leader),
                "commandId": .string(commandID.value),
            ]
            try await runSuggestionCommand(options, method: "MarkKey", parameters: parameters, verb: "Marked key")
        }
    }

    /// `suggestion return`.
    struct Return: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An assigned unit returns a wrongly assigned suggestion, within 7 working days (退回).",
            discussion:
                "Example: oversightctl suggestion return S2024-001 --unit fgw --reason 不属于本单位职责 --date 2024-03-20"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: ArgumentHelp("The unit returning it.", valueName: "code")) var unit: String
        @Option(help: "Why it is not the unit's business.") var reason: String
        @Option(help: "Day returned (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            let parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "unit": .string(unit),
                "reason": .string(reason), "commandId": .string(commandID.value),
            ]
            try await runSuggestionCommand(options, method: "Return", parameters: parameters, verb: "Returned")
        }
    }

    /// `suggestion reply`.
    struct Reply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the unit's reply (答复) with a category of the list in force.",
            discussion: """
                National categories: A 已解决或基本解决, B 正在解决或列入计划逐步解决, C 因条件限制暂时难以解决 \
                (needs --reason), D 留作参考. See `suggestion categories show`.
                Example: oversightctl suggestion reply S2024-001 --category C --text 已纳入规划 --reason 资金未落实
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "Category letter, e.g. A.") var category: String
        @Option(help: "The reply in brief.") var text: String
        @Option(help: "Why it cannot be solved now (required for C).") var reason: String?
        @Option(name: .customLong("list"), help: ArgumentHelp("Category list (default national).", valueName: "name"))
        var categoryList: String?
        @Option(help: "Day of the reply (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "category": .string(category),
                "text": .string(text), "commandId": .string(commandID.value),
            ]
            parameters["reason"] = reason.map(JSONValue.string)
            parameters["categoryList"] = categoryList.map(JSONValue.string)
            try await runSuggestionCommand(options, method: "Reply", parameters: parameters, verb: "Replied to")
        }
    }

    /// `suggestion rate`.
    struct Rate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the deputy's rating of the reply; dissatisfied sends it back for re-handling.",
            discussion: "Example: oversightctl suggestion rate S2024-001 --rating dissatisfied --comment 未解决实际问题"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "satisfied, basically-satisfied or dissatisfied.") var rating: String
        @Option(help: "The deputy's comment.") var comment: String?
        @Option(help: "Day rated (YYYY-MM-DD; default today).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "rating": .string(rating),
                "commandId": .string(commandID.value),
            ]
            parameters["comment"] = comment.map(JSONValue.string)
            try await runSuggestionCommand(options, method: "Rate", parameters: parameters, verb: "Rated")
        }
    }

    /// `suggestion close`.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Close a replied or rated suggestion.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Suggestion id.") var id: String
        @Option(help: "Day closed (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "A closing note.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            try await runSuggestionCommand(options, method: "Close", parameters: parameters, verb: "Closed")
        }
    }

    /// `suggestion list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The suggestion board, with counts by state, category and rating.",
            discussion: "Example: oversightctl suggestion list --session 十二届二次 --category A --key"
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this session, e.g. 十二届二次.") var session: String?
        @Option(help: "Only this state: unassigned, assigned, replied, rated, rehandling, closed.") var state: String?
        @Option(help: "Only replies in this category, e.g. A.") var category: String?
        @Option(help: "Only this rating: satisfied, basically-satisfied, dissatisfied.") var rating: String?
        @Option(help: ArgumentHelp("Only suggestions assigned to this unit (lead or co).", valueName: "code"))
        var unit: String?
        @Flag(inversion: .prefixedNo, help: "Only key suggestions (--no-key: only the others).") var key: Bool?
        @Option(help: "Only this year.") var year: Int?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["session"] = session.map(JSONValue.string)
            parameters["state"] = state.map(JSONValue.string)
            parameters["category"] = category.map(JSONValue.string)
            parameters["rating"] = rating.map(JSONValue.string)
            parameters["unit"] = unit.map(JSONValue.string)
            parameters["key"] = key.map(JSONValue.bool)
            parameters["year"] = year.map { .int(Int64($0)) }
            guard let reply = try await DaemonConnection.request(options, "org.oversight.suggestions.List", parameters)
            else { return }
            var table = TextTable(
                headers: ["ID", "SESSION", "NO.", "TITLE", "DEPUTY", "LEAD", "STATE", "DUE", "CAT", "RATING", "KEY"])
            table.maximumCellWidth = 40
            table.rows = (reply["suggestions"]?.arrayValue ?? []).map { s in
                [
                    s["id"]?.stringValue ?? "", s["session"]?.stringValue ?? "", s["number"]?.stringValue ?? "",
                    s["title"]?.stringValue ?? "", s["leadDeputy"]?.stringValue ?? "",
                    s["leadUnit"]?.stringValue ?? "-", s["state"]?.stringValue ?? "",
                    s["dueDate"]?.stringValue ?? "-", s["category"]?.stringValue ?? "-",
                    s["rating"]?.stringValue ?? "-", s["key"]?.boolValue == true ? "★" : "",
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            CLIOutput.line("\(total) suggestion\(total == 1 ? "" : "s")")
            for (label, key) in [("by state", "byState"), ("by category", "byCategory"), ("by rating", "byRating")] {
                let counts = (reply[key]?.arrayValue ?? []).map { count in
                    let value = count["value"]?.stringValue ?? ""
                    return "\(value.isEmpty ? "none" : value) \(count["count"]?.intValue ?? 0)"
                }
                if !counts.isEmpty { CLIOutput.line("  \(label): " + counts.joined(separator: ", ")) }
            }
        }
    }

    /// `suggestion show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One suggestion with its replies and history.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Suggestion id.") var id: String

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.suggestions.Show", ["id": .string(id)])
            else { return }
            guard let s = reply["suggestion"] else { return }
            func strings(_ key: String) -> String {
                (s[key]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: "、")
            }
            let fields: [(String, String?)] = [
                ("Suggestion", s["id"]?.stringValue),
                ("Number", "\(s["session"]?.stringValue ?? "") 第\(s["number"]?.stringValue ?? "")号"),
                ("Title", s["title"]?.stringValue), ("Lead deputy", s["leadDeputy"]?.stringValue),
                ("Co-signers", strings("coSigners")), ("Submitted", s["submittedOn"]?.stringValue),
                ("State", s["state"]?.stringValue), ("Lead unit", s["leadUnit"]?.stringValue),
                ("Co-units", strings("coUnits").replacingOccurrences(of: "、", with: ", ")),
                ("Assigned", s["assignedOn"]?.stringValue),
                ("Complex", s["complex"]?.boolValue == true ? "yes" : nil), ("Due", s["dueDate"]?.stringValue),
                ("Round", s["round"]?.intValue.map(String.init)),
                ("Key", s["supervisingLeader"]?.stringValue.map { "yes, supervised by \($0)" }),
                ("Returned", (s["returns"]?.intValue ?? 0) > 0 ? "\(s["returns"]?.intValue ?? 0) time(s)" : nil),
                ("Text", s["text"]?.stringValue),
            ]
            var block = TextTable(headers: ["", ""])
            block.maximumCellWidth = 100
            block.showsHeaders = false
            block.rows = fields.compactMap { label, value in
                guard let value, !value.isEmpty else { return nil }
                return [label + ":", value]
            }
            CLIOutput.line(block.render())
            let replies = reply["replies"]?.arrayValue ?? []
            if !replies.isEmpty {
                CLIOutput.line("")
                var table = TextTable(headers: [
                    "ROUND", "DATE", "CAT", "MEANING", "LIST", "ON TIME", "RATING", "REPLY",
                ])
                table.maximumCellWidth = 60
                table.rows = replies.map { r in
                    [
                        String(r["round"]?.intValue ?? 0), r["date"]?.stringValue ?? "",
                        r["category"]?.stringValue ?? "", r["categoryMeaning"]?.stringValue ?? "",
                        r["categoryList"]?.stringValue ?? "",
                        r["onTime"]?.boolValue.map { $0 ? "yes" : "no" } ?? "-",
                        r["rating"]?.stringValue ?? "-",
                        (r["text"]?.stringValue ?? "") + (r["reason"]?.stringValue.map { " (理由: \($0))" } ?? ""),
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

    /// `suggestion categories …`: the versioned lists of reply categories.
    struct Categories: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define and show versions of the reply category lists (default list: national).",
            subcommands: [Define.self, ShowList.self]
        )
    }
}

extension OversightCtl.Suggestion.Categories {
    /// `suggestion categories define`.
    struct Define: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Define the next version of a category list; replies from --effective-from on use it.",
            discussion: """
                Replies already recorded keep the letter and meaning they were recorded with.
                Example: oversightctl suggestion categories define national --effective-from 2025-01-01 \
                --category A=所提问题已经解决 --category B=正在解决 --category C=暂不具备解决条件 \
                --category D=留作参考 --reason-required C
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "List name, e.g. national.") var name: String
        @Option(
            name: .customLong("category"),
            help: ArgumentHelp("A category as LETTER=MEANING (repeat, in order).", valueName: "letter=meaning"))
        var categories: [String] = []
        @Option(
            name: .customLong("reason-required"),
            help: ArgumentHelp("A letter whose replies must give a reason (repeat).", valueName: "letter"))
        var reasonRequired: [String] = []
        @Option(name: .customLong("effective-from"), help: "First day in force (YYYY-MM-DD; default today).")
        var effectiveFrom: String?

        func validate() throws {
            guard !categories.isEmpty else { throw ValidationError("Give at least one --category LETTER=MEANING.") }
            for category in categories where !category.contains("=") {
                throw ValidationError("--category must be LETTER=MEANING, such as A=已解决或基本解决; not '\(category)'.")
            }
            let letters = Set(categories.map { Self.split($0).letter })
            for letter in reasonRequired where !letters.contains(letter) {
                throw ValidationError("--reason-required \(letter) names no --category.")
            }
        }

        static func split(_ text: String) -> (letter: String, meaning: String) {
            let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (String(parts.first ?? ""), parts.count > 1 ? String(parts[1]) : "")
        }

        func run() async throws {
            let list: [JSONValue] = categories.map { text in
                let (letter, meaning) = Self.split(text)
                return [
                    "letter": .string(letter), "meaning": .string(meaning),
                    "reasonRequired": .bool(reasonRequired.contains(letter)),
                ]
            }
            var parameters: [String: JSONValue] = [
                "name": .string(name), "categories": .array(list), "commandId": .string(commandID.value),
            ]
            parameters["effectiveFrom"] = effectiveFrom.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.suggestions.DefineCategories", parameters)
            else { return }
            let defined = reply["list"]
            CLIOutput.line(
                "Defined \(defined?["name"]?.stringValue ?? name)@\(defined?["version"]?.intValue ?? 0), in force from "
                    + "\(defined?["effectiveFrom"]?.stringValue ?? "?") (log position \(reply["position"]?.intValue ?? 0))"
            )
        }
    }

    /// `suggestion categories show`.
    struct ShowList: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Every version of a category list, oldest first.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "List name (default national).") var name: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["name"] = name.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.suggestions.ShowCategories", parameters)
            else { return }
            let lists = reply["lists"]?.arrayValue ?? []
            if lists.isEmpty { CLIOutput.line("No category list named \(name ?? "national").") }
            for (index, list) in lists.enumerated() {
                if index > 0 { CLIOutput.line("") }
                let builtIn = list["builtIn"]?.boolValue == true
                let reference = "\(list["name"]?.stringValue ?? "?")@\(list["version"]?.intValue ?? 0)"
                CLIOutput.line(
                    builtIn
                        ? "\(reference) (built in)"
                        : "\(reference), in force from \(list["effectiveFrom"]?.stringValue ?? "?")")
                var table = TextTable(headers: ["LETTER", "MEANING", "REASON"])
                table.rows = (list["categories"]?.arrayValue ?? []).map { category in
                    [
                        category["letter"]?.stringValue ?? "", category["meaning"]?.stringValue ?? "",
                        category["reasonRequired"]?.boolValue == true ? "required" : "",
                    ]
                }
                CLIOutput.line(table.render())
            }
        }
    }
}

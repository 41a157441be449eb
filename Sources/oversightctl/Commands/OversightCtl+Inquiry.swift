import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl inquiry …`: special inquiries (专题询问) at committee sessions.
    struct Inquiry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule special inquiries, record their rounds, conclude and transfer them.",
            discussion: """
                Lifecycle: schedule (at a session, possibly in the future) → round (repeat: questioner, respondent, \
                department, question) → conclude → transfer (deliberation opinions to the government, due date).
                Dates are YYYY-MM-DD; a round's --date defaults to the session's day, other --date options to today.
                """,
            subcommands: [Schedule.self, Round.self, Conclude.self, Transfer.self, List.self, Show.self]
        )
    }
}

/// Sends an inquiry command and prints the inquiry's new state.
func runInquiryCommand(
    _ options: GlobalOptions, method: String, parameters: [String: JSONValue], verb: String
) async throws {
    guard let reply = try await DaemonConnection.request(options, "org.oversight.inquiries.\(method)", parameters)
    else { return }
    let inquiry = reply["inquiry"]
    let id = inquiry?["id"]?.stringValue ?? "?"
    let state = inquiry?["state"]?.stringValue ?? "?"
    CLIOutput.line("\(verb) \(id): state \(state) (log position \(reply["position"]?.intValue ?? 0))")
}

extension OversightCtl.Inquiry {
    /// `inquiry schedule`.
    struct Schedule: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Schedule a special inquiry at a committee session; prints its id.",
            discussion: """
                Example: oversightctl inquiry schedule --subject 《河南省养老服务条例》贯彻实施情况 --term 12 --session 13 \
                --date 2024-08-19 --topic T2024-003 --committee 社会建设委
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Option(help: "The subject of the inquiry.") var subject: String
        @Option(help: "Number of the standing committee (届), e.g. 12.") var term: Int?
        @Option(help: "Number of the session (次会议), e.g. 13.") var session: Int
        @Option(help: "Day of the session (YYYY-MM-DD); may be in the future.") var date: String
        @Option(
            name: .customLong("topic"),
            help: ArgumentHelp("The supervision topic the inquiry belongs to.", valueName: "topic-id"))
        var topicID: String?
        @Option(help: "Responsible working committee, e.g. 社会建设委.") var committee: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "subject": .string(subject), "session": .int(Int64(session)), "date": .string(date),
                "commandId": .string(commandID.value),
            ]
            parameters["term"] = term.map { .int(Int64($0)) }
            parameters["topicId"] = topicID.map(JSONValue.string)
            parameters["committee"] = committee.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(options, "org.oversight.inquiries.Schedule", parameters)
            else { return }
            CLIOutput.line(reply["inquiry"]?["id"]?.stringValue ?? "?")
        }
    }

    /// `inquiry round`.
    struct Round: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record the next round: a member asks, a department head answers.",
            discussion: """
                Rounds are numbered 1, 2, 3… in the order recorded; the round's evaluation subject is <id>/<round>.
                Example: oversightctl inquiry round Q2024-001 --questioner 王建军 --respondent 李红 --department mzj \
                --question 农村养老服务设施建设滞后，下一步如何推进？ --answer 年底前实现全覆盖
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Inquiry id, e.g. Q2024-001.") var id: String
        @Option(help: "The committee member who asks (询问人).") var questioner: String
        @Option(help: "The department head who answers (应询人).") var respondent: String
        @Option(help: ArgumentHelp("The respondent's department.", valueName: "code")) var department: String
        @Option(help: "The question.") var question: String
        @Option(help: "The answer in brief.") var answer: String?
        @Option(help: "Day of the round (YYYY-MM-DD; default the session's day).") var date: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "questioner": .string(questioner), "respondent": .string(respondent),
                "department": .string(department), "question": .string(question),
                "commandId": .string(commandID.value),
            ]
            parameters["answerSummary"] = answer.map(JSONValue.string)
            parameters["date"] = date.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.inquiries.RecordRound", parameters)
            else { return }
            let round = reply["round"]
            CLIOutput.line(
                "Recorded round \(round?["round"]?.intValue ?? 0) of \(reply["inquiry"]?["id"]?.stringValue ?? "?"): "
                    + "\(round?["questioner"]?.stringValue ?? "?") → \(round?["respondent"]?.stringValue ?? "?") "
                    + "(\(round?["department"]?.stringValue ?? "?")) (log position \(reply["position"]?.intValue ?? 0))"
            )
        }
    }

    /// `inquiry conclude`.
    struct Conclude: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Conclude the questioning (at least one round is needed).",
            discussion: "Example: oversightctl inquiry conclude Q2024-001 --date 2024-08-19"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Inquiry id.") var id: String
        @Option(help: "Day concluded (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "A note on the conclusion.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["note"] = note.map(JSONValue.string)
            try await runInquiryCommand(options, method: "Conclude", parameters: parameters, verb: "Concluded")
        }
    }

    /// `inquiry transfer`.
    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Transfer the deliberation opinions and the problem list to the government with a due date.",
            discussion: "Example: oversightctl inquiry transfer Q2024-001 --date 2024-08-30 --due 2024-11-30"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Inquiry id.") var id: String
        @Option(help: "Day of transfer (YYYY-MM-DD; default today).") var date: String?
        @Option(name: .customLong("due"), help: "Day the government's answer is due (YYYY-MM-DD).") var dueDate: String
        @Option(help: "The deliberation opinions in brief.") var summary: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "dueDate": .string(dueDate),
                "commandId": .string(commandID.value),
            ]
            parameters["summary"] = summary.map(JSONValue.string)
            try await runInquiryCommand(
                options, method: "Transfer", parameters: parameters, verb: "Transferred opinions of")
        }
    }

    /// `inquiry list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The special inquiries, filtered.",
            discussion: "Example: oversightctl inquiry list --year 2024 --state transferred"
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this year (of the session).") var year: Int?
        @Option(help: "Only this state: scheduled, held, concluded or transferred.") var state: String?
        @Option(
            name: .customLong("topic"), help: ArgumentHelp("Only inquiries of this topic.", valueName: "topic-id"))
        var topicID: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["year"] = year.map { .int(Int64($0)) }
            parameters["state"] = state.map(JSONValue.string)
            parameters["topicId"] = topicID.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.inquiries.List", parameters)
            else { return }
            var table = TextTable(headers: ["ID", "DATE", "SESSION", "STATE", "ROUNDS", "TOPIC", "DUE", "SUBJECT"])
            table.rows = (reply["inquiries"]?.arrayValue ?? []).map { inquiry in
                [
                    inquiry["id"]?.stringValue ?? "", inquiry["date"]?.stringValue ?? "",
                    Self.session(inquiry), inquiry["state"]?.stringValue ?? "",
                    String(inquiry["rounds"]?.intValue ?? 0), inquiry["topicId"]?.stringValue ?? "-",
                    inquiry["dueDate"]?.stringValue ?? "-", inquiry["subject"]?.stringValue ?? "",
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            CLIOutput.line("\(total) inquir\(total == 1 ? "y" : "ies")")
        }

        /// "12/13" (term/session), or "13" without a term.
        static func session(_ inquiry: JSONValue) -> String {
            let number = String(inquiry["sessionNumber"]?.intValue ?? 0)
            guard let term = inquiry["sessionTerm"]?.intValue else { return number }
            return "\(term)/\(number)"
        }
    }

    /// `inquiry show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One special inquiry: its rounds with their ratings, and its problem list with each item's state."
        )

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Inquiry id.") var id: String
        @Option(name: .customLong("as-of"), help: "The day overdue problems are judged on (default: today).")
        var asOf: String?

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.inquiries.Show",
                    ["id": .string(id), "asOf": .string(asOf ?? todayString())])
            else { return }
            guard let inquiry = reply["inquiry"] else { return }
            let fields: [(String, String?)] = [
                ("Inquiry", inquiry["id"]?.stringValue), ("Subject", inquiry["subject"]?.stringValue),
                ("Session", inquiry["session"]?.stringValue), ("State", inquiry["state"]?.stringValue),
                ("Topic", inquiry["topicId"]?.stringValue), ("Committee", inquiry["committee"]?.stringValue),
                ("Rounds", inquiry["rounds"]?.intValue.map(String.init)),
                ("Concluded", inquiry["concludedOn"]?.stringValue), ("Note", inquiry["conclusionNote"]?.stringValue),
                ("Transferred", inquiry["transferredOn"]?.stringValue), ("Due", inquiry["dueDate"]?.stringValue),
                ("Opinions", inquiry["transferSummary"]?.stringValue),
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
            var rounds = TextTable(headers: [
                "ROUND", "DATE", "QUESTIONER", "RESPONDENT", "DEPT", "QUESTION", "ANSWER", "RATE", "VERDICT",
            ])
            rounds.maximumCellWidth = 40
            rounds.rows = (reply["rounds"]?.arrayValue ?? []).map { round in
                [
                    String(round["round"]?.intValue ?? 0), round["date"]?.stringValue ?? "",
                    round["questioner"]?.stringValue ?? "", round["respondent"]?.stringValue ?? "",
                    round["department"]?.stringValue ?? "", round["question"]?.stringValue ?? "",
                    round["answerSummary"]?.stringValue ?? "-",
                    round["rating"]?["rate"]?.doubleValue.map(SummaryText.percent) ?? "-",
                    round["rating"]?["verdict"]?.stringValue ?? "-",
                ]
            }
            CLIOutput.line(rounds.rows.isEmpty ? "No rounds recorded." : rounds.render())
            CLIOutput.line("")
            let problems = reply["problems"]?.arrayValue ?? []
            guard !problems.isEmpty else {
                return CLIOutput.line("No problem list yet (add items with --parent \(id)).")
            }
            var list = TextTable(headers: ["ITEM", "ASPECT", "PROBLEM", "LEAD", "CO", "DUE", "STATE", "!"])
            list.maximumCellWidth = 40
            list.rows = problems.map { problem in
                [
                    problem["id"]?.stringValue ?? "", problem["aspect"]?.stringValue ?? "",
                    problem["text"]?.stringValue ?? "", problem["lead"]?.stringValue ?? "-",
                    (problem["coDepartments"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ","),
                    problem["dueDate"]?.stringValue ?? "-", problem["state"]?.stringValue ?? "",
                    problem["overdue"]?.boolValue == true ? "overdue" : "",
                ]
            }
            CLIOutput.line(list.render())
            CLIOutput.line(
                "Problem list: \(problems.count) problems across \(reply["problemDepartments"]?.intValue ?? 0) departments"
            )
        }
    }
}

import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl evaluation …`: satisfaction evaluations (满意度测评).
    struct Evaluation: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record satisfaction evaluations (满意度测评) and read the evaluation board.",
            discussion: """
                Subjects: --department CODE (a department's work), --inquiry ID --round N [--department CODE] \
                (an inquiry round's answer), --handling-report TOPIC (a topic's handling report; a dissatisfied \
                verdict sends the topic back for re-rectification, due 90 days later unless \
                --re-rectification-due is given), --suggestion ID [--department CODE] (a suggestion's reply).
                Rule: without --rule the daemon's evaluation-rule setting applies, by default: the verdict is \
                satisfied when satisfied votes exceed half of the members entitled, basically satisfied when \
                satisfied + basically satisfied do, else dissatisfied; --rule present \
                counts against those present, --threshold changes one half (e.g. 0.6 or 2/3). A quorum (more than \
                half of those entitled present) is required; the tally must add up to the members present.
                Either record the whole tally at once, or open, cast one ballot per member present, and close.
                """,
            subcommands: [Record.self, Open.self, Cast.self, Close.self, List.self, Show.self]
        )
    }
}

/// The subject options shared by `evaluation record` and `evaluation open`.
struct EvaluationSubjectOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "The department evaluated; with --inquiry or --suggestion, the answering department.", valueName: "code"))
    var department: String?
    @Option(help: ArgumentHelp("The special inquiry whose round is evaluated, e.g. Q2024-001.", valueName: "id"))
    var inquiry: String?
    @Option(help: ArgumentHelp("The inquiry round (1, 2, …); goes with --inquiry.", valueName: "n"))
    var round: Int?
    @Option(
        name: .customLong("handling-report"),
        help: ArgumentHelp("The topic whose handling report is evaluated, e.g. T2024-002.", valueName: "topic"))
    var handlingReport: String?
    @Option(help: ArgumentHelp("The suggestion whose reply is evaluated, e.g. S2024-001.", valueName: "id"))
    var suggestion: String?

    func validate() throws {
        let subjects = [inquiry, handlingReport, suggestion].compactMap { $0 }
        guard subjects.count <= 1 else {
            throw ValidationError("Give one subject: --inquiry, --handling-report or --suggestion, not several.")
        }
        guard !subjects.isEmpty || department != nil else {
            throw ValidationError(
                "Give a subject: --department, --inquiry with --round, --handling-report or --suggestion.")
        }
        guard (inquiry == nil) == (round == nil) else {
            throw ValidationError("--inquiry and --round go together.")
        }
        if handlingReport != nil, department != nil {
            throw ValidationError("A handling report has no --department; leave it out.")
        }
    }

    /// The `Subject` struct of the interface.
    var subject: JSONValue {
        var object: [String: JSONValue] = [:]
        object["department"] = department.map(JSONValue.string)
        if let inquiry {
            object["kind"] = "inquiry-round"
            object["inquiry"] = .string(inquiry)
            object["round"] = round.map { .int(Int64($0)) }
        } else if let handlingReport {
            object["kind"] = "handling-report"
            object["topic"] = .string(handlingReport)
        } else if let suggestion {
            object["kind"] = "suggestion-reply"
            object["suggestion"] = .string(suggestion)
        } else {
            object["kind"] = "department"
        }
        return .object(object)
    }
}

/// The verdict rule options shared by `evaluation record` and `evaluation open`.
struct EvaluationRuleOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Base of the rule: entitled (default) or present; or a whole rule such as present>2/3.",
            valueName: "base"))
    var rule: String?
    @Option(
        help: ArgumentHelp(
            "Share of the base the votes must exceed, strictly between 0 and 1 (default 0.5), e.g. 0.6 or 2/3.",
            valueName: "fraction"))
    var threshold: String?

    func validate() throws {
        _ = try text()
    }

    /// The rule's text for the daemon, or nil for its default.
    func text() throws -> String? {
        switch (rule, threshold) {
        case (nil, nil):
            return nil
        case (nil, let threshold?):
            return "entitled>\(threshold)"
        case (let rule?, let threshold):
            if rule == "entitled" || rule == "present" { return "\(rule)>\(threshold ?? "0.5")" }
            guard threshold == nil else {
                throw ValidationError("--threshold goes with --rule entitled or --rule present, not with \(rule).")
            }
            return rule
        }
    }
}

/// Words and numbers of an evaluation for people.
enum EvaluationText {
    /// "满意 satisfied" for a verdict, "-" while open.
    static func verdict(_ value: String?) -> String {
        switch value {
        case "satisfied": "满意"
        case "basically-satisfied": "基本满意"
        case "dissatisfied": "不满意"
        case let other?: other
        case nil: "-"
        }
    }

    /// A rate as a percentage with one decimal, "80.0%"; "-" while open.
    static func rate(_ value: Double?) -> String {
        guard let value else { return "-" }
        return String(format: "%.1f%%", value * 100)
    }

    /// One line about an evaluation after a command.
    static func summary(_ evaluation: JSONValue?, verb: String) -> String {
        let id = evaluation?["id"]?.stringValue ?? "?"
        let subject = evaluation?["subject"]?.stringValue ?? "?"
        let kind = evaluation?["subjectKind"]?.stringValue ?? "?"
        guard evaluation?["state"]?.stringValue == "closed" else {
            let cast = evaluation?["cast"]?.intValue ?? 0
            let present = evaluation?["present"]?.intValue ?? 0
            return "\(verb) \(id) (\(kind) \(subject)): \(cast) of \(present) ballots cast"
        }
        return "\(verb) \(id) (\(kind) \(subject)): \(verdict(evaluation?["verdict"]?.stringValue)) "
            + "(\(evaluation?["verdict"]?.stringValue ?? "-")), rate \(rate(evaluation?["rate"]?.doubleValue)), "
            + "rule \(evaluation?["rule"]?.stringValue ?? "?")"
    }

    /// The line about a topic sent back, if any.
    static func sentBack(_ value: JSONValue?) -> String? {
        guard let value, !value.isNull else { return nil }
        return "Topic \(value["topic"]?.stringValue ?? "?") sent back for re-rectification "
            + "(round \(value["round"]?.intValue ?? 0)), due \(value["dueDate"]?.stringValue ?? "?")"
    }
}

/// Sends an evaluation command and prints the outcome.
private func runEvaluationCommand(
    _ options: GlobalOptions, method: String, parameters: [String: JSONValue], verb: String
) async throws {
    guard let reply = try await DaemonConnection.request(options, "org.oversight.evaluations.\(method)", parameters)
    else { return }
    CLIOutput.line(EvaluationText.summary(reply["evaluation"], verb: verb))
    if let line = EvaluationText.sentBack(reply["sentBack"]) { CLIOutput.line(line) }
}

extension OversightCtl.Evaluation {
    /// `evaluation record`.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record an evaluation with its whole tally.",
            discussion: """
                Example: oversightctl evaluation record --department fgw --date 2024-10-30 --entitled 35 \
                --present 30 --satisfied 20 --basic 8 --dissatisfied 1 --not-voting 1
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @OptionGroup var subject: EvaluationSubjectOptions
        @OptionGroup var rule: EvaluationRuleOptions
        @Option(help: "Day of the vote (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "Members entitled to vote (应到).") var entitled: Int
        @Option(help: "Members present (实到).") var present: Int
        @Option(help: "Votes satisfied (满意).") var satisfied: Int
        @Option(help: "Votes basically satisfied (基本满意).") var basic: Int
        @Option(help: "Votes dissatisfied (不满意).") var dissatisfied: Int
        @Option(name: .customLong("not-voting"), help: "Members present who did not vote.") var notVoting = 0
        @Option(help: "A note, e.g. the session.") var note: String?
        @Option(
            name: .customLong("re-rectification-due"),
            help: "Due day if a handling report fails (YYYY-MM-DD; default 90 days later).")
        var reRectificationDue: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "subject": subject.subject, "date": .string(date ?? todayString()),
                "entitled": .int(Int64(entitled)), "present": .int(Int64(present)),
                "satisfied": .int(Int64(satisfied)), "basicallySatisfied": .int(Int64(basic)),
                "dissatisfied": .int(Int64(dissatisfied)), "notVoting": .int(Int64(notVoting)),
                "commandId": .string(commandID.value),
            ]
            parameters["rule"] = try rule.text().map(JSONValue.string)
            parameters["note"] = note.map(JSONValue.string)
            parameters["reRectificationDueDate"] = reRectificationDue.map(JSONValue.string)
            try await runEvaluationCommand(options, method: "Record", parameters: parameters, verb: "Recorded")
        }
    }

    /// `evaluation open`.
    struct Open: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Open an evaluation for ballots cast one by one; prints its id.",
            discussion: """
                Example: oversightctl evaluation open --suggestion S2024-001 --date 2024-11-02 --entitled 1 \
                --present 1
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @OptionGroup var subject: EvaluationSubjectOptions
        @OptionGroup var rule: EvaluationRuleOptions
        @Option(help: "Day of the vote (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "Members entitled to vote (应到).") var entitled: Int
        @Option(help: "Members present (实到), who each cast one ballot.") var present: Int
        @Option(help: "A note.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "subject": subject.subject, "date": .string(date ?? todayString()),
                "entitled": .int(Int64(entitled)), "present": .int(Int64(present)),
                "commandId": .string(commandID.value),
            ]
            parameters["rule"] = try rule.text().map(JSONValue.string)
            parameters["note"] = note.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.evaluations.Open", parameters)
            else { return }
            CLIOutput.line(reply["evaluation"]?["id"]?.stringValue ?? "?")
        }
    }

    /// `evaluation cast`.
    struct Cast: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cast one ballot: satisfied, basically-satisfied, dissatisfied or not-voting.",
            discussion: "Example: oversightctl evaluation cast E2024-002 basically-satisfied"
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Evaluation id, e.g. E2024-002.") var id: String
        @Argument(help: "satisfied, basically-satisfied, dissatisfied or not-voting.") var ballot: String

        func run() async throws {
            try await runEvaluationCommand(
                options, method: "Cast",
                parameters: ["id": .string(id), "ballot": .string(ballot), "commandId": .string(commandID.value)],
                verb: "Cast a ballot on")
        }
    }

    /// `evaluation close`.
    struct Close: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Close the ballots (one per member present) and decide the verdict.")

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @Argument(help: "Evaluation id.") var id: String
        @Option(help: "Day closed (YYYY-MM-DD; default today).") var date: String?
        @Option(
            name: .customLong("re-rectification-due"),
            help: "Due day if a handling report fails (YYYY-MM-DD; default 90 days later).")
        var reRectificationDue: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "id": .string(id), "date": .string(date ?? todayString()), "commandId": .string(commandID.value),
            ]
            parameters["reRectificationDueDate"] = reRectificationDue.map(JSONValue.string)
            try await runEvaluationCommand(options, method: "Close", parameters: parameters, verb: "Closed")
        }
    }

    /// `evaluation list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The evaluation board, with counts by verdict.",
            discussion: "Example: oversightctl evaluation list --year 2024 --kind department"
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this year.") var year: Int?
        @Option(help: "Only this subject kind: department, inquiry-round, handling-report, suggestion-reply.")
        var kind: String?
        @Option(help: "Only this department (evaluated or answering).") var department: String?
        @Option(help: "Only this verdict: satisfied, basically-satisfied, dissatisfied.") var verdict: String?
        @Option(help: "Only open or closed evaluations.") var state: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["year"] = year.map { .int(Int64($0)) }
            parameters["subjectKind"] = kind.map(JSONValue.string)
            parameters["department"] = department.map(JSONValue.string)
            parameters["verdict"] = verdict.map(JSONValue.string)
            parameters["state"] = state.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.evaluations.List", parameters)
            else { return }
            var table = TextTable(headers: [
                "ID", "DATE", "KIND", "SUBJECT", "DEPT", "应到", "实到", "满意", "基本满意", "不满意", "未投票", "RATE",
                "VERDICT",
            ])
            table.rows = (reply["evaluations"]?.arrayValue ?? []).map { evaluation in
                let count = { (key: String) in String(evaluation[key]?.intValue ?? 0) }
                return [
                    evaluation["id"]?.stringValue ?? "", evaluation["date"]?.stringValue ?? "",
                    evaluation["subjectKind"]?.stringValue ?? "", evaluation["subject"]?.stringValue ?? "",
                    evaluation["department"]?.stringValue ?? "-", count("entitled"), count("present"),
                    count("satisfied"), count("basicallySatisfied"), count("dissatisfied"), count("notVoting"),
                    EvaluationText.rate(evaluation["rate"]?.doubleValue),
                    evaluation["state"]?.stringValue == "open"
                        ? "open" : EvaluationText.verdict(evaluation["verdict"]?.stringValue),
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            let counts = (reply["counts"]?.arrayValue ?? []).map {
                "\($0["verdict"]?.stringValue ?? "?") \($0["count"]?.intValue ?? 0)"
            }
            CLIOutput.line(
                "\(total) evaluation\(total == 1 ? "" : "s")"
                    + (counts.isEmpty ? "" : ": " + counts.joined(separator: ", ")))
        }
    }

    /// `evaluation show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One evaluation with its tally, rule and verdict.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Evaluation id.") var id: String

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.evaluations.Show", ["id": .string(id)])
            else { return }
            guard let evaluation = reply["evaluation"] else { return }
            let number = { (key: String) in evaluation[key]?.intValue.map(String.init) }
            let fields: [(String, String?)] = [
                ("Evaluation", evaluation["id"]?.stringValue), ("Date", evaluation["date"]?.stringValue),
                (
                    "Subject",
                    "\(evaluation["subjectKind"]?.stringValue ?? "?") \(evaluation["subject"]?.stringValue ?? "?")"
                ),
                ("Department", evaluation["department"]?.stringValue), ("State", evaluation["state"]?.stringValue),
                ("Mode", evaluation["mode"]?.stringValue), ("应到 entitled", number("entitled")),
                ("实到 present", number("present")), ("满意", number("satisfied")),
                ("基本满意", number("basicallySatisfied")), ("不满意", number("dissatisfied")),
                ("未投票 not voting", number("notVoting")), ("Rule", evaluation["rule"]?.stringValue),
                (
                    "Verdict",
                    evaluation["verdict"]?.stringValue.map { "\(EvaluationText.verdict($0)) (\($0))" }
                ),
                ("Rate", evaluation["rate"]?.doubleValue.map { EvaluationText.rate($0) }),
                ("Closed", evaluation["closedOn"]?.stringValue), ("Note", evaluation["note"]?.stringValue),
            ]
            var block = TextTable(headers: ["", ""])
            block.maximumCellWidth = 100
            block.showsHeaders = false
            block.rows = fields.compactMap { label, value in
                guard let value, !value.isEmpty else { return nil }
                return [label + ":", value]
            }
            CLIOutput.line(block.render())
        }
    }
}

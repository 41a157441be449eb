import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl vote …`: resolutions, decisions and differential livelihood-project votes.
    struct Vote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record votes (表决) with their results, read the vote board.",
            discussion: """
                A resolution or decision is adopted when "for" exceeds half of those entitled, unless --rule says \
                otherwise. In a differential livelihood-project vote (民生实事项目票决) the chosen are the top \
                candidates that reach the threshold (default: more than half of the voters), up to the places; \
                candidates tied across the last place are reported as tied and not chosen.
                Rules: more-than-1/2-of-entitled, at-least-2/3-of-entitled, more-than-1/2-of-voting, or any \
                more-than|at-least-N/D-of-entitled|voting. A vote is recorded once.
                """,
            subcommands: [Record.self, Differential.self, List.self, Show.self]
        )
    }
}

/// The session options shared by the vote commands.
struct VoteSessionOptions: ParsableArguments {
    @Option(help: "Number of the standing committee (届), e.g. 12.") var term: Int?
    @Option(help: "Number of the session (次会议) the vote was taken at, e.g. 11.") var session: Int?

    func validate() throws {
        if term != nil && session == nil { throw ValidationError("--term needs --session.") }
    }

    /// Adds `term` and `session` to call parameters.
    func add(to parameters: inout [String: JSONValue]) {
        parameters["term"] = term.map { .int(Int64($0)) }
        parameters["session"] = session.map { .int(Int64($0)) }
    }
}

/// A candidate written "名称=票数" on the command line.
struct CandidateArgument: ExpressibleByArgument {
    var name: String
    var votes: Int

    init?(argument: String) {
        guard let equals = argument.lastIndex(of: "="), let votes = Int(argument[argument.index(after: equals)...])
        else { return nil }
        name = String(argument[..<equals])
        self.votes = votes
    }
}

extension OversightCtl.Vote {
    /// `vote record`.
    struct Record: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a resolution or decision vote: for / against / abstain; prints the result.",
            discussion: """
                Example: oversightctl vote record --title 关于加快推进“两城”建设的决议 --date 2024-06-27 --term 12 \
                --session 11 --entitled 62 --for 58 --against 0 --abstain 0 --declared adopted
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @OptionGroup var sessionOptions: VoteSessionOptions
        @Option(help: "resolution (决议, default) or decision (决定).") var kind: String = "resolution"
        @Option(help: "What was voted on.") var title: String
        @Option(help: "Day of the vote (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "Members entitled to vote (全体组成人员).") var entitled: Int
        @Option(name: .customLong("for"), help: "Votes for (赞成).") var forVotes: Int
        @Option(help: "Votes against (反对).") var against: Int
        @Option(help: "Abstentions (弃权).") var abstain: Int
        @Option(help: "The rule (default more-than-1/2-of-entitled).") var rule: String?
        @Option(
            help: ArgumentHelp(
                "The result announced: adopted or not-adopted; refused if the tally does not give it.",
                valueName: "result"))
        var declared: String?
        @Option(help: "A note.") var note: String?

        func validate() throws {
            if let declared, !["adopted", "not-adopted"].contains(declared) {
                throw ValidationError("--declared must be adopted or not-adopted, not \"\(declared)\".")
            }
        }

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "kind": .string(kind), "title": .string(title), "date": .string(date ?? todayString()),
                "entitled": .int(Int64(entitled)), "for": .int(Int64(forVotes)), "against": .int(Int64(against)),
                "abstain": .int(Int64(abstain)), "commandId": .string(commandID.value),
            ]
            sessionOptions.add(to: &parameters)
            parameters["rule"] = rule.map(JSONValue.string)
            parameters["adopted"] = declared.map { .bool($0 == "adopted") }
            parameters["note"] = note.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.votes.RecordResolution", parameters)
            else { return }
            guard let vote = reply["vote"] else { return }
            CLIOutput.line(
                "Recorded \(vote["id"]?.stringValue ?? "?"): \(voteResult(vote)) (\(voteTally(vote)); rule "
                    + "\(vote["ruleText"]?.stringValue ?? "?")) (log position \(reply["position"]?.intValue ?? 0))")
        }
    }

    /// `vote differential`.
    struct Differential: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a differential livelihood-project vote (民生实事项目票决); prints who is chosen and who is tied.",
            discussion: """
                Example: oversightctl vote differential --title 2025年民生实事项目票决 --date 2024-12-20 --entitled 150 \
                --voters 140 --places 2 --candidate 老旧小区改造=130 --candidate 农村供水提升=90 \
                --candidate 城区停车场建设=90 --candidate 学校食堂改造=20
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var commandID: CommandIDOption
        @OptionGroup var sessionOptions: VoteSessionOptions
        @Option(help: "What was voted on.") var title: String
        @Option(help: "Day of the vote (YYYY-MM-DD; default today).") var date: String?
        @Option(help: "Deputies entitled to vote.") var entitled: Int
        @Option(help: "Ballots cast (参加投票).") var voters: Int
        @Option(help: "How many projects are to be chosen.") var places: Int
        @Option(
            name: .customLong("candidate"),
            help: ArgumentHelp(
                "A candidate and its votes, written 名称=票数 (repeat, in ballot order).", valueName: "name=votes"))
        var candidates: [CandidateArgument] = []
        @Option(help: "The threshold (default more-than-1/2-of-voting: more than half of the voters).") var rule:
            String?
        @Option(
            name: .customLong("chosen"),
            help: ArgumentHelp(
                "A project announced as chosen (repeat); refused if the tallies do not give the same list.",
                valueName: "name"))
        var chosen: [String] = []
        @Option(help: "A note.") var note: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [
                "title": .string(title), "date": .string(date ?? todayString()), "entitled": .int(Int64(entitled)),
                "voters": .int(Int64(voters)), "places": .int(Int64(places)),
                "candidates": .array(
                    candidates.map { ["name": .string($0.name), "votes": .int(Int64($0.votes))] }),
                "commandId": .string(commandID.value),
            ]
            sessionOptions.add(to: &parameters)
            parameters["rule"] = rule.map(JSONValue.string)
            parameters["chosen"] = chosen.isEmpty ? nil : .array(chosen.map(JSONValue.string))
            parameters["note"] = note.map(JSONValue.string)
            guard
                let reply = try await DaemonConnection.request(
                    options, "org.oversight.votes.RecordDifferential", parameters)
            else { return }
            guard let vote = reply["vote"] else { return }
            CLIOutput.line(
                "Recorded \(vote["id"]?.stringValue ?? "?"): \(voteResult(vote)) (log position "
                    + "\(reply["position"]?.intValue ?? 0))")
            CLIOutput.line(candidateTable(reply["candidates"]))
            if let tied = vote["tied"]?.arrayValue, !tied.isEmpty {
                CLIOutput.line(
                    "Tied across the last place, not chosen: "
                        + tied.compactMap(\.stringValue).joined(separator: "、") + " (a run-off is a new vote)")
            }
        }
    }

    /// `vote list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The vote board.", discussion: "Example: oversightctl vote list --year 2024 --kind resolution")

        @OptionGroup var options: GlobalOptions
        @Option(help: "Only this year.") var year: Int?
        @Option(help: "Only this kind: resolution, decision or livelihood.") var kind: String?

        func run() async throws {
            var parameters: [String: JSONValue] = [:]
            parameters["year"] = year.map { .int(Int64($0)) }
            parameters["kind"] = kind.map(JSONValue.string)
            guard let reply = try await DaemonConnection.request(options, "org.oversight.votes.List", parameters) else {
                return
            }
            var table = TextTable(headers: ["ID", "DATE", "KIND", "TITLE", "TALLY", "RESULT"])
            table.rows = (reply["votes"]?.arrayValue ?? []).map { vote in
                [
                    vote["id"]?.stringValue ?? "", vote["date"]?.stringValue ?? "", vote["kind"]?.stringValue ?? "",
                    vote["title"]?.stringValue ?? "", voteTally(vote), voteResult(vote),
                ]
            }
            CLIOutput.line(table.render())
            let total = reply["total"]?.intValue ?? 0
            CLIOutput.line(
                "\(total) vote\(total == 1 ? "" : "s"); \(reply["adopted"]?.intValue ?? 0) resolutions and decisions "
                    + "adopted")
        }
    }

    /// `vote show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One vote with its tally, rule and result.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "Vote id, e.g. V2024-001.") var id: String

        func run() async throws {
            guard
                let reply = try await DaemonConnection.request(options, "org.oversight.votes.Show", ["id": .string(id)])
            else { return }
            guard let vote = reply["vote"] else { return }
            let fields: [(String, String?)] = [
                ("Vote", vote["id"]?.stringValue), ("Title", vote["title"]?.stringValue),
                ("Kind", vote["kind"]?.stringValue), ("Date", vote["date"]?.stringValue),
                ("Session", vote["session"]?.stringValue), ("Tally", voteTally(vote)),
                ("Rule", vote["ruleText"]?.stringValue), ("Result", voteResult(vote)),
                ("Note", vote["note"]?.stringValue),
            ]
            var block = TextTable(headers: ["", ""])
            block.maximumCellWidth = 100
            block.showsHeaders = false
            block.rows = fields.compactMap { label, value in
                guard let value, !value.isEmpty else { return nil }
                return [label + ":", value]
            }
            CLIOutput.line(block.render())
            if let candidates = reply["candidates"]?.arrayValue, !candidates.isEmpty {
                CLIOutput.line("")
                CLIOutput.line(candidateTable(reply["candidates"]))
            }
        }
    }
}

/// "58 for, 0 against, 0 abstain of 62 entitled" or "140 voters of 150 entitled, 3 places".
func voteTally(_ vote: JSONValue) -> String {
    let entitled = vote["entitled"]?.intValue ?? 0
    if let forVotes = vote["for"]?.intValue {
        return "\(forVotes) for, \(vote["against"]?.intValue ?? 0) against, \(vote["abstain"]?.intValue ?? 0) abstain "
            + "of \(entitled) entitled"
    }
    return "\(vote["voters"]?.intValue ?? 0) voters of \(entitled) entitled, \(vote["places"]?.intValue ?? 0) places"
}

/// "adopted", "not adopted", or "2 chosen: A、B; 2 tied: C、D".
func voteResult(_ vote: JSONValue) -> String {
    if let adopted = vote["adopted"]?.boolValue { return adopted ? "adopted" : "not adopted" }
    let chosen = (vote["chosen"]?.arrayValue ?? []).compactMap(\.stringValue)
    let tied = (vote["tied"]?.arrayValue ?? []).compactMap(\.stringValue)
    var text = "\(chosen.count) chosen" + (chosen.isEmpty ? "" : ": " + chosen.joined(separator: "、"))
    if !tied.isEmpty { text += "; \(tied.count) tied: " + tied.joined(separator: "、") }
    return text
}

/// The candidates of a differential vote as a table.
func candidateTable(_ candidates: JSONValue?) -> String {
    var table = TextTable(headers: ["#", "CANDIDATE", "VOTES", "RESULT"])
    table.rows = (candidates?.arrayValue ?? []).map { candidate in
        let result =
            candidate["chosen"]?.boolValue == true ? "chosen" : candidate["tied"]?.boolValue == true ? "tied" : "-"
        return [
            String(candidate["ordinal"]?.intValue ?? 0), candidate["name"]?.stringValue ?? "",
            String(candidate["votes"]?.intValue ?? 0), result,
        ]
    }
    return table.render()
}

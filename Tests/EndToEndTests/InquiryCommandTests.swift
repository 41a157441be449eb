import Foundation
import Testing

/// A special inquiry through the real `oversightd` and `oversightctl`: schedule, rounds, conclusion, transfer.
@Suite(.serialized)
struct InquiryCommandTests {
    /// Registers the departments of the seed's elderly-care inquiry and plans the topic it belongs to.
    private func prepare(_ daemon: Daemon) throws -> String {
        for (code, name) in [("mzj", "市民政局"), ("fgw", "市发展和改革委员会"), ("wjw", "市卫生健康委员会")] {
            let result = try daemon.ctl("department", "add", code, name)
            #expect(result.status == 0, "\(result.stderr)")
        }
        let plan = try daemon.ctl(
            "topic", "plan", "--year", "2024", "--kind", "linked-supervision",
            "--title", "《河南省养老服务条例》贯彻实施情况联动监督", "--department", "mzj"
        )
        #expect(plan.status == 0, "\(plan.stderr)")
        return plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func head(_ daemon: Daemon) throws -> Int? {
        try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
    }

    @Test func `an inquiry linked to a topic is scheduled, held in three rounds, concluded, transferred and shown`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let topic = try prepare(daemon)
        #expect(topic == "T2024-001")

        let scheduled = try daemon.ctl(
            "inquiry", "schedule", "--subject", "《河南省养老服务条例》贯彻实施情况", "--term", "12", "--session", "13",
            "--date", "2024-08-19", "--topic", topic, "--committee", "社会建设委"
        )
        #expect(scheduled.status == 0, "\(scheduled.stderr)")
        let id = scheduled.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "Q2024-001")

        let rounds: [(String, String, String, String, String?)] = [
            ("王建军", "李红", "mzj", "农村养老服务设施建设滞后，下一步如何推进？", "年底前实现乡镇区域养老服务中心全覆盖"),
            ("赵丽", "陈刚", "fgw", "养老服务项目资金如何保障？", nil),
            ("孙伟", "周敏", "wjw", "医养结合如何落实？", "推进医疗机构与养老机构签约合作"),
        ]
        for (index, round) in rounds.enumerated() {
            var arguments = [
                "inquiry", "round", id, "--questioner", round.0, "--respondent", round.1, "--department", round.2,
                "--question", round.3, "--json",
            ]
            if let answer = round.4 { arguments += ["--answer", answer] }
            let result = try daemon.ctl(arguments)
            #expect(result.status == 0, "\(result.stderr)")
            let reply = try json(result.stdout)
            let recorded = reply["round"] as? [String: Any]
            #expect(recorded?["round"] as? Int == index + 1)
            #expect(recorded?["date"] as? String == "2024-08-19", "a round defaults to the session's day")
            #expect((reply["inquiry"] as? [String: Any])?["state"] as? String == "held")
        }

        let conclude = try daemon.ctl("inquiry", "conclude", id, "--date", "2024-08-19")
        #expect(conclude.status == 0, "\(conclude.stderr)")
        #expect(conclude.stdout.contains("Concluded Q2024-001: state concluded"))
        let transfer = try daemon.ctl(
            "inquiry", "transfer", id, "--date", "2024-08-30", "--due", "2024-11-30", "--summary", "审议意见及问题清单交办市政府"
        )
        #expect(transfer.status == 0, "\(transfer.stderr)")

        let shown = try json(daemon.ctl("inquiry", "show", id, "--json").stdout)
        let inquiry = shown["inquiry"] as? [String: Any]
        #expect(inquiry?["state"] as? String == "transferred")
        #expect(inquiry?["topicId"] as? String == topic)
        #expect(inquiry?["sessionTerm"] as? Int == 12 && inquiry?["sessionNumber"] as? Int == 13)
        #expect(inquiry?["rounds"] as? Int == 3)
        #expect(inquiry?["concludedOn"] as? String == "2024-08-19")
        #expect(inquiry?["transferredOn"] as? String == "2024-08-30")
        #expect(inquiry?["dueDate"] as? String == "2024-11-30")
        let shownRounds = shown["rounds"] as? [[String: Any]] ?? []
        #expect(shownRounds.map { $0["round"] as? Int ?? 0 } == [1, 2, 3])
        #expect(shownRounds.map { $0["department"] as? String ?? "" } == ["mzj", "fgw", "wjw"])
        #expect(shownRounds.map { $0["questioner"] as? String ?? "" } == ["王建军", "赵丽", "孙伟"])
        #expect(shownRounds.first?["answerSummary"] as? String == "年底前实现乡镇区域养老服务中心全覆盖")
        #expect(shownRounds[safe: 1]?["answerSummary"] == nil)

        let human = try daemon.ctl("inquiry", "show", id)
        #expect(human.status == 0)
        #expect(human.stdout.contains("12th committee, 13th session, 2024-08-19"))
        let roundLines = human.stdout.split(separator: "\n").map(String.init)
        let header = try #require(roundLines.first { $0.hasPrefix("ROUND") })
        let first = try #require(roundLines.first { $0.hasPrefix("1 ") })
        #expect(
            TextWidth.columns(before: "QUESTIONER", in: header) == TextWidth.columns(before: "王建军", in: first),
            "columns line up with Chinese names")

        let list = try daemon.ctl("inquiry", "list", "--year", "2024")
        #expect(list.status == 0)
        #expect(list.stdout.contains("Q2024-001"))
        #expect(list.stdout.hasSuffix("1 inquiry\n"))
        let byTopic = try json(daemon.ctl("inquiry", "list", "--topic", "T2024-009", "--json").stdout)
        #expect(byTopic["total"] as? Int == 0)

        let log = try daemon.ctl("log", "show", "--json")
        let types = log.stdout.split(separator: "\n").compactMap { line in
            (try? json(String(line)))?["type"] as? String
        }
        #expect(types.filter { $0.hasPrefix("Inquiry") }.count == 6)
        #expect(types.filter { $0 == "InquiryRoundRecorded" }.count == 3)
        #expect(daemon.stop() == 0)
    }

    @Test func `refusals name what is wrong and write nothing`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let topic = try prepare(daemon)
        let schedule = try daemon.ctl(
            "inquiry", "schedule", "--subject", "养老服务", "--session", "13", "--date", "2024-08-19", "--topic", topic
        )
        #expect(schedule.status == 0, "\(schedule.stderr)")
        let id = schedule.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let future = try daemon.ctl(
            "inquiry", "schedule", "--subject", "营商环境", "--session", "30", "--date", "2099-10-24"
        )
        #expect(future.status == 0, "a session in the future is scheduled: \(future.stderr)")
        #expect(future.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Q2099-001")
        let before = try head(daemon)

        let refusals: [([String], [String])] = [
            (
                [
                    "inquiry", "schedule", "--subject", "养老", "--session", "13", "--date", "2024-08-19", "--topic",
                    "T2024-009",
                ],
                ["T2024-009"]
            ),
            (["inquiry", "conclude", id, "--date", "2024-08-19"], ["no round"]),
            (["inquiry", "transfer", id, "--date", "2024-08-30", "--due", "2024-11-30"], ["scheduled", "concluded"]),
            (
                [
                    "inquiry", "round", id, "--questioner", "王建军", "--respondent", "李红", "--department", "jtj",
                    "--question", "问题",
                ],
                ["\"jtj\"", "not registered"]
            ),
            (
                [
                    "inquiry", "round", id, "--questioner", "王建军", "--respondent", "李红", "--department", "mzj",
                    "--question", "问题", "--date", "2024-08-18",
                ],
                ["2024-08-18", "before the inquiry's session"]
            ),
            (
                [
                    "inquiry", "round", "Q2099-001", "--questioner", "王建军", "--respondent", "李红", "--department",
                    "mzj", "--question", "问题",
                ],
                ["2099-10-24", "after today"]
            ),
            (
                [
                    "inquiry", "round", "Q2024-077", "--questioner", "王建军", "--respondent", "李红", "--department",
                    "mzj", "--question", "问题",
                ],
                ["no inquiry has the id Q2024-077"]
            ),
            (["inquiry", "show", "T2024-001"], ["inquiry id"]),
            (
                ["inquiry", "schedule", "--subject", " ", "--session", "13", "--date", "2024-08-19"],
                ["subject is empty"]
            ),
            (["inquiry", "schedule", "--subject", "养老", "--session", "0", "--date", "2024-08-19"], ["session number"]),
        ]
        for (arguments, words) in refusals {
            let result = try daemon.ctl(arguments)
            #expect(result.status != 0, "\(arguments) should be refused")
            for word in words {
                #expect(result.stderr.contains(word), "\(arguments): \(result.stderr)")
            }
        }
        #expect(try head(daemon) == before, "a refused command wrote nothing")
        let shown = try json(daemon.ctl("inquiry", "show", id, "--json").stdout)
        #expect((shown["inquiry"] as? [String: Any])?["state"] as? String == "scheduled")
        #expect((shown["rounds"] as? [Any])?.isEmpty == true)
        #expect(daemon.stop() == 0)
    }
}

extension Array {
    /// The element at `index`, or nil when out of bounds.
    fileprivate subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}

/// Terminal columns, counting CJK ideographs as two, for checking table alignment.
private enum TextWidth {
    /// The display width of the part of `line` before `needle` (nil if absent).
    static func columns(before needle: String, in line: String) -> Int? {
        guard let range = line.range(of: needle) else { return nil }
        return line[..<range.lowerBound].unicodeScalars.reduce(0) { width, scalar in
            width + ((0x4E00...0x9FFF).contains(scalar.value) || (0xFF00...0xFF60).contains(scalar.value) ? 2 : 1)
        }
    }
}

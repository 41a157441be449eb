import Foundation
import Testing

/// Satisfaction evaluations through the real `oversightd` and `oversightctl`.
@Suite(.serialized)
struct EvaluationCommandTests {
    private func seedDepartments(_ daemon: Daemon) throws {
        for (code, name) in [("fgw", "市发展和改革委员会"), ("kjj", "市科学技术局"), ("mzj", "市民政局")] {
            let result = try daemon.ctl("department", "add", code, name)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    private func head(_ daemon: Daemon) throws -> Int? {
        try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
    }

    @Test func `a department's evaluation gets its verdict and rate, and shows on the board`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let recorded = try daemon.ctl(
            "evaluation", "record", "--department", "fgw", "--date", "2024-10-30", "--entitled", "35", "--present",
            "30", "--satisfied", "20", "--basic", "8", "--dissatisfied", "1", "--not-voting", "1", "--json"
        )
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let evaluation = try json(recorded.stdout)["evaluation"] as? [String: Any]
        #expect(evaluation?["id"] as? String == "E2024-001")
        #expect(evaluation?["subjectKind"] as? String == "department")
        #expect(evaluation?["subject"] as? String == "fgw")
        #expect(evaluation?["department"] as? String == "fgw")
        #expect(evaluation?["verdict"] as? String == "satisfied")
        #expect(evaluation?["rule"] as? String == "entitled-majority")
        #expect(evaluation?["state"] as? String == "closed")
        #expect(abs((evaluation?["rate"] as? Double ?? 0) - 28.0 / 35.0) < 1e-9)

        // The same tally of 18 present: fails with the default rule, passes when counted against those present.
        let strict = try daemon.ctl(
            "evaluation", "record", "--department", "kjj", "--date", "2024-10-30", "--entitled", "35", "--present",
            "18", "--satisfied", "10", "--basic", "5", "--dissatisfied", "3"
        )
        #expect(strict.status == 0, "\(strict.stderr)")
        #expect(strict.stdout.contains("Recorded E2024-002"))
        #expect(strict.stdout.contains("不满意 (dissatisfied), rate 42.9%"), "\(strict.stdout)")
        let lenient = try daemon.ctl(
            "evaluation", "record", "--department", "mzj", "--date", "2024-10-30", "--entitled", "35", "--present",
            "18", "--satisfied", "10", "--basic", "5", "--dissatisfied", "3", "--rule", "present", "--threshold", "0.5",
            "--json"
        )
        let lenientEvaluation = try json(lenient.stdout)["evaluation"] as? [String: Any]
        #expect(lenientEvaluation?["verdict"] as? String == "satisfied")
        #expect(lenientEvaluation?["rule"] as? String == "present>0.5")

        let list = try daemon.ctl("evaluation", "list", "--year", "2024")
        #expect(list.status == 0, "\(list.stderr)")
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID") == true)
        let fgw = lines.first { $0.hasPrefix("E2024-001") } ?? ""
        #expect(fgw.contains("80.0%") && fgw.contains("满意"), "\(fgw)")
        #expect(lines.last == "3 evaluations: dissatisfied 1, satisfied 2")
        // Columns line up under CJK headers: the rate column starts at the same display column in every row.
        let rateColumn = lines.map { line -> Int in
            guard let range = line.range(of: line == lines[0] ? "RATE" : "%") else { return -1 }
            return line[..<range.lowerBound].unicodeScalars.reduce(0) {
                $0 + ((0x4E00...0x9FFF).contains($1.value) ? 2 : 1)
            }
        }
        #expect(rateColumn[1] - rateColumn[0] == 4 && rateColumn[2] == rateColumn[1], "\(list.stdout)")

        let filtered = try json(daemon.ctl("evaluation", "list", "--verdict", "dissatisfied", "--json").stdout)
        #expect((filtered["evaluations"] as? [[String: Any]])?.map { $0["id"] as? String } == ["E2024-002"])
        let byDepartment = try json(daemon.ctl("evaluation", "list", "--department", "mzj", "--json").stdout)
        #expect(byDepartment["total"] as? Int == 1)
        let shown = try daemon.ctl("evaluation", "show", "E2024-001")
        #expect(shown.stdout.contains("80.0%"))
        #expect(shown.stdout.contains("满意 (satisfied)"))
        #expect(daemon.stop() == 0)
    }

    @Test func `a tally that does not add up, and other bad evaluations, are refused and write nothing`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let before = try head(daemon)

        let notAddingUp = try daemon.ctl(
            "evaluation", "record", "--department", "fgw", "--date", "2024-10-30", "--entitled", "35", "--present",
            "30", "--satisfied", "20", "--basic", "8", "--dissatisfied", "1", "--not-voting", "2"
        )
        #expect(notAddingUp.status == 1)
        #expect(notAddingUp.stderr.contains("does not add up"), "\(notAddingUp.stderr)")
        #expect(notAddingUp.stderr.contains("= 31, but 30 members are present"))

        let noQuorum = try daemon.ctl(
            "evaluation", "record", "--department", "fgw", "--date", "2024-10-30", "--entitled", "35", "--present",
            "17", "--satisfied", "17", "--basic", "0", "--dissatisfied", "0"
        )
        #expect(noQuorum.status == 1)
        #expect(noQuorum.stderr.contains("No quorum"), "\(noQuorum.stderr)")

        let unknownDepartment = try daemon.ctl(
            "evaluation", "record", "--department", "jtj", "--date", "2024-10-30", "--entitled", "35", "--present",
            "30", "--satisfied", "30", "--basic", "0", "--dissatisfied", "0"
        )
        #expect(unknownDepartment.stderr.contains("\"jtj\" is not registered"), "\(unknownDepartment.stderr)")

        let noInquiry = try daemon.ctl(
            "evaluation", "record", "--inquiry", "Q2024-001", "--round", "1", "--department", "mzj", "--date",
            "2024-08-19", "--entitled", "35", "--present", "30", "--satisfied", "30", "--basic", "0",
            "--dissatisfied", "0"
        )
        #expect(noInquiry.stderr.contains("Inquiry Q2024-001 is not recorded"), "\(noInquiry.stderr)")

        let badRule = try daemon.ctl(
            "evaluation", "record", "--department", "fgw", "--date", "2024-10-30", "--entitled", "35", "--present",
            "30", "--satisfied", "30", "--basic", "0", "--dissatisfied", "0", "--rule", "present", "--threshold", "1.5"
        )
        #expect(badRule.stderr.contains("invalid rule"), "\(badRule.stderr)")

        let twoSubjects = try daemon.ctl(
            "evaluation", "record", "--suggestion", "S2024-001", "--handling-report", "T2024-001", "--entitled", "3",
            "--present", "3", "--satisfied", "3", "--basic", "0", "--dissatisfied", "0"
        )
        #expect(twoSubjects.status == 64)

        let unknownEvaluation = try daemon.ctl("evaluation", "show", "E2024-009")
        #expect(unknownEvaluation.stderr.contains("No evaluation has the id E2024-009"), "\(unknownEvaluation.stderr)")

        #expect(try head(daemon) == before, "a refused command wrote nothing")
        let empty = try json(daemon.ctl("evaluation", "list", "--json").stdout)
        #expect(empty["total"] as? Int == 0)
        #expect(daemon.stop() == 0)
    }

    @Test func `ballots are cast one by one, counted against those present, and closed once`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let refused = try daemon.ctl(
            "evaluation", "open", "--department", "mzj", "--date", "2024-11-02", "--entitled", "5", "--present", "2")
        #expect(refused.stderr.contains("No quorum"), "\(refused.stderr)")

        let opened = try daemon.ctl(
            "evaluation", "open", "--department", "mzj", "--date", "2024-11-02", "--entitled", "5", "--present", "3",
            "--rule", "present"
        )
        #expect(opened.status == 0, "\(opened.stderr)")
        let id = opened.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "E2024-001")

        let early = try daemon.ctl("evaluation", "close", id, "--date", "2024-11-02")
        #expect(early.stderr.contains("Only 0 of 3 members present have cast their ballots"), "\(early.stderr)")

        for ballot in ["satisfied", "basically-satisfied", "satisfied"] {
            let cast = try daemon.ctl("evaluation", "cast", id, ballot)
            #expect(cast.status == 0, "\(cast.stderr)")
        }
        let open = try json(daemon.ctl("evaluation", "show", id, "--json").stdout)["evaluation"] as? [String: Any]
        #expect(open?["state"] as? String == "open")
        #expect(open?["cast"] as? Int == 3)
        #expect(open?["verdict"] == nil)

        let fourth = try daemon.ctl("evaluation", "cast", id, "dissatisfied")
        #expect(fourth.stderr.contains("All 3 members present have cast their ballots"), "\(fourth.stderr)")
        let badBallot = try daemon.ctl("evaluation", "cast", id, "abstain")
        #expect(badBallot.stderr.contains("not-voting"), "\(badBallot.stderr)")

        let closed = try daemon.ctl("evaluation", "close", id, "--date", "2024-11-05", "--json")
        #expect(closed.status == 0, "\(closed.stderr)")
        let evaluation = try json(closed.stdout)["evaluation"] as? [String: Any]
        #expect(evaluation?["verdict"] as? String == "satisfied")
        #expect(evaluation?["satisfied"] as? Int == 2)
        #expect(evaluation?["basicallySatisfied"] as? Int == 1)
        #expect(evaluation?["mode"] as? String == "ballots")
        #expect(evaluation?["closedOn"] as? String == "2024-11-05")
        #expect(evaluation?["rate"] as? Double == 1.0)

        let again = try daemon.ctl("evaluation", "close", id, "--date", "2024-11-06")
        #expect(again.status == 1)
        #expect(again.stderr.contains("Evaluation E2024-001 is closed"), "\(again.stderr)")
        #expect(daemon.stop() == 0)
    }

    @Test func `a failed handling-report evaluation sends the topic back, due 90 days later`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let plan = try daemon.ctl(
            "topic", "plan", "--year", "2024", "--kind", "linked-supervision", "--title", "《河南省养老服务条例》实施情况联动监督",
            "--department", "mzj"
        )
        let topic = plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(topic == "T2024-001", "\(plan.stderr)")
        for step in [
            ["topic", "deliberate", topic, "--term", "12", "--session", "13", "--date", "2024-08-19"],
            ["topic", "transfer", topic, "--date", "2024-08-30", "--due", "2024-11-30"],
        ] {
            let result = try daemon.ctl(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let failing = [
            "evaluation", "record", "--handling-report", topic, "--date", "2024-11-28", "--entitled", "35",
            "--present", "30", "--satisfied", "5", "--basic", "5", "--dissatisfied", "20",
        ]
        let before = try head(daemon)
        let tooEarly = try daemon.ctl(failing)
        #expect(tooEarly.status == 1)
        #expect(tooEarly.stderr.contains("not handling-reported"), "\(tooEarly.stderr)")
        #expect(try head(daemon) == before, "a refused evaluation wrote nothing")

        let report = try daemon.ctl("topic", "report", topic, "--date", "2024-11-25")
        #expect(report.status == 0, "\(report.stderr)")
        let recorded = try daemon.ctl(failing + ["--json"])
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let reply = try json(recorded.stdout)
        #expect((reply["evaluation"] as? [String: Any])?["verdict"] as? String == "dissatisfied")
        let sentBack = reply["sentBack"] as? [String: Any]
        #expect(sentBack?["topic"] as? String == topic)
        #expect(sentBack?["round"] as? Int == 2)
        #expect(sentBack?["dueDate"] as? String == "2025-02-26")

        let shown = try json(daemon.ctl("topic", "show", topic, "--json").stdout)
        let board = shown["topic"] as? [String: Any]
        #expect(board?["status"] as? String == "opinions-transferred")
        #expect(board?["round"] as? Int == 2)
        #expect(board?["dueDate"] as? String == "2025-02-26")
        let last = (shown["timeline"] as? [[String: Any]])?.last
        #expect(last?["type"] as? String == "TopicSentBack")
        #expect((last?["summary"] as? String)?.contains("满意度测评未通过 (E2024-001)") == true)

        // The second report passes: nothing is sent back, and the topic can be closed.
        #expect(try daemon.ctl("topic", "report", topic, "--date", "2025-02-20").status == 0)
        let passing = try daemon.ctl(
            "evaluation", "record", "--handling-report", topic, "--date", "2025-02-25", "--entitled", "35",
            "--present", "30", "--satisfied", "25", "--basic", "5", "--dissatisfied", "0",
            "--re-rectification-due", "2025-06-30"
        )
        #expect(passing.status == 0, "\(passing.stderr)")
        #expect(passing.stdout.contains("Recorded E2025-001"), "\(passing.stdout)")
        #expect(!passing.stdout.contains("sent back"))
        let status = try json(daemon.ctl("topic", "show", topic, "--json").stdout)["topic"] as? [String: Any]
        #expect(status?["status"] as? String == "handling-reported")
        #expect(daemon.stop() == 0)
    }
}

import Foundation
import Testing

/// The department scorecard and the year summary count exactly what was recorded, with the real binaries.
struct ScorecardAndSummaryTests {
    /// Records three departments, three items and two evaluations; returns the running daemon.
    static func recordSmallYear(_ scratch: Scratch) throws -> Daemon {
        let daemon = try Daemon(scratch: scratch)
        let steps: [[String]] = [
            ["department", "add", "a1", "甲局"], ["department", "add", "b2", "乙局"], ["department", "add", "c3", "丙局"],
            ["topic", "plan", "--year", "2024", "--kind", "research", "--title", "专题调研"],
            [
                "item", "add", "--parent", "T2024-001", "--kind", "problem", "--aspect", "设施", "--text", "一",
                "--lead", "a1", "--co-department", "b2", "--due", "2024-06-30", "--date", "2024-03-01",
            ],
            [
                "item", "add", "--parent", "T2024-001", "--kind", "problem", "--aspect", "设施", "--text", "二",
                "--lead", "a1", "--due", "2024-05-31", "--date", "2024-03-01",
            ],
            [
                "item", "add", "--parent", "T2024-001", "--kind", "recommendation", "--aspect", "资金", "--text", "三",
                "--lead", "b2", "--due", "2024-04-30", "--date", "2024-03-01",
            ],
            [
                "item", "answer", "I2024-001", "--department", "a1", "--claimed", "resolved", "--text", "已办",
                "--date", "2024-06-20",
            ],
            ["item", "accept", "I2024-001", "--date", "2024-07-01"],
            [
                "item", "answer", "I2024-002", "--department", "a1", "--claimed", "in-progress", "--text", "在办",
                "--date", "2024-06-05",
            ],
            ["item", "reopen", "I2024-002", "--reason", "措施不具体", "--date", "2024-06-10"],
            [
                "evaluation", "record", "--department", "a1", "--date", "2024-10-29", "--entitled", "30", "--present",
                "28", "--satisfied", "20", "--basic", "6", "--dissatisfied", "2",
            ],
            [
                "evaluation", "record", "--department", "b2", "--date", "2024-10-29", "--entitled", "30", "--present",
                "28", "--satisfied", "10", "--basic", "10", "--dissatisfied", "8",
            ],
        ]
        for step in steps {
            let result = try daemon.ctl(step)
            try #require(result.status == 0, "\(step): \(result.stderr)")
        }
        return daemon
    }

    @Test func `the scorecard counts items, answers on time, overdue, accepted, reopened and ranks by rate`() throws {
        let scratch = try Scratch()
        let daemon = try Self.recordSmallYear(scratch)
        let result = try daemon.ctl("department", "scorecard", "--year", "2024", "--as-of", "2024-12-31", "--json")
        try #require(result.status == 0, "\(result.stderr)")
        let scorecard = try #require(try json(result.stdout)["scorecard"] as? [String: Any])
        let lines = try #require(scorecard["lines"] as? [[String: Any]])
        #expect(lines.map { $0["department"] as? String } == ["a1", "b2", "c3"])
        #expect(lines.map { $0["rank"] as? Int } == [1, 2, 3])
        let a1 = lines[0]
        #expect(a1["assigned"] as? Int == 2)
        #expect(a1["lead"] as? Int == 2)
        #expect(a1["answered"] as? Int == 2)
        #expect(a1["answeredOnTime"] as? Int == 1)
        #expect(a1["overdue"] as? Int == 1)
        #expect(a1["accepted"] as? Int == 1)
        #expect(a1["reopened"] as? Int == 1)
        #expect(a1["evaluations"] as? Int == 1)
        #expect(abs((a1["latestRate"] as? Double ?? 0) - 26.0 / 30.0) < 1e-9)
        #expect(a1["latestVerdict"] as? String == "satisfied")
        let b2 = lines[1]
        #expect(b2["assigned"] as? Int == 2)
        #expect(b2["lead"] as? Int == 1)
        #expect(b2["answered"] as? Int == 0)
        #expect(b2["overdue"] as? Int == 1)
        #expect(b2["accepted"] as? Int == 1)
        #expect(b2["latestVerdict"] as? String == "basically-satisfied")
        let c3 = lines[2]
        #expect(c3["assigned"] as? Int == 0)
        #expect(c3["latestRate"] == nil)

        // As of a day before the due dates nothing is overdue.
        let early = try daemon.ctl("department", "scorecard", "--as-of", "2024-04-01", "--json")
        let earlyLines = try #require(
            (try json(early.stdout)["scorecard"] as? [String: Any])?["lines"] as? [[String: Any]])
        #expect(earlyLines.allSatisfy { $0["overdue"] as? Int == 0 })
        #expect(daemon.stop() == 0)
    }

    @Test func `the year summary states its log position and counts items, aspects and evaluations`() throws {
        let scratch = try Scratch()
        let daemon = try Self.recordSmallYear(scratch)
        let result = try daemon.ctl("summary", "--year", "2024", "--as-of", "2024-12-31", "--json")
        try #require(result.status == 0, "\(result.stderr)")
        let summary = try #require(try json(result.stdout)["summary"] as? [String: Any])
        #expect(summary["position"] as? Int == 13)
        #expect((summary["headHash"] as? String)?.count == 64)
        let items = try #require(summary["items"] as? [String: Any])
        #expect(items["total"] as? Int == 3)
        #expect(items["aspects"] as? Int == 2)
        #expect(items["accepted"] as? Int == 1)
        #expect(items["overdue"] as? Int == 2)
        #expect(abs((items["onTimeShare"] as? Double ?? 0) - 0.5) < 1e-9)
        let evaluations = try #require(summary["evaluations"] as? [String: Any])
        #expect(evaluations["departmentsEvaluated"] as? Int == 2)
        let topics = try #require(summary["topics"] as? [String: Any])
        #expect(topics["total"] as? Int == 1)
        let text = try daemon.ctl("summary", "--year", "2024", "--as-of", "2024-12-31")
        #expect(text.stdout.contains("2 aspects, 3 items"))
        let other = try daemon.ctl("summary", "--year", "1999")
        #expect(other.status != 0)
        #expect(other.stderr.contains("year"))
        #expect(daemon.stop() == 0)
    }

    @Test func `a round's evaluation counts for the department that answered it, once`() throws {
        let scratch = try Scratch()
        let daemon = try Self.recordSmallYear(scratch)
        let steps: [[String]] = [
            ["inquiry", "schedule", "--subject", "养老", "--term", "12", "--session", "13", "--date", "2024-08-19"],
            [
                "inquiry", "round", "Q2024-001", "--questioner", "委员甲", "--respondent", "局长", "--department", "b2",
                "--question", "如何盘活？",
            ],
            [
                "evaluation", "record", "--inquiry", "Q2024-001", "--round", "1", "--date", "2024-08-19", "--entitled",
                "30", "--present", "28", "--satisfied", "20", "--basic", "6", "--dissatisfied", "2",
            ],
        ]
        for step in steps {
            let result = try daemon.ctl(step)
            try #require(result.status == 0, "\(step): \(result.stderr)")
        }
        let shown = try json(try daemon.ctl("evaluation", "show", "E2024-003", "--json").stdout)
        #expect((shown["evaluation"] as? [String: Any])?["department"] as? String == "b2")
        let again = try daemon.ctl(
            "evaluation", "record", "--inquiry", "Q2024-001", "--round", "1", "--department", "b2", "--date",
            "2024-08-19", "--entitled", "30", "--present", "28", "--satisfied", "20", "--basic", "6",
            "--dissatisfied", "2")
        #expect(again.status == 1)
        #expect(again.stderr.contains("already has its on-the-spot evaluation"))
        let scorecard = try json(try daemon.ctl("department", "scorecard", "--year", "2024", "--json").stdout)
        let lines = try #require((scorecard["scorecard"] as? [String: Any])?["lines"] as? [[String: Any]])
        #expect(lines.first { $0["department"] as? String == "b2" }?["evaluations"] as? Int == 2)
        #expect(daemon.stop() == 0)
    }
}

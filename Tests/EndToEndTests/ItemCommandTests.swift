import Foundation
import Testing

/// The real `oversightd` driven by the real `oversightctl`: tracked items from adding to accepted implementation.
@Suite(.serialized)
struct ItemCommandTests {
    /// Runs `oversightctl` and expects success; returns stdout trimmed.
    @discardableResult
    private func ok(_ daemon: Daemon, _ arguments: [String]) throws -> String {
        let result = try daemon.ctl(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `oversightctl … --json` and parses the document.
    private func document(_ daemon: Daemon, _ arguments: [String]) throws -> [String: Any] {
        try json(ok(daemon, arguments + ["--json"]))
    }

    private func ids(_ list: [String: Any]) -> [String] {
        (list["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
    }

    private func head(_ daemon: Daemon) throws -> Int? {
        try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
    }

    @Test func `items are added, assigned, answered, accepted, reopened, re-dated, escalated and listed`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        for (code, name) in [("fgw", "市发展和改革委员会"), ("kjj", "市科学技术局"), ("mzj", "市民政局")] {
            try ok(daemon, ["department", "add", code, name])
        }
        let topic = try ok(
            daemon,
            ["topic", "plan", "--year", "2024", "--kind", "linked-supervision", "--title", "《河南省养老服务条例》实施情况联动监督"])
        #expect(topic == "T2024-001")

        // Two items: one open, one added already assigned to a lead and two co-departments.
        let first = try ok(
            daemon,
            [
                "item", "add", "--parent", topic, "--kind", "recommendation", "--aspect", "养老服务设施", "--text",
                "加快农村敬老院改造提升", "--date", "2024-08-30",
            ])
        #expect(first == "I2024-001")
        let added = try document(
            daemon,
            [
                "item", "add", "--parent", topic, "--kind", "problem", "--aspect", "护理队伍", "--text", "护理人员数量不足、待遇偏低",
                "--lead", "mzj", "--co-department", "fgw", "--co-department", "kjj", "--due", "2024-11-30", "--date",
                "2024-08-30",
            ])
        let second = try #require((added["item"] as? [String: Any])?["id"] as? String)
        #expect(second == "I2024-002")
        #expect((added["item"] as? [String: Any])?["state"] as? String == "assigned")
        #expect((added["item"] as? [String: Any])?["coDepartments"] as? [String] == ["fgw", "kjj"])

        try ok(daemon, ["item", "assign", first, "--lead", "kjj", "--due", "2024-10-31", "--date", "2024-09-02"])

        // Each department answers separately; the second answer is after the due date.
        let onTime = try document(
            daemon,
            [
                "item", "answer", second, "--department", "mzj", "--claimed", "in-progress", "--text", "已招聘护理员120名",
                "--date", "2024-11-20",
            ])
        #expect(onTime["onTime"] as? Bool == true)
        let late = try ok(
            daemon,
            [
                "item", "answer", second, "--department", "fgw", "--claimed", "cannot-resolve-now", "--text",
                "提高待遇需纳入下年度预算", "--reason", "受年度预算限制", "--date", "2024-12-05",
            ])
        #expect(late.contains("answered late"))
        try ok(daemon, ["item", "accept", second, "--date", "2024-12-10", "--note", "现场核查"])
        try ok(daemon, ["item", "reopen", second, "--reason", "回访发现护理人员仍不足", "--date", "2024-12-15"])
        try ok(
            daemon,
            [
                "item", "change-due", second, "--due", "2025-01-31", "--reason", "涉及跨年度预算", "--approver", "李主任",
                "--date", "2024-12-16",
            ])

        // Escalation of the unanswered item: a reminder, then a supervision notice with a new due date.
        try ok(daemon, ["item", "escalate", first, "--step", "reminder", "--date", "2024-11-05"])
        try ok(
            daemon,
            ["item", "escalate", first, "--step", "supervision-notice", "--due", "2024-11-30", "--date", "2024-11-10"])

        // The board and its filters.
        let all = try document(daemon, ["item", "list", "--as-of", "2024-12-31"])
        #expect(ids(all) == [first, second])
        #expect(all["total"] as? Int == 2)
        #expect(all["aspects"] as? Int == 2)
        #expect(all["overdue"] as? Int == 1)
        let counts = (all["counts"] as? [[String: Any]] ?? []).map { "\($0["state"] ?? "")=\($0["count"] ?? "")" }
        #expect(counts == ["assigned=1", "reopened=1"])
        #expect(ids(try document(daemon, ["item", "list", "--department", "fgw"])) == [second])
        #expect(ids(try document(daemon, ["item", "list", "--department", "kjj"])) == [first, second])
        let typo = try daemon.ctl("item", "list", "--department", "nosuch")
        #expect(typo.status == 1)
        #expect(typo.stderr.contains("no department has the code nosuch"), "\(typo.stderr)")
        #expect(ids(try document(daemon, ["item", "list", "--overdue", "--as-of", "2024-12-01"])) == [first])
        #expect(ids(try document(daemon, ["item", "list", "--overdue", "--as-of", "2024-11-30"])) == [])
        #expect(ids(try document(daemon, ["item", "list", "--overdue", "--as-of", "2025-02-01"])) == [first, second])
        #expect(ids(try document(daemon, ["item", "list", "--state", "reopened"])) == [second])
        #expect(ids(try document(daemon, ["item", "list", "--kind", "problem"])) == [second])
        #expect(ids(try document(daemon, ["item", "list", "--aspect", "养老服务设施"])) == [first])
        #expect(ids(try document(daemon, ["item", "list", "--parent", topic, "--year", "2024"])) == [first, second])
        #expect(ids(try document(daemon, ["item", "list", "--year", "2023"])) == [])

        let table = try ok(daemon, ["item", "list", "--as-of", "2024-12-01"])
        #expect(table.contains("2 items in 2 aspects: assigned 1, reopened 1; 1 overdue as of 2024-12-01"))
        #expect(table.contains("mzj+fgw,kjj"))
        let rows = table.split(separator: "\n").map(String.init)
        let firstRow = try #require(rows.first { $0.hasPrefix(first) })
        #expect(firstRow.contains(" ! "), "the overdue item is marked")

        // Show: departments, answers with on-time flags, the whole history.
        let shown = try document(daemon, ["item", "show", second, "--as-of", "2024-12-31"])
        let item = try #require(shown["item"] as? [String: Any])
        #expect(item["state"] as? String == "reopened")
        #expect(item["dueDate"] as? String == "2025-01-31")
        #expect(item["reopenCount"] as? Int == 1)
        #expect(item["overdue"] as? Bool == false)
        let departments = (shown["departments"] as? [[String: Any]] ?? []).map {
            "\($0["department"] ?? "")/\($0["role"] ?? "")"
        }
        #expect(departments == ["mzj/lead", "fgw/co", "kjj/co"])
        let answers = shown["answers"] as? [[String: Any]] ?? []
        #expect(answers.map { $0["department"] as? String ?? "" } == ["mzj", "fgw"])
        #expect(answers.map { $0["onTime"] as? Bool ?? true } == [true, false])
        #expect(answers.last?["reason"] as? String == "受年度预算限制")
        let history = (shown["history"] as? [[String: Any]] ?? []).map { $0["type"] as? String ?? "" }
        #expect(
            history == [
                "ItemAdded", "ItemAnswered", "ItemAnswered", "ItemAccepted", "ItemReopened", "ItemDueDateChanged",
            ])
        let escalated = try document(daemon, ["item", "show", first])
        #expect((escalated["item"] as? [String: Any])?["escalation"] as? String == "supervision-notice")
        #expect((escalated["item"] as? [String: Any])?["dueDate"] as? String == "2024-11-30")
        let human = try ok(daemon, ["item", "show", second])
        #expect(human.contains("Due date moved on 2024-12-16 from 2024-11-30 to 2025-01-31"))
        #expect(daemon.stop() == 0)
    }

    @Test func `refused item commands name what is wrong and write nothing`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        for (code, name) in [("kjj", "市科学技术局"), ("mzj", "市民政局")] {
            try ok(daemon, ["department", "add", code, name])
        }
        let topic = try ok(daemon, ["topic", "plan", "--year", "2024", "--kind", "research", "--title", "养老服务专题调研"])
        let id = try ok(
            daemon,
            [
                "item", "add", "--parent", topic, "--kind", "problem", "--aspect", "护理队伍", "--text", "护理人员不足",
                "--lead", "mzj", "--due", "2024-11-30", "--date", "2024-08-30",
            ])
        try ok(
            daemon,
            [
                "item", "answer", id, "--department", "mzj", "--claimed", "resolved", "--text", "已解决", "--date",
                "2024-11-20",
            ])
        try ok(daemon, ["item", "accept", id, "--date", "2024-12-10"])
        let before = try head(daemon)

        let refusals: [([String], String)] = [
            (
                [
                    "item", "add", "--parent", "Q2024-009", "--kind", "problem", "--aspect", "方面", "--text", "问题",
                    "--date", "2024-08-30",
                ], "Q2024-009"
            ),
            (
                [
                    "item", "add", "--parent", topic, "--kind", "problem", "--aspect", " ", "--text", "问题", "--date",
                    "2024-08-30",
                ], "aspect"
            ),
            (
                [
                    "item", "add", "--parent", topic, "--kind", "issue", "--aspect", "方面", "--text", "问题", "--date",
                    "2024-08-30",
                ], "recommendation"
            ),
            (
                [
                    "item", "add", "--parent", topic, "--kind", "problem", "--aspect", "方面", "--text", "问题", "--date",
                    "2099-01-01",
                ], "2099-01-01"
            ),
            (
                [
                    "item", "answer", id, "--department", "mzj", "--claimed", "resolved", "--text", "再次答复",
                    "--date", "2024-12-11",
                ], "accepted"
            ),
            (["item", "accept", "I2024-077", "--date", "2024-12-10"], "I2024-077"),
            (["item", "reopen", id, "--reason", " ", "--date", "2024-12-11"], "reason"),
            (["item", "escalate", id, "--step", "reminder", "--date", "2024-12-11"], "accepted"),
        ]
        for (arguments, word) in refusals {
            let result = try daemon.ctl(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(word), "\(arguments): \(result.stderr)")
        }

        // On a reopened item: a department not on it, cannot-resolve-now without a reason, a skipped step.
        try ok(daemon, ["item", "reopen", id, "--reason", "回访发现问题仍存在", "--date", "2024-12-15"])
        let reopened = try head(daemon)
        #expect(reopened == (before ?? 0) + 1)
        let more: [([String], String)] = [
            (
                [
                    "item", "answer", id, "--department", "kjj", "--claimed", "resolved", "--text", "答复", "--date",
                    "2024-12-20",
                ], "kjj"
            ),
            (
                [
                    "item", "answer", id, "--department", "mzj", "--claimed", "cannot-resolve-now", "--text", "答复",
                    "--date", "2024-12-20",
                ], "reason"
            ),
            (["item", "escalate", id, "--step", "committee-report", "--date", "2024-12-20"], "reminder"),
            (
                [
                    "item", "assign", id, "--lead", "kjj", "--due", "2025-03-31", "--date", "2024-12-20",
                ], "due-date change"
            ),
            (
                [
                    "item", "change-due", id, "--due", "2025-01-31", "--reason", "原因", "--approver", " ", "--date",
                    "2024-12-20",
                ],
                "approver"
            ),
        ]
        for (arguments, word) in more {
            let result = try daemon.ctl(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.stderr.contains(word), "\(arguments): \(result.stderr)")
        }
        #expect(try head(daemon) == reopened, "refused commands wrote nothing")
        let list = try document(daemon, ["item", "list"])
        #expect(list["total"] as? Int == 1)
        #expect(daemon.stop() == 0)
    }
}

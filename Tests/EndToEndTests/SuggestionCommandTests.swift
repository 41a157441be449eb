import Foundation
import Testing

/// Deputies' suggestions through the real `oversightctl` and `oversightd`, including a daemon with a holiday
/// calendar.
@Suite(.serialized)
struct SuggestionCommandTests {
    /// The 2024 national day: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
    static let nationalDay2024 = """
        # 2024 国庆节
        2024-10-01..2024-10-07 holiday 国庆节
        2024-09-29 workday 调休
        2024-10-12 workday 调休
        """

    private func seedDepartments(_ daemon: Daemon) throws {
        for (code, name) in [("fgw", "市发展和改革委员会"), ("kjj", "市科学技术局"), ("mzj", "市民政局")] {
            let result = try daemon.ctl("department", "add", code, name)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    private func head(_ daemon: Daemon) throws -> Int? {
        try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
    }

    /// Runs a command that must succeed.
    @discardableResult
    private func ok(_ daemon: Daemon, _ arguments: String...) throws -> CommandResult {
        let result = try daemon.ctl(arguments)
        #expect(result.status == 0, "\(arguments): \(result.stderr)")
        return result
    }

    /// Runs a command that must be refused with exit 1, writing nothing, and returns its message.
    private func refused(_ daemon: Daemon, _ arguments: String...) throws -> String {
        let before = try head(daemon)
        let result = try daemon.ctl(arguments)
        #expect(result.status == 1, "\(arguments) should be refused: \(result.stdout)")
        #expect(try head(daemon) == before, "a refused command wrote nothing")
        return result.stderr
    }

    @Test func `a suggestion is assigned, replied, rated dissatisfied, re-handled under a new list version and closed`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let submitted = try ok(
            daemon, "suggestion", "submit", "--session", "十二届二次", "--number", "0123", "--title",
            "关于加快推进“两城”建设的建议", "--deputy", "王建国", "--co-signer", "李梅", "--co-signer", "赵强", "--text",
            "建议统筹推进平叶、平郏一体化", "--date", "2024-02-20")
        let id = submitted.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "S2024-001")

        #expect(
            try refused(
                daemon, "suggestion", "submit", "--session", "十二届二次", "--number", "0123", "--title", "另一条",
                "--deputy", "刘洋", "--date", "2024-02-21"
            ).contains("already recorded as S2024-001"))
        #expect(
            try refused(daemon, "suggestion", "reply", id, "--category", "A", "--text", "答复", "--date", "2024-03-01")
                .contains("is not assigned"))
        #expect(
            try refused(daemon, "suggestion", "rate", id, "--rating", "satisfied", "--date", "2024-03-01")
                .contains("no reply to rate"))
        #expect(
            try refused(daemon, "suggestion", "assign", id, "--lead", "jtj", "--date", "2024-03-15")
                .contains("\"jtj\" is not registered"))

        let assigned = try ok(
            daemon, "suggestion", "assign", id, "--lead", "fgw", "--co", "kjj", "--date", "2024-03-15")
        #expect(assigned.stdout.hasPrefix("Assigned S2024-001: state assigned, reply due 2024-06-15"))
        try ok(daemon, "suggestion", "mark-key", id, "--leader", "张明", "--date", "2024-03-20")

        #expect(
            try refused(daemon, "suggestion", "reply", id, "--category", "C", "--text", "暂难解决", "--date", "2024-06-10")
                .contains("needs a reason"))
        #expect(
            try refused(daemon, "suggestion", "reply", id, "--category", "E", "--text", "答复", "--date", "2024-06-10")
                .contains("use one of A, B, C, D"))
        #expect(
            try refused(
                daemon, "suggestion", "reply", id, "--category", "A", "--text", "答复", "--list", "pds", "--date",
                "2024-06-10"
            ).contains(#"The category list "pds" has no version in force on 2024-06-10"#))
        try ok(
            daemon, "suggestion", "reply", id, "--category", "C", "--text", "已纳入规划", "--reason", "资金未落实",
            "--date", "2024-06-10")
        let rated = try ok(
            daemon, "suggestion", "rate", id, "--rating", "dissatisfied", "--comment", "未解决实际问题", "--date",
            "2024-06-20")
        #expect(rated.stdout.hasPrefix("Rated S2024-001: state rehandling, reply due 2024-07-20"))

        // A local wording of the national list, in force from 1 July: the second reply takes it, the first keeps its own.
        let defined = try ok(
            daemon, "suggestion", "categories", "define", "national", "--effective-from", "2024-07-01", "--category",
            "A=所提问题已经解决", "--category", "B=正在解决", "--category", "C=暂不具备解决条件", "--category", "D=留作参考",
            "--reason-required", "C")
        #expect(defined.stdout.hasPrefix("Defined national@2, in force from 2024-07-01"))
        let categories = try ok(daemon, "suggestion", "categories", "show")
        #expect(categories.stdout.contains("national@1 (built in)"))
        #expect(categories.stdout.contains("C       因条件限制暂时难以解决      required"))

        try ok(daemon, "suggestion", "reply", id, "--category", "B", "--text", "已列入明年计划", "--date", "2024-07-15")
        try ok(daemon, "suggestion", "rate", id, "--rating", "basically-satisfied", "--date", "2024-07-20")
        try ok(daemon, "suggestion", "close", id, "--date", "2024-07-25")
        #expect(
            try refused(daemon, "suggestion", "rate", id, "--rating", "satisfied", "--date", "2024-07-26")
                .contains("is closed"))

        let shown = try json(ok(daemon, "suggestion", "show", id, "--json").stdout)
        let suggestion = shown["suggestion"] as? [String: Any]
        #expect(suggestion?["state"] as? String == "closed")
        #expect(suggestion?["key"] as? Bool == true)
        #expect(suggestion?["supervisingLeader"] as? String == "张明")
        #expect(suggestion?["category"] as? String == "B")
        #expect(suggestion?["categoryList"] as? String == "national@2")
        #expect(suggestion?["categoryMeaning"] as? String == "正在解决")
        #expect(suggestion?["rating"] as? String == "basically-satisfied")
        #expect(suggestion?["round"] as? Int == 2)
        let replies = shown["replies"] as? [[String: Any]] ?? []
        #expect(replies.map { $0["category"] as? String ?? "" } == ["C", "B"])
        #expect(replies.map { $0["categoryMeaning"] as? String ?? "" } == ["因条件限制暂时难以解决", "正在解决"])
        #expect(replies.map { $0["rating"] as? String ?? "" } == ["dissatisfied", "basically-satisfied"])
        #expect(replies.map { $0["onTime"] as? Bool ?? false } == [true, true])
        let history = shown["history"] as? [[String: Any]] ?? []
        #expect(
            history.map { $0["type"] as? String ?? "" } == [
                "SuggestionSubmitted", "SuggestionAssigned", "SuggestionMarkedKey", "SuggestionReplied",
                "SuggestionRated", "SuggestionRehandlingStarted", "SuggestionReplied", "SuggestionRated",
                "SuggestionClosed",
            ])

        try ok(
            daemon, "suggestion", "submit", "--session", "十二届二次", "--number", "0124", "--title", "关于改善老旧小区的建议",
            "--deputy", "刘洋", "--date", "2024-02-21")
        let board = try json(ok(daemon, "suggestion", "list", "--session", "十二届二次", "--json").stdout)
        #expect(board["total"] as? Int == 2)
        let byState = (board["byState"] as? [[String: Any]] ?? []).map {
            "\($0["value"] as? String ?? "?")=\($0["count"] as? Int ?? 0)"
        }
        #expect(byState == ["closed=1", "unassigned=1"])
        let byCategory = (board["byCategory"] as? [[String: Any]] ?? []).map {
            "\($0["value"] as? String ?? "?")=\($0["count"] as? Int ?? 0)"
        }
        #expect(byCategory == ["=1", "B=1"])
        let key = try json(ok(daemon, "suggestion", "list", "--key", "--json").stdout)
        #expect((key["suggestions"] as? [[String: Any]])?.map { $0["id"] as? String ?? "" } == ["S2024-001"])
        let byUnit = try json(ok(daemon, "suggestion", "list", "--unit", "kjj", "--json").stdout)
        #expect(byUnit["total"] as? Int == 1)

        let table = try ok(daemon, "suggestion", "list", "--year", "2024")
        let lines = table.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("ID         SESSION     NO.   TITLE") == true)
        #expect(lines.contains { $0.hasPrefix("S2024-001  十二届二次  0123  关于加快推进“两城”建设的建议") })
        #expect(lines.contains("2 suggestions"))
        #expect(lines.contains("  by state: closed 1, unassigned 1"))

        let log = try ok(daemon, "log", "show", "--json")
        #expect(log.stdout.contains(#""type":"SuggestionReplied""#))
        #expect(try daemon.ctl("verify").status == 0)
        #expect(daemon.stop() == 0)
    }

    @Test
    func `with a holiday calendar a return may span the national day, and one after the 7th working day is refused`()
        throws
    {
        let scratch = try Scratch()
        let calendar = scratch.url.appendingPathComponent("holidays.txt")
        try Self.nationalDay2024.write(to: calendar, atomically: true, encoding: .utf8)
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--holiday-calendar", calendar.path])
        try seedDepartments(daemon)
        for number in ["0001", "0002"] {
            try ok(
                daemon, "suggestion", "submit", "--session", "十二届二次", "--number", number, "--title", "建议\(number)",
                "--deputy", "王建国", "--date", "2024-09-02")
        }
        for id in ["S2024-001", "S2024-002"] {
            try ok(daemon, "suggestion", "assign", id, "--lead", "fgw", "--date", "2024-09-27")
        }
        // Monday to Friday alone would end on 8 October; the calendar moves the 7th working day to Saturday 12 October.
        let returned = try ok(
            daemon, "suggestion", "return", "S2024-001", "--unit", "fgw", "--reason", "不属于本单位职责", "--date",
            "2024-10-11")
        #expect(returned.stdout.hasPrefix("Returned S2024-001: state unassigned"))
        let late = try refused(
            daemon, "suggestion", "return", "S2024-002", "--unit", "fgw", "--reason", "不属于本单位职责", "--date",
            "2024-10-14")
        #expect(late.contains("within 7 working days of its assignment on 2024-09-27, that is by 2024-10-12"))
        let rejected = try daemon.ctl(
            "suggestion", "return", "S2024-002", "--unit", "fgw", "--reason", "x", "--date", "2024-10-14", "--json")
        #expect(rejected.status == 1)

        try ok(daemon, "suggestion", "assign", "S2024-001", "--lead", "mzj", "--date", "2024-10-15")
        let shown = try json(ok(daemon, "suggestion", "show", "S2024-001", "--json").stdout)
        let suggestion = shown["suggestion"] as? [String: Any]
        #expect(suggestion?["leadUnit"] as? String == "mzj")
        #expect(suggestion?["returns"] as? Int == 1)
        #expect(suggestion?["firstAssignedOn"] as? String == "2024-09-27")
        #expect(suggestion?["dueDate"] as? String == "2025-01-15")
        #expect(daemon.stop() == 0)
    }

    @Test func `an invalid holiday calendar stops the daemon with a message naming the line`() throws {
        let scratch = try Scratch()
        let calendar = scratch.url.appendingPathComponent("holidays.txt")
        try "2024-10-01 holiday 国庆节\n# comment\n2024-10-02 day-off\n".write(
            to: calendar, atomically: true, encoding: .utf8)
        let result = try run(
            Binaries.daemon,
            ["--socket", scratch.socket, "--state-dir", scratch.stateDirectory, "--holiday-calendar", calendar.path],
            timeout: 20)
        #expect(result.status == 78, "EX_CONFIG")
        #expect(result.stderr.contains("line 3: unknown kind \"day-off\""), "\(result.stderr)")
        #expect(result.stderr.contains(calendar.path))
        #expect(!FileManager.default.fileExists(atPath: scratch.socket))

        let missing = try run(
            Binaries.daemon,
            [
                "--socket", scratch.socket, "--state-dir", scratch.stateDirectory, "--holiday-calendar",
                scratch.url.appendingPathComponent("none.txt").path,
            ], timeout: 20)
        #expect(missing.status == 78, "EX_CONFIG")
        #expect(missing.stderr.contains("cannot read the holiday calendar"))
    }
}

import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The real `oversightd` driven by the real `oversightctl`: topics, departments, the log, restarts, locking.
@Suite(.serialized)
struct EndToEndTests {
    /// Registers the departments the seed names.
    private func seedDepartments(_ daemon: Daemon) throws {
        for (code, name) in [("fgw", "市发展和改革委员会"), ("kjj", "市科学技术局"), ("mzj", "市民政局")] {
            let result = try daemon.ctl("department", "add", code, name)
            #expect(result.status == 0, "\(result.stderr)")
        }
    }

    @Test func `departments are added, listed with aligned Chinese names, and a duplicate is refused`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let list = try daemon.ctl("department", "list")
        #expect(list.status == 0)
        let lines = list.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("CODE") == true)
        #expect(lines.contains { $0.hasPrefix("fgw   市发展和改革委员会") })
        #expect(lines.last == "3 departments")

        let head = try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
        let duplicate = try daemon.ctl("department", "add", "fgw", "另一个名字")
        #expect(duplicate.status != 0)
        #expect(duplicate.stderr.contains("fgw"))
        let bad = try daemon.ctl("department", "add", "Bad Code", "名字")
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("department code"))
        let after = try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
        #expect(head == after, "a refused command wrote nothing")
        #expect(daemon.stop() == 0)
    }

    @Test func `a topic goes through its whole lifecycle, with a send-back round, and its timeline shows every step`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let plan = try daemon.ctl(
            "topic", "plan", "--year", "2024", "--kind", "linked-supervision",
            "--title", "《河南省养老服务条例》实施情况联动监督", "--committee", "教科文卫委", "--department", "mzj",
            "--department", "fgw", "--theme", "养老服务"
        )
        #expect(plan.status == 0, "\(plan.stderr)")
        let id = plan.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(id == "T2024-001")

        let steps: [[String]] = [
            [
                "topic", "activity", id, "--kind", "field-visit", "--date", "2024-05-10", "--place", "舞钢市",
                "--unit", "舞钢市社会福利中心", "--people-met", "20",
            ],
            ["topic", "deliberate", id, "--term", "12", "--session", "13", "--date", "2024-08-19"],
            ["topic", "transfer", id, "--date", "2024-08-30", "--due", "2024-11-30", "--summary", "4个方面16条建议"],
            ["topic", "report", id, "--date", "2024-11-20"],
            ["topic", "send-back", id, "--date", "2024-11-28", "--due", "2025-02-28", "--reason", "整改不到位"],
            ["topic", "report", id, "--date", "2025-02-20"],
            ["topic", "close", id, "--date", "2025-03-01"],
        ]
        for step in steps {
            let result = try daemon.ctl(step)
            #expect(result.status == 0, "\(step): \(result.stderr)")
        }
        let shown = try json(daemon.ctl("topic", "show", id, "--json").stdout)
        let topic = shown["topic"] as? [String: Any]
        #expect(topic?["status"] as? String == "closed")
        #expect(topic?["round"] as? Int == 2)
        #expect(topic?["dueDate"] as? String == "2025-02-28")
        let timeline = shown["timeline"] as? [[String: Any]] ?? []
        #expect(
            timeline.map { $0["type"] as? String ?? "" } == [
                "TopicPlanned", "TopicActivityRecorded", "TopicDeliberated", "TopicOpinionsTransferred",
                "TopicHandlingReported", "TopicSentBack", "TopicHandlingReported", "TopicClosed",
            ])
        let human = try daemon.ctl("topic", "show", id)
        #expect(human.stdout.contains("12th committee, 13th session, 2024-08-19"))

        let again = try daemon.ctl("topic", "close", id, "--date", "2025-03-02")
        #expect(again.status != 0)
        #expect(again.stderr.lowercased().contains("closed"))
        #expect(daemon.stop() == 0)
    }

    @Test func `refusals name what is wrong and write nothing`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let head = try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int

        let notPlanned = try daemon.ctl("topic", "deliberate", "T2024-009", "--session", "3", "--date", "2024-03-01")
        #expect(notPlanned.status != 0)
        #expect(notPlanned.stderr.contains("T2024-009"))

        let unknownDepartment = try daemon.ctl(
            "topic", "plan", "--year", "2024", "--kind", "research", "--title", "调研", "--department", "nope"
        )
        #expect(unknownDepartment.status != 0)
        #expect(unknownDepartment.stderr.contains("nope"))

        let badKind = try daemon.ctl("topic", "plan", "--year", "2024", "--kind", "picnic", "--title", "调研")
        #expect(badKind.status != 0)
        #expect(badKind.stderr.contains("kind"))
        #expect(badKind.stderr.contains("law-inspection"))

        let badDate = try daemon.ctl("topic", "plan", "--year", "2024", "--kind", "research", "--title", "调研")
        #expect(badDate.status == 0)
        let id = badDate.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let wrongDate = try daemon.ctl("topic", "deliberate", id, "--session", "3", "--date", "2024-02-30")
        #expect(wrongDate.status != 0)
        #expect(wrongDate.stderr.contains("2024-02-30"))

        let after = try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
        #expect(after == (head ?? 0) + 1, "only the one valid plan was recorded")
        #expect(daemon.stop() == 0)
    }

    @Test func `the board filters by year, kind and status and counts by status`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        for (year, kind) in [(2024, "research"), (2024, "law-inspection"), (2023, "research")] {
            let result = try daemon.ctl(
                "topic", "plan", "--year", "\(year)", "--kind", kind, "--title", "议题\(year)\(kind)")
            #expect(result.status == 0, "\(result.stderr)")
        }
        let all2024 = try json(daemon.ctl("topic", "list", "--year", "2024", "--json").stdout)
        #expect(all2024["total"] as? Int == 2)
        let research = try json(daemon.ctl("topic", "list", "--kind", "research", "--json").stdout)
        #expect(research["total"] as? Int == 2)
        let planned = try json(daemon.ctl("topic", "list", "--status", "planned", "--year", "2023", "--json").stdout)
        #expect(planned["total"] as? Int == 1)
        let counts = planned["counts"] as? [[String: Any]]
        #expect(counts?.first?["status"] as? String == "planned")
        #expect(counts?.first?["count"] as? Int == 1)
        let table = try daemon.ctl("topic", "list", "--year", "2024")
        #expect(table.stdout.contains("T2024-001"))
        #expect(table.stdout.contains("T2024-002"))
        #expect(table.stdout.contains("2 topics: planned 2"))
        #expect(daemon.stop() == 0)
    }

    @Test func `a retried command id returns the first result and records nothing`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let first = try daemon.ctl("department", "add", "fgw", "市发展和改革委员会", "--command-id", "retry-1", "--json")
        let second = try daemon.ctl("department", "add", "fgw", "市发展和改革委员会", "--command-id", "retry-1", "--json")
        #expect(first.status == 0)
        #expect(second.status == 0)
        #expect(first.stdout == second.stdout)
        let reused = try daemon.ctl("department", "add", "kjj", "市科学技术局", "--command-id", "retry-1")
        #expect(reused.status != 0)
        #expect(reused.stderr.contains("retry-1"))
        let head = try json(daemon.ctl("status", "--json").stdout)["headPosition"] as? Int
        #expect(head == 1)
        #expect(daemon.stop() == 0)
    }

    @Test func `log follow in one process sees an event appended by another, resuming exactly after a position`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)  // positions 1, 2, 3

        let follower = Process()
        follower.executableURL = Binaries.ctl
        follower.arguments = ["log", "follow", "--after", "2", "--json", "--socket", scratch.socket]
        let out = Pipe()
        follower.standardOutput = out
        follower.standardError = FileHandle.nullDevice
        let received = LockedData()
        out.fileHandleForReading.readabilityHandler = { handle in received.append(handle.availableData) }
        try follower.run()

        let added = try daemon.ctl("department", "add", "wjw", "市卫生健康委员会")
        #expect(added.status == 0)
        let deadline = Date().addingTimeInterval(10)
        var lines: [[String: Any]] = []
        while Date() < deadline {
            lines = String(decoding: received.get(), as: UTF8.self).split(separator: "\n").compactMap {
                try? json(String($0))
            }
            if lines.count >= 2 { break }
            usleep(20_000)
        }
        #expect(lines.map { $0["position"] as? Int ?? 0 } == [3, 4], "no gap, no duplicate after position 2")
        #expect(lines.last?["type"] as? String == "DepartmentAdded")
        #expect((lines.last?["data"] as? [String: Any])?["code"] as? String == "wjw")

        // Stopping the daemon ends the stream cleanly, naming where to resume.
        #expect(daemon.stop() == 0)
        follower.waitUntilExit()
        #expect(follower.terminationStatus == 75)
    }

    @Test func `log show prints events with hashes, and verify finds the chain intact`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let shown = try daemon.ctl("log", "show", "--after", "1", "--limit", "1", "--json")
        let events = shown.stdout.split(separator: "\n").compactMap { try? json(String($0)) }
        #expect(events.count == 1)
        #expect(events.first?["position"] as? Int == 2)
        #expect((events.first?["hash"] as? String)?.count == 64)
        let verify = try daemon.ctl("verify")
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("Intact: 3 events checked"))
        let status = try daemon.ctl("status")
        #expect(status.stdout.contains("Log head:"))
        #expect(daemon.stop() == 0)
    }

    @Test func `a restart keeps every record, and a second daemon on the same state directory is refused`() throws {
        let scratch = try Scratch()
        var daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        let planned = try daemon.ctl("topic", "plan", "--year", "2024", "--kind", "budget", "--title", "2023年度决算审查")
        #expect(planned.status == 0)
        let before = try daemon.ctl("topic", "list", "--json").stdout

        // A second daemon with the same state directory (even on another socket) must not start.
        let second = try run(
            Binaries.daemon,
            [
                "--socket", scratch.url.appendingPathComponent("other.sock").path, "--state-dir",
                scratch.stateDirectory,
            ], timeout: 20
        )
        #expect(second.status != 0)
        #expect(second.stderr.contains("state directory"))
        #expect(try daemon.ctl("department", "list").status == 0, "the first daemon still serves")

        #expect(daemon.stop() == 0)
        #expect(!FileManager.default.fileExists(atPath: scratch.socket), "a clean stop removes the socket")
        daemon = try Daemon(scratch: scratch)
        #expect(try daemon.ctl("topic", "list", "--json").stdout == before)
        #expect(try daemon.ctl("verify").status == 0)
        #expect(daemon.stop() == 0)
    }

    @Test func `a daemon killed with SIGKILL leaves a stale socket that the next start removes`() throws {
        let scratch = try Scratch()
        var daemon = try Daemon(scratch: scratch)
        try seedDepartments(daemon)
        daemon.stop(signal: SIGKILL)
        #expect(FileManager.default.fileExists(atPath: scratch.socket))
        daemon = try Daemon(scratch: scratch)
        let list = try json(daemon.ctl("department", "list", "--json").stdout)
        #expect((list["departments"] as? [Any])?.count == 3)
        #expect(daemon.stop() == 0)
    }

    @Test func `a daemon on a live socket of another state directory refuses to start`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let second = try run(
            Binaries.daemon,
            ["--socket", scratch.socket, "--state-dir", scratch.url.appendingPathComponent("s2").path],
            timeout: 20
        )
        #expect(second.status != 0)
        #expect(second.stderr.contains("listening on"))
        #expect(try daemon.ctl("status").status == 0)
        #expect(daemon.stop() == 0)
    }

    @Test func `the CLI refuses incomplete commands with usage, exit 64, before contacting the daemon`() throws {
        let scratch = try Scratch()
        let missing = try run(Binaries.ctl, ["topic", "plan", "--kind", "research", "--socket", scratch.socket])
        #expect(missing.status == 64)
        #expect(missing.stderr.contains("--year"))
        let negative = try run(Binaries.ctl, ["log", "show", "--after", "-3", "--socket", scratch.socket])
        #expect(negative.status == 64)
        #expect(negative.stderr.contains("--after"))
        let help = try run(Binaries.ctl, ["topic", "plan", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("law-inspection"))
    }

    @Test func `the CLI explains an unreachable daemon`() throws {
        let scratch = try Scratch()
        let result = try run(Binaries.ctl, ["department", "list", "--socket", scratch.socket])
        #expect(result.status == 69)
        #expect(result.stderr.contains("cannot connect to oversightd"))
    }
}

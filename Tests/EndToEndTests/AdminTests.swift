import Foundation
import GRDB
import OversightStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What concurrent clients saw: each acknowledged department code and when its `oversightctl` returned.
final class Acknowledgements: @unchecked Sendable {
    /// Guarded by `lock`; @unchecked because NSLock protects every access.
    private var entries: [(code: String, at: Date)] = []
    private var failures: [String] = []
    private let lock = NSLock()

    func record(_ code: String) { lock.lock(); entries.append((code, Date())); lock.unlock() }
    func fail(_ message: String) { lock.lock(); failures.append(message); lock.unlock() }
    var all: [(code: String, at: Date)] { lock.lock(); defer { lock.unlock() }; return entries }
    var errors: [String] { lock.lock(); defer { lock.unlock() }; return failures }
}

/// `org.oversight.admin` end to end: online backup under concurrent writes, restore, rebuild, status.
@Suite(.serialized)
struct AdminTests {
    /// Records a small board: departments and two topics with a step each.
    private func seed(_ daemon: Daemon) throws {
        for (code, name) in [("fgw", "市发展和改革委员会"), ("kjj", "市科学技术局"), ("mzj", "市民政局")] {
            let result = try daemon.ctl("department", "add", code, name)
            #expect(result.status == 0, "\(result.stderr)")
        }
        for (title, department) in [("养老服务条例执法检查", "mzj"), ("科技创新工作报告", "kjj")] {
            let plan = try daemon.ctl(
                "topic", "plan", "--year", "2024", "--kind", "law-inspection", "--title", title, "--department",
                department)
            #expect(plan.status == 0, "\(plan.stderr)")
        }
        let activity = try daemon.ctl(
            "topic", "activity", "T2024-001", "--kind", "inspection", "--date", "2024-04-15", "--place", "舞钢市")
        #expect(activity.status == 0, "\(activity.stderr)")
    }

    /// The boards a reader sees, as JSON text.
    private func boards(_ daemon: Daemon) throws -> [String] {
        try [
            daemon.ctl("department", "list", "--json"), daemon.ctl("topic", "list", "--year", "2024", "--json"),
            daemon.ctl("topic", "show", "T2024-001", "--json"), daemon.ctl("log", "show", "--json"),
        ].map { result in
            #expect(result.status == 0, "\(result.stderr)")
            return result.stdout
        }
    }

    private func streams(inDatabaseAt path: String) throws -> Set<String> {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        return Set(try queue.read { db in try String.fetchAll(db, sql: "SELECT stream FROM event") })
    }

    @Test func `a backup taken while 8 clients write holds every event acknowledged before it, and its chain verifies`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let socket = scratch.socket
        let acknowledgements = Acknowledgements()
        let group = DispatchGroup()
        for writer in 0..<8 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                for index in 0..<6 {
                    let code = "w\(writer)n\(index)"
                    do {
                        let result = try run(
                            Binaries.ctl, ["department", "add", code, "部门\(writer)-\(index)"],
                            environment: ["OVERSIGHT_SOCKET": socket])
                        if result.status == 0 {
                            acknowledgements.record(code)
                        } else {
                            acknowledgements.fail("\(code): \(result.stderr)")
                        }
                    } catch {
                        acknowledgements.fail("\(code): \(error)")
                    }
                }
            }
        }
        let deadline = Date().addingTimeInterval(30)
        while acknowledgements.all.count < 8, Date() < deadline { usleep(10_000) }
        let started = Date()
        let backupPath = scratch.url.appendingPathComponent("backup.sqlite").path
        let backup = try daemon.ctl("admin", "backup", backupPath, "--json")
        group.wait()
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(acknowledgements.errors.isEmpty, "\(acknowledgements.errors)")

        let reply = try json(backup.stdout)
        #expect(reply["intact"] as? Bool == true)
        let verification = try verifyChain(ofDatabaseAt: backupPath)
        #expect(verification.isIntact, "\(verification.problem ?? "")")
        #expect(verification.checked == verification.head.position)
        #expect(reply["headPosition"] as? Int == Int(verification.head.position))

        let before = acknowledgements.all.filter { $0.at < started }
        #expect(before.count >= 8)
        let copied = try streams(inDatabaseAt: backupPath)
        for entry in before {
            #expect(copied.contains("department-\(entry.code)"), "\(entry.code) was acknowledged before the backup")
        }
        // Writes went on: the live log ends with all 48 departments.
        let live = try json(daemon.ctl("status", "--json").stdout)
        #expect(live["headPosition"] as? Int == 48)
        #expect(daemon.stop() == 0)
    }

    @Test func `a restored backup serves the same boards, keeps the replaced database, and a tampered copy is refused`()
        throws
    {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seed(daemon)
        let original = try boards(daemon)
        let backupPath = scratch.url.appendingPathComponent("copy.sqlite").path
        let backup = try daemon.ctl("admin", "backup", backupPath)
        #expect(backup.status == 0, "\(backup.stderr)")
        #expect(backup.stdout.contains("chain intact"))

        // A backup never overwrites, and the path is the daemon's: relative paths are refused before sending.
        let again = try daemon.ctl("admin", "backup", backupPath)
        #expect(again.status == 1)
        #expect(again.stderr.contains("already exists"))
        let relative = try daemon.ctl("admin", "backup", "copy.sqlite")
        #expect(relative.status == 64)
        #expect(relative.stderr.contains("absolute"))
        let nowhere = try daemon.ctl("admin", "backup", "/nonexistent-dir/x.sqlite")
        #expect(nowhere.status == 1)
        #expect(nowhere.stderr.contains("/nonexistent-dir"))

        // Restoring while the daemon holds the state directory is refused.
        let busy = try run(
            Binaries.daemon, ["--restore", backupPath, "--state-dir", scratch.stateDirectory])
        #expect(busy.status == 75, "\(busy.stderr)")
        #expect(busy.stderr.contains("lock"))
        #expect(daemon.stop() == 0)

        // Into a fresh state directory: the restored daemon serves the same boards.
        let fresh = try Scratch()
        let restore = try run(
            Binaries.daemon, ["--restore", backupPath, "--state-dir", fresh.stateDirectory])
        #expect(restore.status == 0, "\(restore.stderr)")
        #expect(restore.stdout.contains("Restored"))
        let restored = try Daemon(scratch: fresh)
        #expect(try boards(restored) == original)
        let verify = try restored.ctl("verify")
        #expect(verify.status == 0)
        #expect(restored.stop() == 0)

        // Over an existing database: the old one is kept beside it.
        let over = try run(Binaries.daemon, ["--restore", backupPath, "--state-dir", scratch.stateDirectory])
        #expect(over.status == 0, "\(over.stderr)")
        let kept = try FileManager.default.contentsOfDirectory(atPath: scratch.stateDirectory)
            .filter { $0.hasPrefix("oversight.sqlite.before-restore-") && !$0.hasSuffix("-wal") }
        #expect(kept.count == 1, "\(kept)")

        // Tamper with event 4 of a copy (the triggers that forbid it are dropped first): refused, naming 4.
        let tampered = scratch.url.appendingPathComponent("tampered.sqlite").path
        try FileManager.default.copyItem(atPath: backupPath, toPath: tampered)
        let queue = try DatabaseQueue(path: tampered)
        try queue.write { db in
            let triggers = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'event'")
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger)") }
            try db.execute(sql: "UPDATE event SET data = '{\"code\":\"fgw\",\"name\":\"改过\"}' WHERE position = 4")
        }
        try queue.close()
        let other = try Scratch()
        let refused = try run(Binaries.daemon, ["--restore", tampered, "--state-dir", other.stateDirectory])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("position 4"), "\(refused.stderr)")
        #expect(
            !FileManager.default.fileExists(atPath: other.url.appendingPathComponent("state/oversight.sqlite").path))
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: other.stateDirectory).allSatisfy {
                $0 == "oversightd.lock"
            })
    }

    @Test func `a rebuild while queries run leaves every board as it was, and an unknown name is refused`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        try seed(daemon)
        let before = try boards(daemon)
        let socket = scratch.socket
        let expectedTopics = before[1]
        let mismatches = Acknowledgements()
        let stop = Acknowledgements()
        let group = DispatchGroup()
        for reader in 0..<3 {
            group.enter()
            DispatchQueue.global().async {
                defer { group.leave() }
                while stop.all.isEmpty {
                    guard
                        let result = try? run(
                            Binaries.ctl, ["topic", "list", "--year", "2024", "--json"],
                            environment: ["OVERSIGHT_SOCKET": socket])
                    else { continue }
                    if result.status != 0 || result.stdout != expectedTopics {
                        mismatches.fail("reader \(reader): \(result.status) \(result.stdout) \(result.stderr)")
                    } else {
                        mismatches.record("ok")
                    }
                }
            }
        }
        for _ in 0..<3 {
            let all = try daemon.ctl("admin", "rebuild", "--json")
            #expect(all.status == 0, "\(all.stderr)")
            let rebuilt = try json(all.stdout)["rebuilt"] as? [String] ?? []
            #expect(rebuilt.contains("topic-board") && rebuilt.contains("department-list"))
        }
        let one = try daemon.ctl("admin", "rebuild", "topic-board")
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout.hasPrefix("Rebuilt topic-board up to position 6"), "\(one.stdout)")
        stop.record("stop")
        group.wait()
        #expect(mismatches.errors.isEmpty, "\(mismatches.errors)")
        #expect(!mismatches.all.isEmpty, "the readers ran")
        #expect(try boards(daemon) == before)

        let unknown = try daemon.ctl("admin", "rebuild", "no-such-board")
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no-such-board") && unknown.stderr.contains("topic-board"))
        // Recording still works after the rebuilds.
        let add = try daemon.ctl("department", "add", "sfj", "市司法局")
        #expect(add.status == 0, "\(add.stderr)")
        #expect(daemon.stop() == 0)
    }

    @Test func `status shows each read model's position and lag, and an outdated version is rebuilt before serving`()
        throws
    {
        let scratch = try Scratch()
        var daemon = try Daemon(scratch: scratch)
        try seed(daemon)
        let before = try boards(daemon)
        let status = try json(daemon.ctl("status", "--json").stdout)
        let head = try #require(status["headPosition"] as? Int)
        let projections = try #require(status["projections"] as? [[String: Any]])
        #expect(projections.contains { $0["name"] as? String == "merkle-blocks" })
        #expect(projections.count == 9)
        for projection in projections {
            #expect(projection["position"] as? Int == head, "\(projection)")
            #expect(projection["lag"] as? Int == 0, "\(projection)")
        }
        let text = try daemon.ctl("status")
        #expect(text.stdout.contains("Log head:"))
        #expect(text.stdout.contains("Uptime:") && text.stdout.contains("Connections:"))
        #expect(text.stdout.split(separator: "\n").contains { $0.hasPrefix("topic-board") && $0.hasSuffix("  0") })
        #expect(daemon.stop() == 0)

        // Simulate a build whose topic-board has a newer version: the stored one is older and its table is empty.
        let queue = try DatabaseQueue(path: scratch.stateDirectory + "/oversight.sqlite")
        try queue.write { db in
            try db.execute(sql: "UPDATE projection_checkpoint SET version = version - 1 WHERE name = 'topic-board'")
            try db.execute(sql: "DELETE FROM topic")
        }
        try queue.close()
        daemon = try Daemon(scratch: scratch)
        #expect(try boards(daemon) == before, "the first query after start already sees the rebuilt board")
        #expect(String(decoding: daemon.stderr.get(), as: UTF8.self).contains("Projection rebuilt"))
        #expect(daemon.stop() == 0)
    }
}

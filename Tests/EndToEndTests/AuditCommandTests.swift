import Foundation
import OversightStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Records `count` departments (one event each), codes `prefix1`, `prefix2`, ….
func addDepartments(_ daemon: Daemon, _ count: Int, prefix: String = "d", from start: Int = 1) throws {
    for index in start..<(start + count) {
        let result = try daemon.ctl("department", "add", "\(prefix)\(index)", "部门\(index)")
        #expect(result.status == 0, "\(result.stderr)")
    }
}

/// The path of a file in the scratch directory.
func file(_ scratch: Scratch, _ name: String) -> String { scratch.url.appendingPathComponent(name).path }

@Suite(.serialized)
struct AuditCommandTests {
    @Test func `checkpoints are signed every N events and proofs verify with the public key alone`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--checkpoint-every", "5"])
        try addDepartments(daemon, 12)

        let key = try daemon.ctl("audit", "key")
        #expect(key.status == 0)
        let keyFile = file(scratch, "log.pub")
        try key.stdout.write(toFile: keyFile, atomically: true, encoding: .utf8)
        let beside = try String(contentsOfFile: scratch.stateDirectory + "/audit-verifier.pub", encoding: .utf8)
        #expect(beside == key.stdout)
        var info = stat()
        #expect(stat(scratch.stateDirectory + "/audit-signing.key", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o600)

        let listed = try daemon.ctl("audit", "checkpoints", "--json")
        let sizes = (try json(listed.stdout)["checkpoints"] as? [[String: Any]] ?? []).compactMap { $0["size"] as? Int }
        #expect(sizes == [10, 5])

        let latest = try daemon.ctl("audit", "checkpoint")
        #expect(latest.status == 0)
        #expect(latest.stdout.split(separator: "\n").dropFirst().first == "10")
        let oldCheckpoint = file(scratch, "cp-10.txt")
        try latest.stdout.write(toFile: oldCheckpoint, atomically: true, encoding: .utf8)

        try addDepartments(daemon, 3, from: 13)
        let proofFile = file(scratch, "event-7.tlog-proof")
        let prove = try daemon.ctl("audit", "prove", "7", "--key", keyFile, "-o", proofFile)
        #expect(prove.status == 0, "\(prove.stderr)")
        let verified = try run(Binaries.ctl, ["audit", "verify-proof", proofFile, "--key", keyFile])
        #expect(verified.status == 0, "\(verified.stderr)")
        #expect(verified.stdout.contains("event 7"))

        // Against the witness's own old checkpoint, and after signing a fresh one on demand.
        let inOld = try daemon.ctl("audit", "prove", "3", "--checkpoint", oldCheckpoint, "--key", keyFile)
        #expect(inOld.status == 0, "\(inOld.stderr)")
        #expect(inOld.stdout.contains("\n\n" + latest.stdout))
        let now = try daemon.ctl("audit", "checkpoint", "--now")
        #expect(now.stdout.split(separator: "\n").dropFirst().first == "15")

        // A proof edited to claim another position fails, naming why.
        let proofText = try String(contentsOfFile: proofFile, encoding: .utf8)
        let forged = file(scratch, "forged.tlog-proof")
        try proofText.replacingOccurrences(of: "\nindex 6\n", with: "\nindex 5\n").write(
            toFile: forged, atomically: true, encoding: .utf8)
        let refused = try run(Binaries.ctl, ["audit", "verify-proof", forged, "--key", keyFile])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("FAILED"))

        let consistency = try daemon.ctl("audit", "consistency", "--old", oldCheckpoint, "--key", keyFile)
        #expect(consistency.status == 0, "\(consistency.stderr)")
        #expect(consistency.stderr.contains("consistent"))
        let consistencyFile = file(scratch, "consistency.json")
        try consistency.stdout.write(toFile: consistencyFile, atomically: true, encoding: .utf8)
        let offline = try run(Binaries.ctl, ["audit", "verify-proof", consistencyFile, "--key", keyFile])
        #expect(offline.status == 0, "\(offline.stderr)")

        let database = try run(
            Binaries.ctl,
            [
                "audit", "verify-db", scratch.stateDirectory + "/oversight.sqlite", "--key", keyFile, "--checkpoint",
                oldCheckpoint,
            ])
        #expect(database.status == 0, "\(database.stdout)\(database.stderr)")
        #expect(database.stdout.contains("Verified"))
    }

    @Test func `an export verifies on its own and an edited export names the edited event`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--checkpoint-every", "0"])
        try addDepartments(daemon, 8)
        let keyFile = file(scratch, "log.pub")
        try daemon.ctl("audit", "key").stdout.write(toFile: keyFile, atomically: true, encoding: .utf8)
        for format in ["jsonl", "csv"] {
            let archive = file(scratch, "export.\(format)")
            let export = try daemon.ctl("log", "export", "--from", "2", "--to", "7", "--format", format, archive)
            #expect(export.status == 0, "\(export.stderr)")
            let check = try run(Binaries.ctl, ["audit", "verify-export", archive, "--key", keyFile])
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stdout.contains("events 2–7"))
            let text = try String(contentsOfFile: archive, encoding: .utf8)
            let edited = file(scratch, "edited.\(format)")
            try text.replacingOccurrences(of: "部门5", with: "部门X").write(
                toFile: edited, atomically: true, encoding: .utf8)
            let refused = try run(Binaries.ctl, ["audit", "verify-export", edited, "--key", keyFile])
            #expect(refused.status == 1)
            #expect(refused.stderr.contains("event 5"), "\(refused.stderr)")
            // Nothing is overwritten.
            let again = try daemon.ctl("log", "export", "--format", format, archive)
            #expect(again.status == 64)
        }
        // The export signed a checkpoint covering --to on demand.
        #expect(try daemon.ctl("audit", "checkpoint").status == 0)
    }

    @Test func `the mirror holds every event once, and is completed and checked at start`() throws {
        let scratch = try Scratch()
        let mirror = file(scratch, "log/events.jsonl")
        var daemon: Daemon? = try Daemon(scratch: scratch, extraArguments: ["--audit-mirror", mirror])
        try addDepartments(try #require(daemon), 6)
        func lines() throws -> [[String: Any]] {
            try String(contentsOfFile: mirror, encoding: .utf8).split(separator: "\n").map { try json(String($0)) }
        }
        let shown = try #require(daemon).ctl("log", "show", "--json")
        let hashes = shown.stdout.split(separator: "\n").compactMap { try? json(String($0))["hash"] as? String }
        #expect(try lines().compactMap { $0["hash"] as? String } == hashes)
        #expect(try lines().map { $0["position"] as? Int } == Array(1...6))
        #expect(try (lines().first?["data"] as? [String: Any])?["code"] as? String == "d1")
        #expect(try lines().first?["actor"] as? String != nil)

        // A crash that lost the last two lines and left half a line: the next start repairs it.
        #expect(try #require(daemon).stop(signal: SIGKILL) == SIGKILL)
        daemon = nil
        let text = try String(contentsOfFile: mirror, encoding: .utf8)
        let kept = text.split(separator: "\n").prefix(4).joined(separator: "\n") + "\n" + "{\"position\":5,\"rec"
        try kept.write(toFile: mirror, atomically: false, encoding: .utf8)
        daemon = try Daemon(scratch: scratch, extraArguments: ["--audit-mirror", mirror])
        #expect(try lines().map { $0["position"] as? Int } == Array(1...6))
        try addDepartments(try #require(daemon), 1, from: 7)
        #expect(try lines().map { $0["position"] as? Int } == Array(1...7))
        let info = try json(try #require(daemon).ctl("audit", "info", "--json").stdout)
        #expect(info["mirrorProblem"] == nil)

        // A line that disagrees with the log is reported.
        #expect(try #require(daemon).stop() == 0)
        daemon = nil
        let current = try String(contentsOfFile: mirror, encoding: .utf8)
        let tail = current.split(separator: "\n").last.map(String.init) ?? ""
        let forgedTail = tail.replacingOccurrences(
            of: (try json(tail)["hash"] as? String) ?? "?", with: String(repeating: "f", count: 64))
        try (current.split(separator: "\n").dropLast().joined(separator: "\n") + "\n" + forgedTail + "\n")
            .write(toFile: mirror, atomically: false, encoding: .utf8)
        daemon = try Daemon(scratch: scratch, extraArguments: ["--audit-mirror", mirror])
        let problem = try json(try #require(daemon).ctl("audit", "info", "--json").stdout)["mirrorProblem"] as? String
        #expect(problem?.contains("position 7") == true, "\(problem ?? "no problem reported")")
    }

    @Test func `bad audit input is refused in words and changes nothing`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let empty = try daemon.ctl("audit", "checkpoint", "--now")
        #expect(empty.status == 1)
        #expect(empty.stderr.contains("no events"))
        try addDepartments(daemon, 2)
        let cases: [([String], Int32, String)] = [
            (["audit", "prove", "0"], 64, "POSITION"),
            (["audit", "prove", "9"], 1, "position"),
            (["audit", "verify-proof", file(scratch, "none"), "--key", "a+b+c"], 64, "key"),
            (["audit", "verify-proof", file(scratch, "none"), "--key", file(scratch, "none")], 64, "cannot read"),
            (["audit", "checkpoints", "--limit", "0"], 64, "--limit"),
            (["audit", "consistency", "--old", file(scratch, "none")], 64, "cannot read"),
            (["log", "export", "--format", "xml", file(scratch, "x")], 64, "jsonl or csv"),
            (["log", "export", "--to", "99", file(scratch, "x")], 64, "beyond"),
            (["audit", "verify-db", file(scratch, "none.sqlite")], 1, "no such file"),
        ]
        for (arguments, status, words) in cases {
            let result = try daemon.ctl(arguments)
            #expect(result.status == status, "\(arguments): \(result.stderr)")
            #expect(result.stderr.contains(words), "\(arguments): \(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: file(scratch, "x")))
        let shown = try daemon.ctl("log", "show", "--json")
        #expect(shown.stdout.split(separator: "\n").count == 2)
    }
}

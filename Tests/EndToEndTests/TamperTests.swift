import Foundation
import OversightStore
import Testing

/// A forger's edits on copies of a real database, made with the `sqlite3` tool after dropping the triggers; each
/// must be caught by `oversightctl audit verify-db` (with the key and a checkpoint a witness kept) or by
/// `oversightctl audit consistency`, naming the position.
@Suite(.serialized)
struct TamperTests {
    /// A 20-event log signed every 4 events, its public key, and the checkpoint of size 12 a witness kept.
    final class Fixture {
        let scratch: Scratch
        let keyFile: String
        let witness: String
        var database: String { scratch.stateDirectory + "/oversight.sqlite" }

        init() throws {
            scratch = try Scratch()
            let daemon = try Daemon(scratch: scratch, extraArguments: ["--checkpoint-every", "4"])
            try addDepartments(daemon, 12)
            keyFile = file(scratch, "witness.pub")
            witness = file(scratch, "witness-12.txt")
            try daemon.ctl("audit", "key").stdout.write(toFile: keyFile, atomically: true, encoding: .utf8)
            let checkpoint = try daemon.ctl("audit", "checkpoint")
            #expect(checkpoint.stdout.split(separator: "\n").dropFirst().first == "12")
            try checkpoint.stdout.write(toFile: witness, atomically: true, encoding: .utf8)
            try addDepartments(daemon, 8, from: 13)
            #expect(daemon.stop() == 0)
        }

        /// A copy of the database (through SQLite, so the write-ahead log is included) edited by `sql`.
        func tampered(_ name: String, _ sql: String) throws -> String {
            let copy = file(scratch, "\(name).sqlite")
            let vacuum = try run(sqlite3, [database, "VACUUM INTO '\(copy)'"])
            #expect(vacuum.status == 0, "\(vacuum.stderr)")
            let edit = try run(sqlite3, [copy, sql])
            #expect(edit.status == 0, "\(name): \(edit.stderr)")
            return copy
        }

        /// `audit verify-db` on `path` with the witness's key and checkpoint.
        func verify(_ path: String, witness: Bool = true) throws -> CommandResult {
            var arguments = ["audit", "verify-db", path, "--key", keyFile]
            if witness { arguments += ["--checkpoint", self.witness] }
            return try run(Binaries.ctl, arguments)
        }
    }

    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    @Test func `every kind of tampering is caught and the position named`() throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.sqlite3.path),
            "the sqlite3 tool is missing: Scripts/setup-test-deps installs it")
        let fixture = try Fixture()
        let intact = try fixture.verify(fixture.database)
        #expect(intact.status == 0, "\(intact.stdout)")

        // Edit one event's data.
        let edited = try fixture.tampered(
            "edited",
            "DROP TRIGGER event_refuse_update; UPDATE event SET data = replace(data, '部门6', '部门六') WHERE position = 6;")
        let editedResult = try fixture.verify(edited)
        #expect(editedResult.status == 1)
        #expect(editedResult.stdout.contains("NOT VERIFIED at position 6"), "\(editedResult.stdout)")

        // Delete one event.
        let deleted = try fixture.tampered(
            "deleted", "DROP TRIGGER event_refuse_delete; DELETE FROM event WHERE position = 9;")
        let deletedResult = try fixture.verify(deleted)
        #expect(deletedResult.status == 1)
        #expect(deletedResult.stdout.contains("NOT VERIFIED at position 9"), "\(deletedResult.stdout)")

        // Reorder two events.
        let reordered = try fixture.tampered(
            "reordered",
            """
            DROP TRIGGER event_refuse_update;
            UPDATE event SET position = -3 WHERE position = 3;
            UPDATE event SET position = 3 WHERE position = 4;
            UPDATE event SET position = 4 WHERE position = -3;
            """)
        let reorderedResult = try fixture.verify(reordered)
        #expect(reorderedResult.status == 1)
        #expect(reorderedResult.stdout.contains("NOT VERIFIED at position 3"), "\(reorderedResult.stdout)")

        // Truncate the tail: the stored checkpoints of sizes 20 and 16 now cover missing events.
        let truncated = try fixture.tampered(
            "truncated", "DROP TRIGGER event_refuse_delete; DELETE FROM event WHERE position > 14;")
        let truncatedResult = try fixture.verify(truncated, witness: false)
        #expect(truncatedResult.status == 1)
        #expect(truncatedResult.stdout.contains("NOT VERIFIED at position 15"), "\(truncatedResult.stdout)")

        // Truncate the tail and the checkpoints that covered it: the witness's checkpoint still does.
        let cut = try fixture.tampered(
            "cut",
            """
            DROP TRIGGER event_refuse_delete; DROP TRIGGER checkpoint_refuse_delete;
            DELETE FROM event WHERE position > 10; DELETE FROM checkpoint WHERE size > 10;
            """)
        #expect(try fixture.verify(cut, witness: false).status == 0)
        let cutResult = try fixture.verify(cut)
        #expect(cutResult.status == 1)
        #expect(cutResult.stdout.contains("NOT VERIFIED at position 11"), "\(cutResult.stdout)")

        // Truncate and re-chain forged events on top, a consistent hash chain: only a checkpoint catches it.
        let rechained = try fixture.tampered("rechained", try Self.rechainSQL(fixture.database, keep: 10, upTo: 20))
        let chainOnly = try run(Binaries.ctl, ["audit", "verify-db", rechained, "--key", fixture.keyFile])
        #expect(chainOnly.stdout.contains("ok   hash chain"), "\(chainOnly.stdout)")
        #expect(chainOnly.status == 0, "without the witness's checkpoint nothing in the file betrays the forgery")
        let rechainedResult = try fixture.verify(rechained)
        #expect(rechainedResult.status == 1)
        // The newest genuine checkpoint left is at 8 and the witness's at 12: the change is named as that range.
        #expect(rechainedResult.stdout.contains("NOT VERIFIED at position 9"), "\(rechainedResult.stdout)")
        #expect(rechainedResult.stdout.contains("between positions 9 and 12"), "\(rechainedResult.stdout)")
        // And a daemon serving the forged file cannot prove consistency with the witness's checkpoint.
        let forgedScratch = try Scratch()
        let forgedState = forgedScratch.stateDirectory
        try FileManager.default.createDirectory(atPath: forgedState, withIntermediateDirectories: true)
        for name in ["audit-signing.key", "audit-verifier.pub"] {
            try FileManager.default.copyItem(
                atPath: fixture.scratch.stateDirectory + "/" + name, toPath: forgedState + "/" + name)
        }
        try FileManager.default.copyItem(atPath: rechained, toPath: forgedState + "/oversight.sqlite")
        let forgedDaemon = try Daemon(scratch: forgedScratch)
        let consistency = try forgedDaemon.ctl(
            "audit", "consistency", "--old", fixture.witness, "--key", fixture.keyFile)
        #expect(consistency.status == 1)
        #expect(consistency.stderr.contains("NOT CONSISTENT"), "\(consistency.stderr)")
        #expect(consistency.stderr.contains("position 12"), "\(consistency.stderr)")
        forgedDaemon.stop()

        // Replace the whole file with a fork re-signed by a key of the forger's own.
        let forkScratch = try Scratch()
        let fork = try Daemon(scratch: forkScratch, extraArguments: ["--checkpoint-every", "4"])
        try addDepartments(fork, 20, prefix: "x")
        #expect(fork.stop() == 0)
        let replaced = file(fixture.scratch, "replaced.sqlite")
        #expect(
            try run(Self.sqlite3, [forkScratch.stateDirectory + "/oversight.sqlite", "VACUUM INTO '\(replaced)'"])
                .status == 0)
        let replacedResult = try fixture.verify(replaced)
        #expect(replacedResult.status == 1)
        #expect(replacedResult.stdout.contains("FAIL signatures"), "\(replacedResult.stdout)")
        #expect(replacedResult.stdout.contains("NOT VERIFIED at position 1"), "\(replacedResult.stdout)")
    }

    /// SQL that deletes every event after `keep` and every checkpoint beyond it, and appends forged events
    /// `keep+1 … upTo` with a hash chain recomputed from the kept head.
    static func rechainSQL(_ database: String, keep: Int64, upTo: Int64) throws -> String {
        let head = try run(sqlite3, [database, "SELECT hex(hash) FROM event WHERE position = \(keep)"])
        var previous = Data(hex: head.stdout.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()) ?? Data()
        var sql = """
            DROP TRIGGER event_refuse_delete; DROP TRIGGER checkpoint_refuse_delete;
            DROP TRIGGER event_refuse_out_of_order_insert;
            DELETE FROM event WHERE position > \(keep); DELETE FROM checkpoint WHERE size > \(keep);

            """
        for position in (keep + 1)...upTo {
            let data = #"{"code":"f\#(position)","name":"伪造\#(position)","v":1}"#
            let meta = #"{"actor":"forger"}"#
            let recordedAt = "2024-01-01T00:00:00.000Z"
            let stream = "department-f\(position)"
            let hash = HashChain.hash(
                prevHash: previous, position: position, stream: stream, version: 1, type: "DepartmentAdded",
                data: data, meta: meta, recordedAt: recordedAt)
            sql += """
                INSERT INTO event (position, stream, version, type, data, meta, recorded_at, prev_hash, hash)
                VALUES (\(position), '\(stream)', 1, 'DepartmentAdded', '\(data)', '\(meta)', '\(recordedAt)',
                    X'\(previous.hex)', X'\(hash.hex)');

                """
            previous = hash
        }
        return sql
    }
}

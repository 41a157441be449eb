import Foundation
import GRDB
import Testing

@testable import OversightStore

struct MigrationTests {
    @Test func `a new file gets every migration and user_version 4`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try log.reader.read { db throws in
                #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 4)
                #expect(
                    try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
                        == ["v1-event-log", "v2-commands", "v3-projection-checkpoints", "v4-audit-checkpoints"])
                for table in ["event", "command", "projection_checkpoint", "checkpoint"] {
                    #expect(try db.tableExists(table))
                }
            }
        }
    }

    @Test func `a file with only the first migration is migrated and keeps its events`() throws {
        try withTemporaryDatabase { path in
            // A file as the first release wrote it: only v1-event-log, events inserted by hand.
            let inserted: [RecordedEvent] = try {
                let queue = try rawQueue(path)
                try Migrations.makeMigrator().migrate(queue, upTo: "v1-event-log")
                return try queue.write { db throws in
                    #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 1)
                    #expect(try !db.tableExists("command"))
                    var prevHash = HashChain.zeroHash
                    var events: [RecordedEvent] = []
                    let meta = #"{"actor":"alice"}"#
                    for position in Int64(1)...3 {
                        let data = "{\"p\":\(position)}"
                        let hash = HashChain.hash(
                            prevHash: prevHash, position: position, stream: "old", version: position, type: "Old",
                            data: data, meta: meta, recordedAt: "2023-01-02T03:04:05.006Z")
                        try db.execute(
                            sql: """
                                INSERT INTO event (position, stream, version, type, data, meta, recorded_at,
                                    prev_hash, hash)
                                VALUES (?, 'old', ?, 'Old', ?, ?, '2023-01-02T03:04:05.006Z', ?, ?)
                                """,
                            arguments: [position, position, data, meta, prevHash, hash])
                        events.append(
                            RecordedEvent(
                                position: position, stream: "old", version: position, type: "Old", data: data,
                                meta: EventMetadata(actor: "alice"),
                                recordedAt: Date(timeIntervalSince1970: 1_672_628_645.006), prevHash: prevHash,
                                hash: hash))
                        prevHash = hash
                    }
                    return events
                }
            }()

            let log = try openLog(path, projections: [StreamCountProjection()])
            #expect(try log.events(inStream: "old") == inserted)
            #expect(
                try log.verifyChain()
                    == ChainVerification(checked: 3, head: LogHead(position: 3, hash: inserted[2].hash)))
            try log.reader.read { db throws in
                #expect(try Int.fetchOne(db, sql: "PRAGMA user_version") == 4)
                #expect(try db.tableExists("command") && db.tableExists("projection_checkpoint"))
                #expect(try StreamCountProjection.counts(db) == ["old": 3])
            }
            let command = StoredCommand(id: "c1", requestHash: "h", result: "{}", position: 4)
            try log.write { tx throws in
                _ = try tx.append(
                    [EventDraft(type: "New", data: "{}")], to: "old", expectedVersion: .exactly(3), meta: aliceMeta,
                    recordedAt: fixedDate)
                try tx.recordCommand(command)
            }
            #expect(try log.write { tx in try tx.storedCommand(id: "c1") } == command)
            #expect(try log.verifyChain().checked == 4)
        }
    }

    @Test func `a file with an unknown migration is refused as too new`() throws {
        try withTemporaryDatabase { path in
            do { _ = try openLog(path) }
            let queue = try rawQueue(path)
            try queue.write { db throws in
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')")
            }
            #expect(throws: StoreError.schemaTooNew(found: 5, supported: 4)) { try openLog(path) }
            #expect(throws: StoreError.schemaTooNew(found: 5, supported: 4)) { try verifyChain(ofDatabaseAt: path) }
        }
    }

    @Test func `a file with a newer user_version is refused as too new`() throws {
        try withTemporaryDatabase { path in
            do { _ = try openLog(path) }
            let queue = try rawQueue(path)
            try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA user_version = 9") }
            let error = #expect(throws: StoreError.self) { try openLog(path) }
            #expect(error == .schemaTooNew(found: 9, supported: 4))
            #expect(error?.description.contains("upgrade oversightd") == true)
        }
    }

    @Test func `a file that is not SQLite cannot be opened`() throws {
        try withTemporaryDatabase { path in
            try Data("this is not a database, just some text that is long enough".utf8)
                .write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try openLog(path) }
            guard case .cannotOpen(let failedPath, _) = error else {
                Issue.record("expected cannotOpen, got \(String(describing: error))")
                return
            }
            #expect(failedPath == path)
        }
    }
}

import Foundation
import GRDB
import OversightStore
import Testing

/// `SQLiteEventLog.rebuildProjectionsOnline`: rebuild in a snapshot copy, catch up, swap in one transaction.
struct ShadowRebuildTests {
    /// A projection with two tables and an index: per-type counts and one row per event.
    struct TypeLogProjection: Projection {
        var name = "test-type-log"
        var version = 1

        func createTables(_ db: Database) throws {
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS test_type_count (type TEXT PRIMARY KEY, count INTEGER NOT NULL);
                    CREATE TABLE IF NOT EXISTS test_event_row (
                        position INTEGER PRIMARY KEY, stream TEXT NOT NULL, type TEXT NOT NULL);
                    CREATE INDEX IF NOT EXISTS test_event_row_by_stream ON test_event_row (stream, position);
                    """)
        }

        func dropTables(_ db: Database) throws {
            try db.execute(sql: "DROP TABLE IF EXISTS test_type_count; DROP TABLE IF EXISTS test_event_row")
        }

        func apply(_ event: RecordedEvent, _ db: Database) throws {
            try db.execute(
                sql: """
                    INSERT INTO test_type_count (type, count) VALUES (?, 1)
                    ON CONFLICT (type) DO UPDATE SET count = count + 1
                    """,
                arguments: [event.type])
            try db.execute(
                sql: "INSERT INTO test_event_row (position, stream, type) VALUES (?, ?, ?)",
                arguments: [event.position, event.stream, event.type])
        }
    }

    /// Every row of the test tables, in a fixed order, as text.
    static func contents(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT type || '=' || count FROM test_type_count ORDER BY type")
            + String.fetchAll(
                db, sql: "SELECT position || ':' || stream || ':' || type FROM test_event_row ORDER BY position")
            + String.fetchAll(db, sql: "SELECT stream || '#' || count FROM test_stream_count ORDER BY stream")
    }

    /// The schema of the test tables and indexes (sqlite_master type, name, sql).
    static func schema(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: """
                SELECT type || ' ' || name || ' ' || ifnull(sql, '') FROM sqlite_master
                WHERE name LIKE 'test\\_%' ESCAPE '\\' ORDER BY name
                """)
    }

    /// Files in the log's directory other than the log and its WAL files.
    static func strayFiles(besides path: String) throws -> [String] {
        let directory = (path as NSString).deletingLastPathComponent
        let log = (path as NSString).lastPathComponent
        return try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { ![log, log + "-wal", log + "-shm"].contains($0) }
    }

    @Test func `an online rebuild gives back the live tables, indexes and checkpoint`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection(), TypeLogProjection()])
            for index in 0..<40 {
                try append(log, [index % 3 == 0 ? "A" : "B"], to: "s\(index % 5)")
            }
            let live = try log.reader.read(Self.contents)
            let liveSchema = try log.reader.read(Self.schema)
            #expect(live.contains("A=14") && live.contains("B=26") && live.contains("s0#8"))
            #expect(liveSchema.contains { $0.hasPrefix("index test_event_row_by_stream ") })
            // Damage both projections' tables; the rebuild must restore them.
            try log.write { tx in
                try tx.db.execute(
                    sql: """
                        DELETE FROM test_event_row WHERE position < 10; UPDATE test_type_count SET count = 0;
                        DELETE FROM test_stream_count WHERE stream = 's1'
                        """)
            }
            #expect(try log.reader.read(Self.contents) != live)

            let result = try log.rebuildProjectionsOnline(named: nil)

            #expect(result.rebuilt == ["test-stream-count", "test-type-log"])
            #expect(result.head.position == 40)
            #expect(try log.reader.read(Self.contents) == live)
            #expect(try log.reader.read(Self.schema) == liveSchema)
            #expect(try log.reader.read { db in try StreamCountProjection.checkpoint(db) } == [1, 40])
            #expect(
                try log.reader.read { db in try StreamCountProjection.checkpoint(db, name: "test-type-log") } == [
                    1, 40,
                ])
            #expect(try Self.strayFiles(besides: path) == [])
            // Appends keep applying to the swapped-in tables.
            try append(log, ["A"], to: "s9")
            let after = try log.reader.read(Self.contents)
            #expect(after.contains("A=15") && after.contains("41:s9:A") && after.contains("s9#1"))
        }
    }

    @Test func `events appended while the copy is rebuilt are caught up before the swap`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection(), TypeLogProjection()])
            for index in 0..<20 {
                try append(log, ["A"], to: "s\(index % 2)")
            }
            try log.write { tx in try tx.db.execute(sql: "DELETE FROM test_event_row") }
            var seenDuringBuild: [String] = []

            let result = try log.rebuildProjectionsOnline(named: ["test-type-log"]) {
                // The writer is free while the copy is rebuilt: these appends commit now, and apply to the
                // projections' current (damaged) tables in the log.
                try append(log, ["B", "B"], to: "s0")
                try append(log, ["C"], to: "s7")
                seenDuringBuild = try log.reader.read { db in
                    try String.fetchAll(db, sql: "SELECT position FROM test_event_row ORDER BY position")
                }
            }

            #expect(seenDuringBuild == ["21", "22", "23"])
            #expect(result.rebuilt == ["test-type-log"])
            #expect(result.head.position == 23)
            let rows = try log.reader.read { db in
                try String.fetchAll(db, sql: "SELECT position || ':' || type FROM test_event_row ORDER BY position")
            }
            #expect(rows.count == 23)
            #expect(rows.suffix(3) == ["21:B", "22:B", "23:C"])
            #expect(
                try log.reader.read { db in
                    try String.fetchAll(db, sql: "SELECT type || '=' || count FROM test_type_count ORDER BY type")
                } == ["A=20", "B=2", "C=1"])
            // The projection not named is untouched and was kept up to date by the appends.
            #expect(try log.reader.read(StreamCountProjection.counts) == ["s0": 12, "s1": 10, "s7": 1])
            #expect(
                try log.reader.read { db in try StreamCountProjection.checkpoint(db, name: "test-type-log") } == [
                    1, 23,
                ])
            #expect(try log.reader.read { db in try StreamCountProjection.checkpoint(db) } == [1, 23])
            // The same tables as a rebuild of everything in the writer.
            let online = try log.reader.read(Self.contents)
            _ = try log.rebuildProjections(named: nil)
            #expect(try log.reader.read(Self.contents) == online)
            #expect(try Self.strayFiles(besides: path) == [])
        }
    }

    @Test func `an unknown name or a failure before the swap changes nothing and leaves no copy behind`() throws {
        struct Abort: Error {}
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [StreamCountProjection(), TypeLogProjection()])
            try append(log, ["A", "B"], to: "s1")
            try log.write { tx in try tx.db.execute(sql: "DELETE FROM test_event_row") }
            let before = try log.reader.read(Self.contents)

            #expect(throws: StoreError.unknownProjection(name: "nope", known: ["test-stream-count", "test-type-log"])) {
                try log.rebuildProjectionsOnline(named: ["test-type-log", "nope"])
            }
            #expect(throws: Abort.self) {
                try log.rebuildProjectionsOnline(named: nil) { throw Abort() }
            }

            #expect(try log.reader.read(Self.contents) == before)
            #expect(try Self.strayFiles(besides: path) == [])
            // The writer connection has nothing attached left: a later online rebuild works.
            _ = try log.rebuildProjectionsOnline(named: nil)
            #expect(try log.reader.read(Self.contents) != before)
        }
    }
}

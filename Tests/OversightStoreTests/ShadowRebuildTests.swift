import Foundation
import GRDB
import Logging
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

    /// A projection whose result depends on a unique index: the first type seen in each stream.
    ///
    /// It inserts with `INSERT OR IGNORE` and has a non-unique index besides. A rebuild that dropped the unique
    /// index while replaying would keep every event's row (or fail to make the index again).
    struct FirstTypeProjection: Projection {
        var name = "test-first-type"
        var version = 1

        func createTables(_ db: Database) throws {
            try db.execute(
                sql: """
                    CREATE TABLE IF NOT EXISTS test_first_type (
                        position INTEGER PRIMARY KEY, stream TEXT NOT NULL, type TEXT NOT NULL);
                    CREATE UNIQUE INDEX IF NOT EXISTS test_first_type_by_stream ON test_first_type (stream);
                    CREATE INDEX IF NOT EXISTS test_first_type_by_type ON test_first_type (type, stream);
                    """)
        }

        func dropTables(_ db: Database) throws {
            try db.execute(sql: "DROP TABLE IF EXISTS test_first_type")
        }

        func apply(_ event: RecordedEvent, _ db: Database) throws {
            try db.execute(
                sql: "INSERT OR IGNORE INTO test_first_type (position, stream, type) VALUES (?, ?, ?)",
                arguments: [event.position, event.stream, event.type])
        }

        static func contents(_ db: Database) throws -> [String] {
            try String.fetchAll(
                db, sql: "SELECT position || ':' || stream || ':' || type FROM test_first_type ORDER BY position")
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

    @Test func `every rebuild keeps unique indexes while replaying and gives back every index`() throws {
        try withTemporaryDatabase { path in
            let projections: [any Projection] = [StreamCountProjection(), TypeLogProjection(), FirstTypeProjection()]
            let log = try openLog(path, projections: projections)
            for index in 0..<30 {
                try append(log, [index % 4 == 0 ? "A" : "B", "C"], to: "s\(index % 6)")
            }
            let dump = { (log: SQLiteEventLog) throws -> [String] in
                try log.reader.read { db in
                    try Self.contents(db) + FirstTypeProjection.contents(db) + Self.schema(db)
                }
            }
            let live = try dump(log)
            let firstTypes = try log.reader.read(FirstTypeProjection.contents)
            #expect(firstTypes == ["1:s0:A", "3:s1:B", "5:s2:B", "7:s3:B", "9:s4:A", "11:s5:B"])
            #expect(live.contains { $0.hasPrefix("index test_first_type_by_type ") })
            #expect(live.contains { $0.hasPrefix("index test_first_type_by_stream ") })
            #expect(live.contains { $0.hasPrefix("index test_event_row_by_stream ") })

            _ = try log.rebuildProjections(named: nil)
            #expect(try dump(log) == live)
            _ = try log.rebuildProjectionsOnline(named: nil)
            #expect(try dump(log) == live)
            _ = try log.rebuildProjectionsOnline(named: ["test-first-type"])
            #expect(try dump(log) == live)
            _ = try log.rebuildProjectionsOnline(named: nil, parallelAfter: 3)
            #expect(try dump(log) == live)
            // At open, a new version is rebuilt in the writer.
            let reopened = try openLog(
                path,
                projections: [StreamCountProjection(), TypeLogProjection(version: 2), FirstTypeProjection(version: 2)])
            #expect(try dump(reopened) == live)
            #expect(
                try reopened.reader.read { db in try StreamCountProjection.checkpoint(db, name: "test-first-type") }
                    == [
                        2, 60,
                    ])
            #expect(try Self.strayFiles(besides: path) == [])
        }
    }

    /// A log handler that keeps the messages logged through it.
    final class MessageRecorder: LogHandler, @unchecked Sendable {
        private let lock = NSLock()
        private var recorded: [String] = []
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let projections = event.metadata?["ov.projection"].map { " \($0)" } ?? ""
            lock.withLock { recorded.append("\(event.message)\(projections)") }
        }

        var messages: [String] { lock.withLock { recorded } }
    }

    @Test func `a long log is rebuilt in two scratch files at once, each caught up from its own snapshot`() throws {
        try withTemporaryDatabase { path in
            let recorder = MessageRecorder()
            let logger = Logger(label: "test", factory: { _ in recorder })
            let projections: [any Projection] = [StreamCountProjection(), TypeLogProjection(), FirstTypeProjection()]
            let log = try SQLiteEventLog(path: path, projections: projections, logger: logger)
            for index in 0..<40 {
                try append(log, [index % 3 == 0 ? "A" : "B"], to: "s\(index % 5)")
            }
            let dump = { (log: SQLiteEventLog) throws -> [String] in
                try log.reader.read { db in
                    try Self.contents(db) + FirstTypeProjection.contents(db) + Self.schema(db)
                }
            }
            try log.write { tx in
                try tx.db.execute(sql: "DELETE FROM test_event_row; DELETE FROM test_first_type WHERE position > 3")
            }

            let result = try log.rebuildProjectionsOnline(named: nil, parallelAfter: 4) {
                try append(log, ["C", "A"], to: "s6")
            }

            #expect(result.head.position == 42)
            let parts = recorder.messages.filter { $0.hasPrefix("Projections rebuilt in a scratch file") }
            #expect(parts.count == 2)
            var names: [String] = []
            for part in parts {
                let list = part.split(separator: " ").last.map(String.init) ?? ""
                names += list.split(separator: ",").map(String.init)
            }
            #expect(names.sorted() == ["test-first-type", "test-stream-count", "test-type-log"])
            let rebuilt = try dump(log)
            #expect(rebuilt.contains("41:s6:C") && rebuilt.contains("42:s6:A") && rebuilt.contains("s6#2"))
            // The same as rebuilding everything in the writer, and as the live projections on a fresh log.
            _ = try log.rebuildProjections(named: nil)
            #expect(try dump(log) == rebuilt)
            #expect(try Self.strayFiles(besides: path) == [])
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

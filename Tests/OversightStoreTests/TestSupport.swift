import Foundation
import GRDB
import Logging
import OversightStore

/// A logger that discards everything.
let testLogger = Logger(label: "oversight.store.tests", factory: { _ in SwiftLogNoOpLogHandler() })

/// A fixed recording date: 2024-08-19T02:30:00.123Z.
let fixedDate = Date(timeIntervalSince1970: 1_724_034_600.123)

/// The metadata most tests use.
let aliceMeta = EventMetadata(actor: "alice", uid: 1000, commandID: "cmd-1")

/// Runs `body` with the path of a database file in a fresh temporary directory, removed afterwards.
@discardableResult
func withTemporaryDatabase<T>(_ body: (String) throws -> T) throws -> T {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("oversight-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try body(directory.appendingPathComponent("events.sqlite").path)
}

/// Opens the event log at `path` with the test logger.
func openLog(_ path: String, projections: [any Projection] = []) throws -> SQLiteEventLog {
    try SQLiteEventLog(path: path, projections: projections, logger: testLogger)
}

/// Appends events of the given types (data `{"n":<index>}`) to a stream in its own write transaction.
@discardableResult
func append(
    _ log: SQLiteEventLog, _ types: [String], to stream: String, expected: ExpectedVersion = .any,
    date: Date = fixedDate
) throws -> [RecordedEvent] {
    try log.write { tx throws in
        try tx.append(
            types.enumerated().map { EventDraft(type: $0.element, data: "{\"n\":\($0.offset)}") }, to: stream,
            expectedVersion: expected, meta: aliceMeta, recordedAt: date)
    }
}

/// Opens the file with a plain GRDB queue (no triggers bypassed yet), for inspecting or tampering with it.
func rawQueue(_ path: String) throws -> DatabaseQueue {
    try DatabaseQueue(path: path)
}

/// Lowercase hex of bytes.
func hex(_ data: Data) -> String {
    data.map { String(format: "%02x", $0) }.joined()
}

/// A test projection: counts events per stream in `test_stream_count`; can be told to fail on one event type.
struct StreamCountProjection: Projection {
    var name = "test-stream-count"
    var version: Int
    var failingType: String?

    init(version: Int = 1, failingType: String? = nil) {
        self.version = version
        self.failingType = failingType
    }

    /// Thrown by `apply` for the failing type.
    struct Refused: Error, Equatable {}

    func createTables(_ db: Database) throws {
        try db.execute(
            sql: "CREATE TABLE IF NOT EXISTS test_stream_count (stream TEXT PRIMARY KEY, count INTEGER NOT NULL)")
    }

    func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS test_stream_count")
    }

    func apply(_ event: RecordedEvent, _ db: Database) throws {
        if event.type == failingType { throw Refused() }
        try db.execute(
            sql: """
                INSERT INTO test_stream_count (stream, count) VALUES (?, 1)
                ON CONFLICT (stream) DO UPDATE SET count = count + 1
                """,
            arguments: [event.stream])
    }

    /// The table's contents, stream → count.
    static func counts(_ db: Database) throws -> [String: Int] {
        var result: [String: Int] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT stream, count FROM test_stream_count") {
            result[row[0]] = row[1]
        }
        return result
    }

    /// The checkpoint row (version, position) of this projection, if any.
    static func checkpoint(_ db: Database, name: String = "test-stream-count") throws -> [Int64]? {
        try Row.fetchOne(
            db, sql: "SELECT version, position FROM projection_checkpoint WHERE name = ?", arguments: [name]
        )
        .map { [$0[0], $0[1]] }
    }
}

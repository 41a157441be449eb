import Foundation
import GRDB
import Logging

/// The SQLite implementation of the event log: one `DatabasePool` per file, WAL, `synchronous=FULL`.
///
/// Appends go through ``write(_:)``: one SQLite transaction, so everything appended in it (possibly for many
/// commands: group commit) becomes durable with one fsync at commit. Reads use the pool's reader connections and
/// never wait for writes; a read started after `write` returns sees what it wrote.
///
/// - Important: Open one `SQLiteEventLog` per file per process, and have a single writer (the daemon's writer
///   actor) call ``write(_:)``; `write` blocks the calling thread while it runs.
public final class SQLiteEventLog: EventLog {
    /// The database file's path.
    public let path: String
    let pool: DatabasePool
    let runner: ProjectionRunner
    /// Copies the WAL back into the database off the writer, after each commit.
    let walCheckpointer: WALCheckpointer
    /// Empties the caches and trims the heap once the writer has gone quiet.
    let memoryReclaimer: IdleMemoryReclaimer
    let logger: Logger

    /// The pool, for read-model queries; its reads never wait for writes.
    public var reader: any DatabaseReader { pool }

    /// Opens (creating if needed) the event log at `path`, migrates it, and prepares the projections.
    ///
    /// At open, each projection whose checkpoint is missing or has another version is rebuilt, and each whose
    /// checkpoint is behind the head catches up.
    ///
    /// - Parameters:
    ///   - path: The database file; its directory must exist.
    ///   - projections: The read models to keep up to date, with unique names.
    ///   - logger: Where to log lifecycle steps (at `info` or below).
    /// - Throws: ``StoreError/cannotOpen(path:reason:)``, ``StoreError/schemaTooNew(found:supported:)``,
    ///   ``StoreError/duplicateProjection(name:)``, ``StoreError/corrupt(_:)``, or a `DatabaseError`.
    public init(path: String, projections: [any Projection] = [], logger: Logger) throws {
        self.path = path
        self.logger = logger
        self.runner = try ProjectionRunner(projections)
        var configuration = Configuration()
        configuration.label = "oversight.event-log"
        configuration.busyMode = .timeout(5)
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        // DatabasePool sets synchronous=NORMAL when it enables WAL; an acknowledged command must survive power
        // loss, so every commit of the writer connection is fsync'd.
        // The WAL is copied back by `walCheckpointer`, off the writer; the writer's own automatic checkpoint stays
        // as a far-away bound.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(WALCheckpointer.fallbackPages)")
        }
        walCheckpointer = try WALCheckpointer(path: path, logger: logger)
        // Weak: a timer still pending when the log closes must not keep its connections open.
        memoryReclaimer = IdleMemoryReclaimer { [weak pool, weak walCheckpointer] in
            pool?.releaseMemory()
            walCheckpointer?.releaseMemory()
        }
        let migrator = Migrations.makeMigrator()
        try pool.read { db in try Migrations.checkNotTooNew(db, migrator: migrator) }
        try migrator.migrate(pool)
        try pool.write { db in try runner.prepare(db, logger: logger) }
        let head = try pool.read(EventRecord.head)
        // A catch-up or rebuild at open filled the caches and the heap; an idle daemon should not keep them.
        memoryReclaimer.reclaimNow()
        logger.info(
            "Event log opened",
            metadata: [
                LogKey.path: "\(path)", LogKey.schemaVersion: "\(Migrations.supportedVersion)",
                LogKey.position: "\(head.position)",
            ])
    }

    /// Runs `body` in one write transaction and commits it (one fsync); a thrown error rolls everything back.
    ///
    /// A full disk or an I/O error (in `body` or at commit) throws ``StoreError/storageFull(_:)`` or
    /// ``StoreError/storageFailed(_:)``; nothing is written, and the next call starts afresh.
    /// - Important: The ``WriteTransaction`` is valid only inside `body`; do not keep it.
    public func write<T>(_ body: (WriteTransaction) throws -> T) throws -> T {
        let storageFailures = StorageFailureRecorder()
        do {
            let result = try pool.write { db in
                let transaction = WriteTransaction(db: db, runner: runner, storageFailures: storageFailures)
                let result = try body(transaction)
                if let notUndone = storageFailures.notUndone { throw notUndone }
                try transaction.finish()
                return result
            }
            walCheckpointer.request()
            memoryReclaimer.noteActivity()
            return result
        } catch {
            throw storageFailures.translate(error)
        }
    }

    /// Drops, recreates and replays every projection from the first event, in one transaction.
    public func rebuildProjections() throws {
        let head = try pool.write { db in
            try runner.rebuildAll(db)
            return try EventRecord.head(db)
        }
        memoryReclaimer.noteActivity()
        logger.info("Projections rebuilt", metadata: [LogKey.position: "\(head.position)"])
    }

    /// The `PRAGMA synchronous` value of the writer connection (2 = FULL).
    public func synchronousMode() throws -> Int {
        try pool.writeWithoutTransaction { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// The size in bytes of the main database file plus its write-ahead log.
    public func databaseSize() throws -> Int64 {
        func size(_ file: String) throws -> Int64 {
            guard FileManager.default.fileExists(atPath: file) else { return 0 }
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            return (attributes[.size] as? NSNumber)?.int64Value ?? 0
        }
        return try size(path) + size(path + "-wal")
    }

    public func events(inStream stream: String) throws -> [RecordedEvent] {
        try pool.read { db in
            try EventRecord.decode(
                Row.fetchAll(
                    db, sql: "SELECT \(EventRecord.columns) FROM event WHERE stream = ? ORDER BY version",
                    arguments: [stream]))
        }
    }

    public func events(after position: Int64, limit: Int) throws -> [RecordedEvent] {
        guard limit > 0 else { return [] }
        return try pool.read { db in
            try EventRecord.decode(
                Row.fetchAll(
                    db, sql: "SELECT \(EventRecord.columns) FROM event WHERE position > ? ORDER BY position LIMIT ?",
                    arguments: [position, limit]))
        }
    }

    public func head() throws -> LogHead {
        try pool.read(EventRecord.head)
    }

    public func verifyChain() throws -> ChainVerification {
        try pool.read(ChainVerifier.verify)
    }
}

/// Verifies the hash chain of an event-log file opened read-only, without a running daemon (for a backup, say).
///
/// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file is missing or not an Oversight event log,
///   ``StoreError/schemaTooNew(found:supported:)`` when a newer oversightd wrote it.
public func verifyChain(ofDatabaseAt path: String) throws -> ChainVerification {
    try readEventLogFile(at: path, label: "oversight.verify", ChainVerifier.verify)
}

/// Opens an event-log file read-only (no daemon needed) and runs `body` in one read transaction.
///
/// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file is missing or not an Oversight event log,
///   ``StoreError/schemaTooNew(found:supported:)`` when a newer oversightd wrote it.
func readEventLogFile<T>(at path: String, label: String, _ body: (Database) throws -> T) throws -> T {
    guard FileManager.default.fileExists(atPath: path) else {
        throw StoreError.cannotOpen(path: path, reason: "no such file")
    }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.label = label
    let queue: DatabaseQueue
    do {
        queue = try DatabaseQueue(path: path, configuration: configuration)
    } catch let error as DatabaseError {
        throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
    }
    return try queue.read { db in
        let migrator = Migrations.makeMigrator()
        let applied: Set<String>
        do {
            applied = try migrator.appliedIdentifiers(db)
        } catch let error as DatabaseError {
            throw StoreError.cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
        }
        guard applied.contains("v1-event-log") else {
            throw StoreError.cannotOpen(path: path, reason: "the file is not an Oversight event log")
        }
        try Migrations.checkNotTooNew(db, migrator: migrator)
        return try body(db)
    }
}

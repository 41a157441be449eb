import Foundation
import GRDB

/// A handle on one write transaction of ``SQLiteEventLog``, valid only inside ``SQLiteEventLog/write(_:)``.
///
/// Every append extends the hash chain and runs every projection's `apply` in the same transaction.
public struct WriteTransaction {
    /// The connection, inside the open transaction (for the caller's own reads and writes in the same commit).
    public let db: Database
    let runner: ProjectionRunner
    let storageFailures: StorageFailureRecorder
    private let progress = Progress()

    /// What the transaction has done so far, shared by the copies of the handle.
    private final class Progress {
        /// Whether anything was appended (the projections' checkpoints must then move before commit).
        var appended = false
        /// The head after the last append, while no savepoint has been rolled back since.
        var head: LogHead?
    }

    init(db: Database, runner: ProjectionRunner, storageFailures: StorageFailureRecorder) {
        self.db = db
        self.runner = runner
        self.storageFailures = storageFailures
    }

    /// Runs before commit: moves every projection's checkpoint to the head once, if anything was appended.
    func finish() throws {
        guard progress.appended else { return }
        try runner.moveCheckpoints(db)
    }

    /// The version of a stream: the version of its last event, 0 when it has none.
    public func streamVersion(_ stream: String) throws -> Int64 {
        try Int64.fetchOne(
            db.cachedStatement(sql: "SELECT MAX(version) FROM event WHERE stream = ?"), arguments: [stream]) ?? 0
    }

    /// Every event of a stream as seen inside this transaction (including its own appends), by version.
    public func events(inStream stream: String) throws -> [RecordedEvent] {
        try EventRecord.decode(
            Row.fetchAll(
                db.cachedStatement(sql: "SELECT \(EventRecord.columns) FROM event WHERE stream = ? ORDER BY version"),
                arguments: [stream]))
    }

    /// The events of a stream after `version`, as seen inside this transaction, by version.
    public func events(inStream stream: String, after version: Int64) throws -> [RecordedEvent] {
        try EventRecord.decode(
            Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT \(EventRecord.columns) FROM event WHERE stream = ? AND version > ? ORDER BY version"),
                arguments: [stream, version]))
    }

    /// The hash of the event at `version` of a stream, or nil when the stream has no such event.
    public func eventHash(stream: String, version: Int64) throws -> Data? {
        try Data.fetchOne(
            db.cachedStatement(sql: "SELECT hash FROM event WHERE stream = ? AND version = ?"),
            arguments: [stream, version])
    }

    /// The version and hash of a stream's last event as seen inside this transaction, or nil when it has none.
    public func lastEvent(inStream stream: String) throws -> (version: Int64, hash: Data)? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(
                    sql: "SELECT version, hash FROM event WHERE stream = ? ORDER BY version DESC LIMIT 1"),
                arguments: [stream])
        else { return nil }
        do {
            return (try row.decode(atIndex: 0), try row.decode(atIndex: 1))
        } catch {
            throw StoreError.corrupt("the last event of stream \(stream) cannot be read")
        }
    }

    /// The head of the log as seen inside this transaction (including its own appends).
    public func head() throws -> LogHead {
        try EventRecord.head(db)
    }

    /// Appends events to one stream, after checking the stream's version; all or nothing.
    ///
    /// Each event takes the next log position and the next stream version, records `meta` and `recordedAt`
    /// (truncated to the millisecond), and is chained to the previous event by its hash. Every projection's `apply`
    /// runs for each new event; their checkpoints move to the head once, before the transaction commits. An empty `drafts` checks the version
    /// and appends nothing.
    ///
    /// - Returns: The recorded events, in order.
    /// - Throws: ``StoreError/versionConflict(stream:expected:actual:)`` (nothing is written),
    ///   ``StoreError/invalidEvent(_:)`` for an empty stream or type, data that is not JSON, an empty actor or a
    ///   date outside years 1–9999 (nothing is written), or the error a projection threw (the append is undone).
    public func append(
        _ drafts: [EventDraft], to stream: String, expectedVersion: ExpectedVersion, meta: EventMetadata,
        recordedAt: Date
    ) throws -> [RecordedEvent] {
        guard !stream.isEmpty else { throw StoreError.invalidEvent("the stream name is empty") }
        guard !meta.actor.isEmpty else { throw StoreError.invalidEvent("the metadata has no actor") }
        for draft in drafts {
            guard !draft.type.isEmpty else { throw StoreError.invalidEvent("an event type is empty") }
            guard isJSON(draft.data) else {
                throw StoreError.invalidEvent("the data of a \(draft.type) event is not valid JSON")
            }
        }
        guard let milliseconds = Timestamp.milliseconds(of: recordedAt) else {
            throw StoreError.invalidEvent("the recording date is outside years 1 to 9999")
        }
        let recordedAtText = Timestamp.format(milliseconds: milliseconds)
        let recordedAtDate = Timestamp.date(milliseconds: milliseconds)
        let metaText = try EventRecord.encode(meta)

        let actual = try streamVersion(stream)
        guard expectedVersion.accepts(actual) else {
            throw StoreError.versionConflict(stream: stream, expected: expectedVersion, actual: actual)
        }
        guard !drafts.isEmpty else { return [] }

        return try savepoint {
            var head = try progress.head ?? EventRecord.head(db)
            // Positions and versions near Int64.max can only come from a forged file; refuse rather than overflow.
            guard head.position <= Int64.max - Int64(drafts.count), actual <= Int64.max - Int64(drafts.count) else {
                throw StoreError.corrupt("the last position or the version of stream \(stream) is out of range")
            }
            var recorded: [RecordedEvent] = []
            recorded.reserveCapacity(drafts.count)
            for (offset, draft) in drafts.enumerated() {
                let position = head.position + 1
                let version = actual + Int64(offset) + 1
                let hash = HashChain.hash(
                    prevHash: head.hash, position: position, stream: stream, version: version, type: draft.type,
                    data: draft.data, meta: metaText, recordedAt: recordedAtText)
                try db.executeCached(
                    sql: "INSERT INTO event (\(EventRecord.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    arguments: [
                        position, stream, version, draft.type, draft.data, metaText, recordedAtText, head.hash, hash,
                    ])
                var event = RecordedEvent(
                    position: position, stream: stream, version: version, type: draft.type, data: draft.data,
                    meta: meta, recordedAt: recordedAtDate, prevHash: head.hash, hash: hash)
                event.payload = draft.payload
                recorded.append(event)
                head = LogHead(position: position, hash: hash)
            }
            try runner.apply(recorded, db)
            progress.appended = true
            progress.head = head
            return recorded
        }
    }

    /// The idempotency record of a command id, or nil when the id was never recorded.
    public func storedCommand(id: String) throws -> StoredCommand? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, request_hash, result, position FROM command WHERE id = ?"),
                arguments: [id])
        else { return nil }
        do {
            return StoredCommand(
                id: try row.decode(atIndex: 0), requestHash: try row.decode(atIndex: 1),
                result: try row.decode(atIndex: 2), position: try row.decode(atIndex: 3))
        } catch {
            throw StoreError.corrupt("the record of command \(id) cannot be read")
        }
    }

    /// Records a handled command, so that a retry of the same id returns its result.
    ///
    /// - Throws: ``StoreError/commandIDReused(id:)`` when the id is recorded for another request hash,
    ///   ``StoreError/commandAlreadyRecorded(id:)`` when it is recorded for the same one.
    public func recordCommand(_ command: StoredCommand) throws {
        do {
            try db.executeCached(
                sql: "INSERT INTO command (id, request_hash, result, position) VALUES (?, ?, ?, ?)",
                arguments: [command.id, command.requestHash, command.result, command.position])
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CONSTRAINT {
            // The id is taken (one statement in the usual case; the lookup only names what it is taken by).
            guard let existing = try storedCommand(id: command.id) else { throw error }
            if existing.requestHash != command.requestHash {
                throw StoreError.commandIDReused(id: command.id)
            }
            throw StoreError.commandAlreadyRecorded(id: command.id)
        }
    }

    /// Runs `body` in a SAVEPOINT: a thrown error rolls back only what `body` wrote, then is rethrown.
    ///
    /// Used so that one failing command in a group-commit batch does not affect the others. Savepoints nest.
    /// A full disk or an I/O error is rethrown as ``StoreError/storageFull(_:)`` or
    /// ``StoreError/storageFailed(_:)``, and so is every later failure it causes in the same transaction.
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        do {
            return try cheapSavepoint(body)
        } catch {
            throw storageFailures.translate(error)
        }
    }

    /// SAVEPOINT, `body`, RELEASE — through the statement cache (GRDB's `inSavepoint` compiles its three
    /// statements on every call, a tenth of a command's cost on the writer); on error ROLLBACK TO and RELEASE.
    private func cheapSavepoint<T>(_ body: () throws -> T) throws -> T {
        try db.executeCached(sql: "SAVEPOINT oversight")
        let result: T
        do {
            result = try body()
            guard db.isInsideTransaction else {
                throw DatabaseError(resultCode: .SQLITE_ABORT, message: "Transaction was aborted")
            }
        } catch {
            progress.head = nil
            // A full disk can make SQLite roll the whole transaction back; there is then no savepoint to undo.
            if db.isInsideTransaction {
                do {
                    try db.executeCached(sql: "ROLLBACK TRANSACTION TO SAVEPOINT oversight")
                    try db.executeCached(sql: "RELEASE SAVEPOINT oversight")
                } catch let rollbackError {
                    // What `body` wrote could not be undone: the whole transaction must not commit.
                    storageFailures.savepointNotUndone(rollbackError)
                }
            }
            throw error
        }
        try db.executeCached(sql: "RELEASE SAVEPOINT oversight")
        return result
    }

    private func isJSON(_ text: String) -> Bool {
        if JSONSyntaxCheck.isPlainJSON(text) { return true }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }
}

@available(*, unavailable, message: "a WriteTransaction is bound to the thread of its write transaction")
extension WriteTransaction: Sendable {}

import Foundation
import GRDB
import OversightAudit

/// A signed checkpoint as stored in the `checkpoint` table.
public struct StoredCheckpoint: Sendable, Equatable {
    /// The tree size (the log position it covers).
    public var size: Int64
    /// The tree's root hash.
    public var rootHash: Data
    /// The signed note, as text.
    public var note: String
    /// When it was signed (UTC, ISO 8601 with milliseconds).
    public var signedAt: String
}

/// An inclusion proof of one event, read at one snapshot.
public struct EventInclusion: Sendable, Equatable {
    /// The event, column for column.
    public var event: RawEvent
    /// The tree size the proof leads to.
    public var treeSize: Int64
    /// The proof hashes.
    public var proof: [Data]
    /// The root of the tree of `treeSize` events.
    public var rootHash: Data
}

/// A consistency proof between two tree sizes of the log, read at one snapshot.
public struct LogConsistency: Sendable, Equatable {
    /// The log's root at the old size (compare it with the old checkpoint's).
    public var oldRoot: Data
    /// The log's root at the new size.
    public var newRoot: Data
    /// The proof hashes.
    public var proof: [Data]
}

extension SQLiteEventLog {
    /// The newest signed checkpoint, or nil before the first.
    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try pool.read { db in try AuditRecords.checkpoints(db, limit: 1).first }
    }

    /// The checkpoint signed at exactly `size`, if any.
    public func checkpoint(size: Int64) throws -> StoredCheckpoint? {
        try pool.read { db in try AuditRecords.checkpoint(db, size: size) }
    }

    /// The newest `limit` checkpoints of size below `before`, newest first.
    public func checkpoints(limit: Int, before: Int64 = .max) throws -> [StoredCheckpoint] {
        try pool.read { db in try AuditRecords.checkpoints(db, limit: limit, before: before) }
    }

    /// The root hash of the tree of the first `size` events.
    ///
    /// - Throws: ``AuditQueryError/beyondHead(size:head:)`` when the log is shorter.
    public func merkleRoot(size: Int64) throws -> Data {
        try pool.read { db in
            try AuditRecords.checkSize(size, db)
            return try EventLogTree(db).rootHash(size: size)
        }
    }

    /// The inclusion proof of the event at `position` in the tree of `treeSize` events.
    public func inclusionProof(position: Int64, treeSize: Int64) throws -> EventInclusion {
        try pool.read { db in
            try AuditRecords.checkSize(treeSize, db)
            guard position >= 1, position <= treeSize else {
                throw AuditQueryError.positionOutsideTree(position: position, size: treeSize)
            }
            guard let event = try AuditRecords.rawEvents(db, after: position - 1, limit: 1).first else {
                throw StoreError.corrupt("event \(position) is missing")
            }
            let tree = EventLogTree(db)
            return EventInclusion(
                event: event, treeSize: treeSize, proof: try tree.inclusionProof(index: position - 1, size: treeSize),
                rootHash: try tree.rootHash(size: treeSize))
        }
    }

    /// The consistency proof from the tree of `oldSize` events to the tree of `newSize` events.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> LogConsistency {
        try pool.read { db in
            try AuditRecords.checkSize(newSize, db)
            guard oldSize >= 0, oldSize <= newSize else {
                throw AuditQueryError.oldLargerThanNew(old: oldSize, new: newSize)
            }
            let tree = EventLogTree(db)
            return LogConsistency(
                oldRoot: try tree.rootHash(size: oldSize), newRoot: try tree.rootHash(size: newSize),
                proof: try tree.consistencyProof(oldSize: oldSize, newSize: newSize))
        }
    }

    /// At most `limit` events after `position`, column for column as stored.
    public func rawEvents(after position: Int64, limit: Int) throws -> [RawEvent] {
        try pool.read { db in try AuditRecords.rawEvents(db, after: position, limit: limit) }
    }
}

extension WriteTransaction {
    /// Signs a checkpoint of the whole log as it stands in this transaction, unless one exists for its size.
    ///
    /// - Returns: The checkpoint for the head (new or existing), or nil when the log is empty.
    public func signCheckpoint(with signer: NoteSigner, at date: Date) throws -> StoredCheckpoint? {
        let head = try head()
        guard head.position > 0 else { return nil }
        if let existing = try AuditRecords.checkpoint(db, size: head.position) { return existing }
        let root = try EventLogTree(db).rootHash(size: head.position)
        let signed = try SignedCheckpoint(
            signing: Checkpoint(origin: signer.verifier.name, size: head.position, rootHash: root), with: signer)
        let stored = StoredCheckpoint(
            size: head.position, rootHash: root, note: signed.encoded, signedAt: Timestamp.format(date))
        try db.execute(
            sql: "INSERT INTO checkpoint (size, root, note, signed_at) VALUES (?, ?, ?, ?)",
            arguments: [stored.size, stored.rootHash, stored.note, stored.signedAt])
        return stored
    }

    /// The newest signed checkpoint as seen inside this transaction.
    public func latestCheckpoint() throws -> StoredCheckpoint? {
        try AuditRecords.checkpoints(db, limit: 1).first
    }
}

/// Why an audit query was refused.
public enum AuditQueryError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The tree size asked for is beyond the log's head.
    case beyondHead(size: Int64, head: Int64)
    /// The position is not a leaf of the tree.
    case positionOutsideTree(position: Int64, size: Int64)
    /// A consistency proof needs the old size not to exceed the new one.
    case oldLargerThanNew(old: Int64, new: Int64)

    public var description: String {
        switch self {
        case .beyondHead(let size, let head):
            "the log has \(head) events, fewer than the tree size \(size) asked for"
        case .positionOutsideTree(let position, let size):
            "position \(position) is not in the tree of \(size) events (positions 1 to \(size))"
        case .oldLargerThanNew(let old, let new):
            "the old tree size \(old) is larger than the new tree size \(new)"
        }
    }
}

/// Reading the audit tables; shared by the daemon's log and the offline verifier.
enum AuditRecords {
    static let eventColumns = """
        position, CAST(stream AS BLOB), version, CAST(type AS BLOB), CAST(data AS BLOB), CAST(meta AS BLOB),
        CAST(recorded_at AS BLOB), prev_hash, hash
        """

    static func checkSize(_ size: Int64, _ db: Database) throws {
        let head = try EventRecord.head(db).position
        guard size >= 0, size <= head else { throw AuditQueryError.beyondHead(size: size, head: head) }
    }

    static func rawEvents(_ db: Database, after position: Int64, limit: Int) throws -> [RawEvent] {
        try Row.fetchAll(
            db, sql: "SELECT \(eventColumns) FROM event WHERE position > ? ORDER BY position LIMIT ?",
            arguments: [position, limit]
        ).map(rawEvent)
    }

    static func rawEvent(_ row: Row) throws -> RawEvent {
        func text(_ index: Int) throws -> String {
            guard let data = try? row.decode(Data.self, atIndex: index) else {
                throw StoreError.corrupt("a column of event \(row[0] as Int64? ?? 0) cannot be read")
            }
            return String(decoding: data, as: UTF8.self)
        }
        do {
            return RawEvent(
                position: try row.decode(atIndex: 0), stream: try text(1), version: try row.decode(atIndex: 2),
                type: try text(3), data: try text(4), meta: try text(5), recordedAt: try text(6),
                prevHash: try row.decode(atIndex: 7), hash: try row.decode(atIndex: 8))
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.corrupt("event \(row[0] as Int64? ?? 0) cannot be read: \(error)")
        }
    }

    static func checkpoints(_ db: Database, limit: Int, before: Int64 = .max) throws -> [StoredCheckpoint] {
        try Row.fetchAll(
            db, sql: "SELECT size, root, note, signed_at FROM checkpoint WHERE size < ? ORDER BY size DESC LIMIT ?",
            arguments: [before, limit]
        ).map(checkpoint)
    }

    static func allCheckpoints(_ db: Database) throws -> [StoredCheckpoint] {
        try Row.fetchAll(db, sql: "SELECT size, root, note, signed_at FROM checkpoint ORDER BY size").map(checkpoint)
    }

    static func checkpoint(_ db: Database, size: Int64) throws -> StoredCheckpoint? {
        try Row.fetchOne(
            db, sql: "SELECT size, root, note, signed_at FROM checkpoint WHERE size = ?", arguments: [size]
        ).map(checkpoint)
    }

    static func checkpoint(_ row: Row) throws -> StoredCheckpoint {
        do {
            return StoredCheckpoint(
                size: try row.decode(atIndex: 0), rootHash: try row.decode(atIndex: 1),
                note: try row.decode(atIndex: 2), signedAt: try row.decode(atIndex: 3))
        } catch {
            throw StoreError.corrupt("a stored checkpoint cannot be read")
        }
    }
}

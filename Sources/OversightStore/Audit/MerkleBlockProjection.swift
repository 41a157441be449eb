import Foundation
import GRDB
import OversightAudit

/// The hash of every complete block of 256 events' leaves (the level-8 subtrees of the log's Merkle tree).
///
/// Derived from the log like any read model (so it is rebuilt with the others), it lets the daemon compute a
/// root or a proof over a million events from a few thousand stored hashes. `oversightctl audit verify-db`
/// recomputes every block from the events.
public struct MerkleBlockProjection: Projection {
    public let name = "merkle-blocks"
    public let version = 1

    /// Creates the projection.
    public init() {}

    public func createTables(_ db: Database) throws {
        try db.execute(
            sql: "CREATE TABLE IF NOT EXISTS merkle_block (block INTEGER PRIMARY KEY, hash BLOB NOT NULL)")
    }

    public func dropTables(_ db: Database) throws {
        try db.execute(sql: "DROP TABLE IF EXISTS merkle_block")
    }

    public func apply(_ event: RecordedEvent, _ db: Database) throws {
        let size = MerkleTree<EventLogLeaves>.blockSize
        guard event.position % size == 0 else { return }
        let block = event.position / size - 1
        let hashes = try Data.fetchAll(
            db, sql: "SELECT hash FROM event WHERE position > ? AND position <= ? ORDER BY position",
            arguments: [block * size, event.position])
        guard hashes.count == Int(size) else {
            throw StoreError.corrupt("block \(block) of the Merkle tree is missing events")
        }
        try db.execute(
            sql: "INSERT INTO merkle_block (block, hash) VALUES (?, ?)",
            arguments: [block, MerkleHash.perfectRoot(hashes.map(MerkleHash.leaf))])
    }
}

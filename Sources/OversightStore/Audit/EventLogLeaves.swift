import Foundation
import GRDB
import OversightAudit

/// The leaves of the log's Merkle tree, read from one database connection: leaf `i` is the chain hash of the
/// event at position `i + 1`.
///
/// Use it inside one read (or write) transaction so that every hash comes from one snapshot. With
/// `usingStoredBlocks` the `merkle_block` table supplies the hash of each complete 256-leaf block; without it
/// every hash is computed from the events (what the offline verifier does to check the stored blocks).
public final class EventLogLeaves: MerkleHashSource {
    private let db: Database
    private let usingStoredBlocks: Bool
    private var leafCache: [Int64: [Data]] = [:]
    private var blockCache: [Int64: Data] = [:]

    /// Creates a source over `db`.
    public init(_ db: Database, usingStoredBlocks: Bool = true) {
        self.db = db
        self.usingStoredBlocks = usingStoredBlocks
    }

    public func leafHash(at index: Int64) throws -> Data {
        let size = MerkleTree<EventLogLeaves>.blockSize
        let block = index / size
        if let cached = leafCache[block] {
            guard Int(index % size) < cached.count else { throw missing(index) }
            return cached[Int(index % size)]
        }
        let hashes = try Data.fetchAll(
            db, sql: "SELECT hash FROM event WHERE position > ? AND position <= ? ORDER BY position",
            arguments: [block * size, block * size + size]
        ).map(MerkleHash.leaf)
        leafCache = [block: hashes]
        guard Int(index % size) < hashes.count else { throw missing(index) }
        return hashes[Int(index % size)]
    }

    public func knownSubtreeHash(start: Int64, size: Int64) throws -> Data? {
        let blockSize = MerkleTree<EventLogLeaves>.blockSize
        guard usingStoredBlocks, size >= blockSize, start % blockSize == 0 else { return nil }
        let first = start / blockSize
        let count = size / blockSize
        if blockCache[first] == nil || blockCache[first + count - 1] == nil {
            let rows = try Row.fetchAll(
                db, sql: "SELECT block, hash FROM merkle_block WHERE block >= ? AND block < ? ORDER BY block",
                arguments: [first, first + count])
            for row in rows {
                blockCache[row[0]] = row[1]
            }
        }
        var hashes: [Data] = []
        hashes.reserveCapacity(Int(count))
        for block in first..<(first + count) {
            guard let hash = blockCache[block] else { return nil }
            hashes.append(hash)
        }
        return MerkleHash.perfectRoot(hashes)
    }

    private func missing(_ index: Int64) -> StoreError {
        StoreError.corrupt("event \(index + 1), a leaf of the Merkle tree, is missing")
    }
}

/// The log's Merkle tree over one connection.
public typealias EventLogTree = MerkleTree<EventLogLeaves>

extension MerkleTree where Source == EventLogLeaves {
    /// The tree over the events of `db`.
    public init(_ db: Database, usingStoredBlocks: Bool = true) {
        self.init(source: EventLogLeaves(db, usingStoredBlocks: usingStoredBlocks))
    }
}

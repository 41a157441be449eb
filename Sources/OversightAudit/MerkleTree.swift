import Crypto
import Foundation

/// Where a Merkle tree's hashes come from: the leaf hashes, and, when known, the hashes of whole subtrees.
///
/// A source backed by a database keeps the hash of every complete block of ``MerkleTree/blockSize`` leaves, so
/// that the root of a large tree costs a few thousand hashes instead of millions.
public protocol MerkleHashSource {
    /// The RFC 6962 leaf hash (`SHA-256(0x00 ‖ leaf)`) of the leaf at a zero-based index.
    func leafHash(at index: Int64) throws -> Data
    /// The hash of the perfect subtree of `size` leaves (a power of two) starting at `start` (a multiple of
    /// `size`), when the source knows it without computing; nil otherwise.
    func knownSubtreeHash(start: Int64, size: Int64) throws -> Data?
}

extension MerkleHashSource {
    /// A source that knows no subtree hashes: every hash is computed from the leaves.
    public func knownSubtreeHash(start: Int64, size: Int64) throws -> Data? { nil }
}

/// The RFC 6962 (RFC 9162 §2.1) Merkle hash tree: root, inclusion and consistency proofs, and their checks.
///
/// Hashes are SHA-256: a leaf is `SHA-256(0x00 ‖ data)`, an interior node `SHA-256(0x01 ‖ left ‖ right)`, the
/// empty tree `SHA-256("")`. A tree of `n` leaves splits at the largest power of two below `n`.
public struct MerkleTree<Source: MerkleHashSource> {
    /// The number of leaves whose subtree hash a database keeps as one block (level 8).
    public static var blockSize: Int64 { 256 }

    /// Where the leaf (and known subtree) hashes come from.
    public let source: Source

    /// Creates a tree over `source`.
    public init(source: Source) {
        self.source = source
    }

    /// The root hash of the tree of the first `size` leaves.
    public func rootHash(size: Int64) throws -> Data {
        guard size > 0 else { return MerkleHash.empty }
        return try subtreeHash(start: 0, size: size)
    }

    /// The inclusion proof (RFC 6962 `PATH`) of the leaf at `index` in the tree of `size` leaves: the sibling
    /// hashes from the leaf's level up to the root's children.
    public func inclusionProof(index: Int64, size: Int64) throws -> [Data] {
        precondition(index >= 0 && index < size, "the leaf must be inside the tree")
        return try path(index, start: 0, size: size)
    }

    /// The consistency proof (RFC 6962 `PROOF`) that the tree of `oldSize` leaves is a prefix of the tree of
    /// `newSize` leaves.
    public func consistencyProof(oldSize: Int64, newSize: Int64) throws -> [Data] {
        precondition(oldSize >= 0 && oldSize <= newSize, "the old tree must not be larger than the new one")
        guard oldSize > 0, oldSize < newSize else { return [] }
        return try subproof(oldSize, start: 0, size: newSize, complete: true)
    }

    /// The hash of the `size` leaves from `start`, split as RFC 6962 splits a tree.
    public func subtreeHash(start: Int64, size: Int64) throws -> Data {
        if size == 1 { return try source.leafHash(at: start) }
        if size & (size - 1) == 0, let known = try source.knownSubtreeHash(start: start, size: size) {
            return known
        }
        let split = MerkleHash.largestPowerOfTwo(below: size)
        return MerkleHash.node(
            try subtreeHash(start: start, size: split), try subtreeHash(start: start + split, size: size - split))
    }

    private func path(_ index: Int64, start: Int64, size: Int64) throws -> [Data] {
        guard size > 1 else { return [] }
        let split = MerkleHash.largestPowerOfTwo(below: size)
        if index < split {
            return try path(index, start: start, size: split)
                + [subtreeHash(start: start + split, size: size - split)]
        }
        return try path(index - split, start: start + split, size: size - split)
            + [subtreeHash(start: start, size: split)]
    }

    private func subproof(_ old: Int64, start: Int64, size: Int64, complete: Bool) throws -> [Data] {
        if old == size {
            return complete ? [] : [try subtreeHash(start: start, size: size)]
        }
        let split = MerkleHash.largestPowerOfTwo(below: size)
        if old <= split {
            return try subproof(old, start: start, size: split, complete: complete)
                + [subtreeHash(start: start + split, size: size - split)]
        }
        return try subproof(old - split, start: start + split, size: size - split, complete: false)
            + [subtreeHash(start: start, size: split)]
    }
}

/// The hash functions of the RFC 6962 tree, and the checks of its proofs (RFC 9162 §2.1.3.2 and §2.1.4.2).
public enum MerkleHash {
    /// The root of the empty tree: `SHA-256("")`.
    public static let empty = Data(SHA256.hash(data: Data()))

    /// `SHA-256(0x00 ‖ data)`.
    public static func leaf(_ data: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0x00])
        hasher.update(data: data)
        return Data(hasher.finalize())
    }

    /// `SHA-256(0x01 ‖ left ‖ right)`.
    public static func node(_ left: Data, _ right: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: [0x01])
        hasher.update(data: left)
        hasher.update(data: right)
        return Data(hasher.finalize())
    }

    /// The root of a perfect tree over `hashes` (a power-of-two count of subtree hashes, in order).
    public static func perfectRoot(_ hashes: [Data]) -> Data {
        var level = hashes
        while level.count > 1 {
            var next: [Data] = []
            next.reserveCapacity(level.count / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(node(level[index], level[index + 1]))
                index += 2
            }
            level = next
        }
        return level.first ?? empty
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int64) -> Int64 {
        var k: Int64 = 1
        while k << 1 < n { k <<= 1 }
        return k
    }

    /// Whether `proof` shows that the leaf hash at `index` is in the tree of `size` leaves whose root is `root`.
    public static func verifyInclusion(leafHash: Data, index: Int64, size: Int64, proof: [Data], root: Data) -> Bool {
        guard index >= 0, index < size else { return false }
        var fn = index
        var sn = size - 1
        var r = leafHash
        for p in proof {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                r = node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = node(r, p)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 && r == root
    }

    /// Whether `proof` shows that the tree of `oldSize` leaves with root `oldRoot` is a prefix of the tree of
    /// `newSize` leaves with root `newRoot`.
    public static func verifyConsistency(
        oldSize: Int64, newSize: Int64, oldRoot: Data, newRoot: Data, proof: [Data]
    ) -> Bool {
        guard oldSize >= 0, oldSize <= newSize else { return false }
        if oldSize == newSize { return proof.isEmpty && oldRoot == newRoot }
        if oldSize == 0 { return proof.isEmpty && oldRoot == empty }
        var path = proof
        if oldSize & (oldSize - 1) == 0 { path.insert(oldRoot, at: 0) }
        guard let first = path.first else { return false }
        var fn = oldSize - 1
        var sn = newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var fr = first
        var sr = first
        for c in path.dropFirst() {
            guard sn != 0 else { return false }
            if fn & 1 == 1 || fn == sn {
                fr = node(c, fr)
                sr = node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = node(sr, c)
            }
            fn >>= 1
            sn >>= 1
        }
        return fr == oldRoot && sr == newRoot && sn == 0
    }
}

/// A Merkle hash source over leaf data held in memory (tests, archives, small logs).
public struct InMemoryLeaves: MerkleHashSource {
    /// The leaf hashes, in order.
    public let leafHashes: [Data]

    /// Creates the source from the leaves' data (each is hashed as an RFC 6962 leaf).
    public init(leaves: [Data]) {
        leafHashes = leaves.map(MerkleHash.leaf)
    }

    public func leafHash(at index: Int64) throws -> Data {
        leafHashes[Int(index)]
    }
}

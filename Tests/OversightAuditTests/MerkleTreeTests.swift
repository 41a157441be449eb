import Foundation
import Testing

@testable import OversightAudit

/// The eight leaves of the RFC 6962 test vectors used by Certificate Transparency and transparency-dev.
private let vectorLeaves: [Data] = [
    Data(), Data([0x00]), Data([0x10]), Data([0x20, 0x21]), Data([0x30, 0x31]), Data([0x40, 0x41, 0x42, 0x43]),
    Data([0x50, 0x51, 0x52, 0x53, 0x54, 0x55, 0x56, 0x57]), Data(0x60...0x6f),
]

/// The published roots of the first 1…8 of those leaves.
private let vectorRoots = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

private func hex(_ data: Data) -> String { data.map { String(format: "%02x", $0) }.joined() }
private func fromHex(_ text: String) -> Data {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return Data(bytes)
}

/// Leaves whose 4-leaf blocks are "known", to check that known subtree hashes give the same answers.
private struct BlockedLeaves: MerkleHashSource {
    let leaves: InMemoryLeaves
    let blockSize: Int64
    var lookups = Counter()

    final class Counter: @unchecked Sendable {
        var known = 0
    }

    func leafHash(at index: Int64) throws -> Data { try leaves.leafHash(at: index) }

    func knownSubtreeHash(start: Int64, size: Int64) throws -> Data? {
        guard size >= blockSize, start % blockSize == 0, start + size <= Int64(leaves.leafHashes.count) else {
            return nil
        }
        lookups.known += 1
        return try MerkleTree(source: leaves).subtreeHash(start: start, size: size)
    }
}

struct MerkleTreeTests {
    @Test func `roots match the published RFC 6962 vectors`() throws {
        let tree = MerkleTree(source: InMemoryLeaves(leaves: vectorLeaves))
        for size in 1...8 {
            #expect(hex(try tree.rootHash(size: Int64(size))) == vectorRoots[size - 1], "size \(size)")
        }
        #expect(hex(try tree.rootHash(size: 0)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func `proofs match the published vectors`() throws {
        let tree = MerkleTree(source: InMemoryLeaves(leaves: vectorLeaves))
        #expect(
            try tree.inclusionProof(index: 5, size: 8).map(hex) == [
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ])
        #expect(
            try tree.consistencyProof(oldSize: 2, newSize: 5).map(hex) == [
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            ])
        #expect(
            try tree.consistencyProof(oldSize: 6, newSize: 8).map(hex) == [
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
            ])
    }

    @Test func `every inclusion proof up to 40 leaves verifies, and fails for another leaf, index or root`() throws {
        let leaves = (0..<40).map { Data("leaf \($0)".utf8) }
        let source = InMemoryLeaves(leaves: leaves)
        let tree = MerkleTree(source: source)
        for size in Int64(1)...40 {
            let root = try tree.rootHash(size: size)
            for index in Int64(0)..<size {
                let proof = try tree.inclusionProof(index: index, size: size)
                let leaf = source.leafHashes[Int(index)]
                #expect(MerkleHash.verifyInclusion(leafHash: leaf, index: index, size: size, proof: proof, root: root))
                let other = source.leafHashes[Int((index + 1) % 40)]
                #expect(
                    !MerkleHash.verifyInclusion(leafHash: other, index: index, size: size, proof: proof, root: root))
                if size > 1 {
                    let wrongIndex = (index + 1) % size
                    #expect(
                        !MerkleHash.verifyInclusion(
                            leafHash: leaf, index: wrongIndex, size: size, proof: proof, root: root))
                }
                #expect(
                    !MerkleHash.verifyInclusion(
                        leafHash: leaf, index: index, size: size, proof: proof, root: MerkleHash.leaf(root)))
            }
        }
    }

    @Test func `every consistency proof up to 40 leaves verifies, and fails for a changed old tree`() throws {
        let leaves = (0..<40).map { Data("leaf \($0)".utf8) }
        let tree = MerkleTree(source: InMemoryLeaves(leaves: leaves))
        var forged = leaves
        forged[0] = Data("forged".utf8)
        let forgedTree = MerkleTree(source: InMemoryLeaves(leaves: forged))
        for newSize in Int64(1)...40 {
            let newRoot = try tree.rootHash(size: newSize)
            for oldSize in Int64(0)...newSize {
                let oldRoot = try tree.rootHash(size: oldSize)
                let proof = try tree.consistencyProof(oldSize: oldSize, newSize: newSize)
                #expect(
                    MerkleHash.verifyConsistency(
                        oldSize: oldSize, newSize: newSize, oldRoot: oldRoot, newRoot: newRoot, proof: proof),
                    "\(oldSize) → \(newSize)")
                if oldSize > 0 {
                    let forgedRoot = try forgedTree.rootHash(size: oldSize)
                    #expect(
                        !MerkleHash.verifyConsistency(
                            oldSize: oldSize, newSize: newSize, oldRoot: forgedRoot, newRoot: newRoot, proof: proof))
                }
            }
        }
    }

    @Test func `known subtree hashes give the same roots and proofs as the leaves`() throws {
        let leaves = InMemoryLeaves(leaves: (0..<70).map { Data("e\($0)".utf8) })
        let plain = MerkleTree(source: leaves)
        let blocked = MerkleTree(source: BlockedLeaves(leaves: leaves, blockSize: 4))
        for size in Int64(1)...70 {
            #expect(try blocked.rootHash(size: size) == plain.rootHash(size: size))
            #expect(
                try blocked.inclusionProof(index: size / 2, size: size)
                    == plain.inclusionProof(index: size / 2, size: size))
            #expect(
                try blocked.consistencyProof(oldSize: size / 3, newSize: size)
                    == plain.consistencyProof(oldSize: size / 3, newSize: size))
        }
        #expect(blocked.source.lookups.known > 0)
    }
}

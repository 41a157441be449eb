import Foundation
import GRDB
import OversightAudit
import Testing

@testable import OversightStore

/// Appends `count` one-event streams in batches.
private func fill(_ log: SQLiteEventLog, _ count: Int, from start: Int = 0) throws {
    var index = start
    while index < start + count {
        let batch = min(200, start + count - index)
        try log.write { tx in
            for offset in 0..<batch {
                _ = try tx.append(
                    [EventDraft(type: "Happened", data: "{\"n\":\(index + offset)}")], to: "s-\(index + offset)",
                    expectedVersion: .noStream, meta: aliceMeta, recordedAt: fixedDate)
            }
        }
        index += batch
    }
}

struct AuditStoreTests {
    @Test func `stored blocks give the same roots and proofs as the events alone`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [MerkleBlockProjection()])
            try fill(log, 700)
            try log.reader.read { db throws in
                #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM merkle_block") == 2)
                let stored = EventLogTree(db)
                let computed = EventLogTree(db, usingStoredBlocks: false)
                for size: Int64 in [1, 255, 256, 257, 511, 512, 513, 700] {
                    let fromBlocks = try stored.rootHash(size: size)
                    let fromEvents = try computed.rootHash(size: size)
                    #expect(fromBlocks == fromEvents, "size \(size)")
                }
            }
            for (position, size): (Int64, Int64) in [(1, 700), (300, 700), (700, 700), (256, 512)] {
                let inclusion = try log.inclusionProof(position: position, treeSize: size)
                #expect(inclusion.event.recomputedHash == inclusion.event.hash)
                #expect(
                    MerkleHash.verifyInclusion(
                        leafHash: MerkleHash.leaf(inclusion.event.hash), index: position - 1, size: size,
                        proof: inclusion.proof, root: inclusion.rootHash))
            }
            let consistency = try log.consistencyProof(oldSize: 300, newSize: 700)
            #expect(consistency.oldRoot == (try log.merkleRoot(size: 300)))
            #expect(
                MerkleHash.verifyConsistency(
                    oldSize: 300, newSize: 700, oldRoot: consistency.oldRoot, newRoot: consistency.newRoot,
                    proof: consistency.proof))
            #expect(throws: AuditQueryError.beyondHead(size: 701, head: 700)) { try log.merkleRoot(size: 701) }
            #expect(throws: AuditQueryError.positionOutsideTree(position: 9, size: 8)) {
                try log.inclusionProof(position: 9, treeSize: 8)
            }
        }
    }

    @Test func `a rebuild gives the same blocks as the live projection`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path, projections: [MerkleBlockProjection()])
            try fill(log, 600)
            let live = try log.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM merkle_block ORDER BY block")
            }
            try log.rebuildProjections()
            let rebuilt = try log.reader.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM merkle_block ORDER BY block")
            }
            #expect(live == rebuilt)
            #expect(live.count == 2)
        }
    }

    @Test func `a checkpoint is signed once per size, stored, and never changed`() throws {
        try withTemporaryDatabase { path in
            let signer = try NoteSigner(generatingKeyNamed: "test.example/log")
            let log = try openLog(path, projections: [MerkleBlockProjection()])
            #expect(try log.write { tx in try tx.signCheckpoint(with: signer, at: fixedDate) } == nil)
            try fill(log, 300)
            let first = try #require(try log.write { tx in try tx.signCheckpoint(with: signer, at: fixedDate) })
            let again = try log.write { tx in try tx.signCheckpoint(with: signer, at: fixedDate.addingTimeInterval(5)) }
            #expect(again == first)
            #expect(first.size == 300)
            #expect(first.rootHash == (try log.merkleRoot(size: 300)))
            let checkpoint = try SignedCheckpoint(parsing: first.note).verified(by: signer.verifier)
            #expect(checkpoint == Checkpoint(origin: "test.example/log", size: 300, rootHash: first.rootHash))
            #expect(try log.latestCheckpoint() == first)
            #expect(try log.checkpoints(limit: 10) == [first])
            #expect(throws: DatabaseError.self) {
                try log.write { tx in try tx.db.execute(sql: "UPDATE checkpoint SET note = 'forged'") }
            }
            #expect(throws: DatabaseError.self) {
                try log.write { tx in try tx.db.execute(sql: "DELETE FROM checkpoint") }
            }
        }
    }

    @Test func `the offline audit passes an intact file and names what a forger changed`() throws {
        try withTemporaryDatabase { path in
            let signer = try NoteSigner(generatingKeyNamed: "test.example/log")
            do {
                let log = try openLog(path, projections: [MerkleBlockProjection()])
                try fill(log, 520)
                _ = try log.write { tx in try tx.signCheckpoint(with: signer, at: fixedDate) }
                try fill(log, 10, from: 520)
            }
            let intact = try auditDatabase(at: path, verifier: signer.verifier)
            #expect(intact.passed, "\(intact.checks)")
            #expect(intact.head.position == 530)

            let unsigned = try auditDatabase(at: path, verifier: nil)
            #expect(!unsigned.passed)
            #expect(unsigned.checks.contains { $0.name == "signatures" && !$0.passed })

            let stranger = try NoteSigner(generatingKeyNamed: "test.example/log")
            #expect(!(try auditDatabase(at: path, verifier: stranger.verifier)).passed)

            // A forger drops the triggers and rewrites the data of event 7 (the chain breaks there).
            let queue = try DatabaseQueue(path: path)
            try queue.write { db in
                try db.execute(sql: "DROP TRIGGER event_refuse_update")
                try db.execute(sql: #"UPDATE event SET data = '{"n":999}' WHERE position = 7"#)
            }
            let edited = try auditDatabase(at: path, verifier: signer.verifier)
            #expect(!edited.passed)
            #expect(edited.firstBadPosition == 7)
        }
    }
}

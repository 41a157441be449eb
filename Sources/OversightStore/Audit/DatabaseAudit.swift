import Foundation
import GRDB
import OversightAudit

/// The result of auditing an event-log file offline: every check made, and the first thing found wrong.
public struct DatabaseAuditReport: Sendable, Equatable {
    /// One check and its outcome.
    public struct Check: Sendable, Equatable {
        /// What was checked, such as "hash chain".
        public var name: String
        /// Whether it held.
        public var passed: Bool
        /// What was found, as a sentence.
        public var detail: String
    }

    /// Every check, in the order made.
    public var checks: [Check] = []
    /// The log's head as found in the file.
    public var head: LogHead = .empty
    /// The first position found bad (the earliest of all checks), when one can be named.
    public var firstBadPosition: Int64?
    /// The first problem found, as a sentence.
    public var problem: String?

    /// Whether every check passed.
    public var passed: Bool { checks.allSatisfy(\.passed) }

    mutating func pass(_ name: String, _ detail: String) {
        checks.append(Check(name: name, passed: true, detail: detail))
    }

    /// Whether ``firstBadPosition`` is the exact bad event (not the start of a range it lies in).
    private var exact = false

    /// Records a failed check.
    ///
    /// An exact position (the event found bad) wins over the start of a range (a
    /// checkpoint's root says only that some event in a range changed); among equals the earliest wins.
    mutating func fail(_ name: String, _ detail: String, position: Int64?, exact isExact: Bool = true) {
        checks.append(Check(name: name, passed: false, detail: detail))
        guard let position else {
            if problem == nil { problem = detail }
            return
        }
        let better =
            firstBadPosition.map { current in
                isExact != exact ? isExact : position < current
            } ?? true
        if better {
            firstBadPosition = position
            exact = isExact
            problem = detail
        } else if problem == nil {
            problem = detail
        }
    }
}

/// Audits an event-log file (a live database or a backup) without a daemon: the hash chain, the stored Merkle
/// blocks, every stored checkpoint's root and signature, and consistency with a checkpoint a witness kept.
///
/// - Parameters:
///   - path: The database file.
///   - verifier: The log's public key; without it signatures are reported as not checked (a failed check).
///   - witness: A checkpoint kept outside the office; the file's log must extend it.
/// - Throws: ``StoreError/cannotOpen(path:reason:)`` when the file is missing or not an Oversight event log.
public func auditDatabase(
    at path: String, verifier: NoteVerifier?, witness: SignedCheckpoint? = nil
) throws -> DatabaseAuditReport {
    try readEventLogFile(at: path, label: "oversight.audit") { db in
        try DatabaseAuditor(db: db, verifier: verifier, witness: witness).run()
    }
}

/// The checks of ``auditDatabase(at:verifier:witness:)``, over one read transaction.
private struct DatabaseAuditor {
    let db: Database
    let verifier: NoteVerifier?
    let witness: SignedCheckpoint?

    func run() throws -> DatabaseAuditReport {
        var report = DatabaseAuditReport()
        let chain = try ChainVerifier.verify(db)
        report.head = chain.head
        if let bad = chain.firstBadPosition {
            report.fail("hash chain", chain.problem ?? "the chain is broken at \(bad)", position: bad)
        } else {
            report.pass(
                "hash chain", "\(chain.checked) events, each linked to the one before; head \(chain.head.position)")
        }
        let blocksSound = try checkBlocks(&report)
        let tree = EventLogTree(db, usingStoredBlocks: blocksSound)
        let checkpoints = try checkStoredCheckpoints(&report, tree: tree)
        if let witness { try checkWitness(witness, &report, tree: tree, stored: checkpoints) }
        return report
    }

    /// Recomputes every stored 256-event block from the events.
    private func checkBlocks(_ report: inout DatabaseAuditReport) throws -> Bool {
        guard try db.tableExists("merkle_block") else {
            report.pass("merkle blocks", "no stored blocks (the file predates them); roots computed from the events")
            return false
        }
        let size = EventLogTree.blockSize
        let stored = try Row.fetchAll(db, sql: "SELECT block, hash FROM merkle_block ORDER BY block")
        let recompute = EventLogTree(db, usingStoredBlocks: false)
        let complete = report.head.position / size
        var expected: Int64 = 0
        for row in stored {
            let block: Int64 = row[0]
            let hash: Data = row[1]
            guard block == expected, block < complete else {
                report.fail(
                    "merkle blocks", "the stored block table has an unexpected block \(block)",
                    position: min(block, expected) * size + 1)
                return false
            }
            let actual = try recompute.subtreeHash(start: block * size, size: size)
            guard actual == hash else {
                report.fail(
                    "merkle blocks",
                    "the stored hash of events \(block * size + 1)–\(block * size + size) does not match the events",
                    position: block * size + 1)
                return false
            }
            expected += 1
        }
        report.pass("merkle blocks", "\(stored.count) blocks of \(size) events match the events")
        return true
    }

    /// Each stored checkpoint: its note parses and matches its row, its tree fits in the log and has its root,
    /// and its signature verifies.
    private func checkStoredCheckpoints(
        _ report: inout DatabaseAuditReport, tree: EventLogTree
    ) throws
        -> [Checkpoint]
    {
        guard try db.tableExists("checkpoint") else {
            report.pass("checkpoints", "no checkpoints (the file predates them)")
            return []
        }
        let stored = try AuditRecords.allCheckpoints(db)
        var good: [Checkpoint] = []
        var failed = false
        var signaturesFailed = false
        var lastGoodSize: Int64 = 0
        for row in stored {
            let signed: SignedCheckpoint
            do {
                signed = try SignedCheckpoint(parsing: row.note)
            } catch {
                report.fail("checkpoints", "the checkpoint of size \(row.size) cannot be read: \(error)", position: nil)
                failed = true
                continue
            }
            let checkpoint = signed.checkpoint
            guard checkpoint.size == row.size, checkpoint.rootHash == row.rootHash else {
                report.fail(
                    "checkpoints",
                    "the stored size or root of the checkpoint of size \(row.size) differs from its note",
                    position: nil)
                failed = true
                continue
            }
            var genuine = true
            if let verifier {
                do {
                    _ = try signed.verified(by: verifier)
                } catch {
                    if !signaturesFailed {
                        report.fail("signatures", "the checkpoint of size \(row.size): \(error)", position: nil)
                    }
                    signaturesFailed = true
                    genuine = false
                }
            }
            guard row.size <= report.head.position else {
                report.fail(
                    "checkpoints",
                    "the checkpoint of size \(row.size) covers events \(report.head.position + 1)–\(row.size), "
                        + "which the log no longer has: its tail was removed",
                    position: report.head.position + 1)
                failed = true
                break
            }
            let root = try tree.rootHash(size: row.size)
            guard root == row.rootHash else {
                report.fail(
                    "checkpoints",
                    "the events up to \(row.size) do not have the root the checkpoint of size \(row.size) signed: "
                        + "an event between positions \(lastGoodSize + 1) and \(row.size) was changed",
                    position: lastGoodSize + 1, exact: false)
                failed = true
                break
            }
            lastGoodSize = row.size
            // Only a checkpoint signed by the key narrows down where a later mismatch starts.
            if genuine { good.append(checkpoint) }
        }
        if !failed {
            report.pass(
                "checkpoints",
                stored.isEmpty
                    ? "no checkpoint signed yet"
                    : "\(stored.count) checkpoints, the newest at size \(lastGoodSize), match the events")
        }
        if verifier == nil {
            report.fail("signatures", "not checked: no public key given (--key)", position: nil)
        } else if !signaturesFailed {
            report.pass("signatures", "\(stored.count) checkpoint signatures verify with \(verifier?.name ?? "")")
        }
        return good
    }

    /// A checkpoint kept outside the office: signed by the key, and extended by this log.
    private func checkWitness(
        _ witness: SignedCheckpoint, _ report: inout DatabaseAuditReport, tree: EventLogTree, stored: [Checkpoint]
    ) throws {
        let checkpoint = witness.checkpoint
        if let verifier {
            do {
                _ = try witness.verified(by: verifier)
            } catch {
                report.fail("given checkpoint", "the given checkpoint: \(error)", position: nil)
                return
            }
        }
        guard checkpoint.size <= report.head.position else {
            report.fail(
                "given checkpoint",
                "the given checkpoint covers \(checkpoint.size) events but the log has \(report.head.position): "
                    + "events \(report.head.position + 1)–\(checkpoint.size) were removed",
                position: report.head.position + 1)
            return
        }
        guard try tree.rootHash(size: checkpoint.size) == checkpoint.rootHash else {
            let before = stored.last { $0.size < checkpoint.size }?.size ?? 0
            report.fail(
                "given checkpoint",
                "the log is not consistent with the given checkpoint of size \(checkpoint.size): "
                    + "an event between positions \(before + 1) and \(checkpoint.size) was changed",
                position: before + 1, exact: false)
            return
        }
        report.pass(
            "given checkpoint",
            "the log of \(report.head.position) events extends the checkpoint of size \(checkpoint.size)")
    }
}

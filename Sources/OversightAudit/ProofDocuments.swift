import Foundation

/// An offline-verifiable inclusion proof in the C2SP `tlog-proof@v1` text format: optional `extra` data, the
/// zero-based leaf index, the inclusion proof hashes (base64, one per line), a blank line, and the checkpoint.
public struct InclusionProofDocument: Sendable, Equatable {
    /// The first line of the format.
    public static let header = "c2sp.org/tlog-proof@v1"

    /// Unauthenticated extra data (Oversight puts the event's stored columns here, to recompute its hash).
    public var extra: Data?
    /// The zero-based leaf index (event position − 1).
    public var index: Int64
    /// The inclusion proof, from the leaf's sibling up.
    public var proof: [Data]
    /// The checkpoint the proof leads to.
    public var checkpoint: SignedCheckpoint

    /// Creates a proof document.
    public init(extra: Data?, index: Int64, proof: [Data], checkpoint: SignedCheckpoint) {
        self.extra = extra
        self.index = index
        self.proof = proof
        self.checkpoint = checkpoint
    }

    /// The document as text.
    public var encoded: String {
        var lines = [Self.header]
        if let extra { lines.append("extra " + extra.base64EncodedString()) }
        lines.append("index \(index)")
        lines += proof.map { $0.base64EncodedString() }
        return lines.joined(separator: "\n") + "\n\n" + checkpoint.encoded
    }

    /// Parses a proof document.
    public init(parsing text: String) throws {
        guard let blank = text.range(of: "\n\n") else {
            throw AuditError.malformedProof("no blank line between the proof and its checkpoint")
        }
        var lines = text[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)[...]
        guard lines.popFirst() == Substring(Self.header) else {
            throw AuditError.malformedProof("the first line is not \(Self.header)")
        }
        var extra: Data?
        if let line = lines.first, line.hasPrefix("extra ") {
            guard let data = Data(base64Encoded: String(line.dropFirst(6))) else {
                throw AuditError.malformedProof("the extra line is not base64")
            }
            extra = data
            lines.removeFirst()
        }
        guard let indexLine = lines.popFirst(), indexLine.hasPrefix("index "),
            let index = Int64(indexLine.dropFirst(6)), index >= 0
        else { throw AuditError.malformedProof("the index line is not \"index <number>\"") }
        let proof = try lines.map { line -> Data in
            guard let hash = Data(base64Encoded: String(line)), hash.count == 32 else {
                throw AuditError.malformedProof("a proof line is not base64 of a 32-byte hash")
            }
            return hash
        }
        self.init(
            extra: extra, index: index, proof: proof,
            checkpoint: try SignedCheckpoint(parsing: String(text[blank.upperBound...])))
    }

    /// Checks the checkpoint's signature and that `leafHash` is the leaf at ``index`` of its tree.
    public func verify(leafHash: Data, with verifier: NoteVerifier) throws {
        let checkpoint = try self.checkpoint.verified(by: verifier)
        guard index < checkpoint.size else {
            throw AuditError.proofFailed(
                "leaf \(index) is outside the checkpoint's tree of \(checkpoint.size) leaves")
        }
        guard
            MerkleHash.verifyInclusion(
                leafHash: leafHash, index: index, size: checkpoint.size, proof: proof, root: checkpoint.rootHash)
        else {
            throw AuditError.proofFailed(
                "the entry is not leaf \(index) of the tree of size \(checkpoint.size) with root "
                    + checkpoint.rootHash.base64EncodedString())
        }
    }
}

/// A consistency proof between two signed checkpoints of one log (Oversight's own JSON format,
/// `oversight-consistency-proof@v1`): the old and the new checkpoint and the RFC 6962 proof between them.
public struct ConsistencyProofDocument: Sendable, Equatable {
    /// The `format` value.
    public static let format = "oversight-consistency-proof@v1"

    /// The older checkpoint (the one a witness kept).
    public var old: SignedCheckpoint
    /// The newer checkpoint.
    public var new: SignedCheckpoint
    /// The proof hashes.
    public var proof: [Data]

    /// Creates a consistency proof document.
    public init(old: SignedCheckpoint, new: SignedCheckpoint, proof: [Data]) {
        self.old = old
        self.new = new
        self.proof = proof
    }

    /// The document as pretty-printed JSON.
    public var encoded: String {
        let object: [String: Any] = [
            "format": Self.format, "oldCheckpoint": old.encoded, "newCheckpoint": new.encoded,
            "proof": proof.map { $0.base64EncodedString() },
        ]
        let data =
            (try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Parses a consistency proof document.
    public init(parsing text: String) throws {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            object["format"] as? String == Self.format
        else { throw AuditError.malformedProof("the document is not an \(Self.format) JSON object") }
        guard let old = object["oldCheckpoint"] as? String, let new = object["newCheckpoint"] as? String,
            let hashes = object["proof"] as? [String]
        else { throw AuditError.malformedProof("oldCheckpoint, newCheckpoint and proof are required") }
        let proof = try hashes.map { line -> Data in
            guard let hash = Data(base64Encoded: line), hash.count == 32 else {
                throw AuditError.malformedProof("a proof hash is not base64 of 32 bytes")
            }
            return hash
        }
        self.init(old: try SignedCheckpoint(parsing: old), new: try SignedCheckpoint(parsing: new), proof: proof)
    }

    /// Checks both signatures and that the old tree is a prefix of the new one.
    public func verify(with verifier: NoteVerifier) throws {
        let old = try self.old.verified(by: verifier)
        let new = try self.new.verified(by: verifier)
        guard old.size <= new.size else {
            throw AuditError.proofFailed("the old checkpoint (size \(old.size)) is larger than the new (\(new.size))")
        }
        guard
            MerkleHash.verifyConsistency(
                oldSize: old.size, newSize: new.size, oldRoot: old.rootHash, newRoot: new.rootHash, proof: proof)
        else {
            throw AuditError.proofFailed(
                "the log of size \(new.size) does not extend the checkpoint of size \(old.size): history was rewritten")
        }
    }
}

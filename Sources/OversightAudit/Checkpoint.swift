import Foundation

/// The body of a C2SP `tlog-checkpoint`: origin, tree size and base64 root hash, one per line.
public struct Checkpoint: Sendable, Equatable {
    /// The log's identity (also its key name).
    public var origin: String
    /// The number of leaves (events) in the tree.
    public var size: Int64
    /// The RFC 6962 root hash of the tree.
    public var rootHash: Data

    /// Creates a checkpoint body.
    public init(origin: String, size: Int64, rootHash: Data) {
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
    }

    /// The note text: `origin\nsize\nbase64(root)\n`.
    public var text: String {
        "\(origin)\n\(size)\n\(rootHash.base64EncodedString())\n"
    }

    /// Parses a checkpoint's note text (extension lines are allowed and ignored).
    public init(text: String) throws {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard text.hasSuffix("\n"), lines.count >= 4 else {
            throw AuditError.malformedCheckpoint("a checkpoint has an origin, a size and a root hash line")
        }
        guard !lines[0].isEmpty else { throw AuditError.malformedCheckpoint("the origin line is empty") }
        guard let size = Int64(lines[1]), size >= 0, String(size) == lines[1] else {
            throw AuditError.malformedCheckpoint("the tree size \"\(lines[1])\" is not a decimal number")
        }
        guard let root = Data(base64Encoded: String(lines[2])), root.count == 32 else {
            throw AuditError.malformedCheckpoint("the root hash is not base64 of 32 bytes")
        }
        self.init(origin: String(lines[0]), size: size, rootHash: root)
    }
}

/// A checkpoint with its signed note, as stored and as exchanged with witnesses.
public struct SignedCheckpoint: Sendable, Equatable {
    /// The checkpoint the note states.
    public let checkpoint: Checkpoint
    /// The signed note (text = `checkpoint.text`).
    public let note: SignedNote

    /// Signs `checkpoint` with `signer`.
    public init(signing checkpoint: Checkpoint, with signer: NoteSigner) throws {
        self.checkpoint = checkpoint
        self.note = try signer.sign(checkpoint.text)
    }

    /// Parses a signed checkpoint; its signature is not checked (see ``verified(by:)``).
    public init(parsing encoded: String) throws {
        note = try SignedNote(parsing: encoded)
        checkpoint = try Checkpoint(text: note.text)
    }

    /// Checks the signature with `verifier` and that the origin is the key's name.
    ///
    /// - Throws: ``AuditError/badSignature(_:)``.
    public func verified(by verifier: NoteVerifier) throws -> Checkpoint {
        _ = try verifier.verify(note)
        guard checkpoint.origin == verifier.name else {
            throw AuditError.badSignature(
                "the checkpoint's origin \(checkpoint.origin) is not the key's name \(verifier.name)")
        }
        return checkpoint
    }

    /// The note as text.
    public var encoded: String { note.encoded }
}

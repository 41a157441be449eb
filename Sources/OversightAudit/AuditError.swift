/// Why an audit artefact (a key, a note, a checkpoint, a proof) was refused.
public enum AuditError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A key is not in the note key format.
    case malformedKey(String)
    /// A signed note is not in the signed-note format.
    case malformedNote(String)
    /// A note's text is not a checkpoint.
    case malformedCheckpoint(String)
    /// A proof document cannot be read.
    case malformedProof(String)
    /// A signature is missing or does not verify.
    case badSignature(String)
    /// A proof does not prove what it claims.
    case proofFailed(String)

    public var description: String {
        switch self {
        case .malformedKey(let reason): "invalid key: \(reason)"
        case .malformedNote(let reason): "invalid signed note: \(reason)"
        case .malformedCheckpoint(let reason): "invalid checkpoint: \(reason)"
        case .malformedProof(let reason): "invalid proof: \(reason)"
        case .badSignature(let reason): "bad signature: \(reason)"
        case .proofFailed(let reason): "proof failed: \(reason)"
        }
    }
}

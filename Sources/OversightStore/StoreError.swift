/// Why the event store refused an operation or could not read its file.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stream is not at the version the command expected; nothing was written.
    case versionConflict(stream: String, expected: ExpectedVersion, actual: Int64)
    /// A command id was used before for a different request.
    case commandIDReused(id: String)
    /// A command id was already recorded for this same request; the caller should have returned the stored result.
    case commandAlreadyRecorded(id: String)
    /// The file was written by a newer oversightd (its schema version or migrations are unknown to this build).
    case schemaTooNew(found: Int, supported: Int)
    /// The file holds something this build cannot read (the message says what and where).
    case corrupt(String)
    /// An event to append is malformed (empty stream or type, data that is not JSON, a date out of range); nothing
    /// was written.
    case invalidEvent(String)
    /// Two projections share a name; each projection needs its own checkpoint.
    case duplicateProjection(name: String)
    /// The database file cannot be opened (missing, unreadable, or not an Oversight event log).
    case cannotOpen(path: String, reason: String)
    /// No registered projection has this name; nothing was changed.
    case unknownProjection(name: String, known: [String])
    /// The filesystem of the event log is full (`SQLITE_FULL`); nothing was written, reads keep working.
    case storageFull(String)
    /// Reading or writing the event log's files failed (`SQLITE_IOERR`); nothing was written.
    case storageFailed(String)

    /// A sentence the user can act on.
    public var description: String {
        switch self {
        case .versionConflict(let stream, .noStream, let actual):
            "stream \(stream) is at version \(actual), the command expected it not to exist yet; reload and retry"
        case .versionConflict(let stream, let expected, let actual):
            "stream \(stream) is at version \(actual), the command expected \(expectedNumber(expected)); "
                + "reload and retry"
        case .commandIDReused(let id):
            "command id \(id) was already used for a different request; use a new id for a new command"
        case .commandAlreadyRecorded(let id):
            "command id \(id) is already recorded; return its stored result instead of running it again"
        case .schemaTooNew(let found, let supported):
            "the database was written by a newer oversightd (schema version \(found), this build supports up to "
                + "\(supported)); upgrade oversightd"
        case .corrupt(let message):
            "the event log is damaged: \(message); run `oversightctl verify` and restore from a backup"
        case .invalidEvent(let message):
            "the event cannot be appended: \(message)"
        case .duplicateProjection(let name):
            "two projections are named \(name); give each projection a unique name"
        case .cannotOpen(let path, let reason):
            "cannot open the event log at \(path): \(reason)"
        case .unknownProjection(let name, let known):
            "no read model is named \(name); the read models are \(known.joined(separator: ", "))"
        case .storageFull(let message):
            "the disk holding the event log is full (\(message)); nothing was written; reads keep working, and "
                + "recording resumes once space is freed in the state directory"
        case .storageFailed(let message):
            "reading or writing the event log's files failed (\(message)); nothing was written; check the disk and "
                + "the kernel log"
        }
    }

    private func expectedNumber(_ expected: ExpectedVersion) -> String {
        switch expected {
        case .any: "any version"
        case .noStream: "0"
        case .exactly(let version): "\(version)"
        }
    }
}

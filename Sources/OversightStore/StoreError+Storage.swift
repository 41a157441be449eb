import GRDB

extension StoreError {
    /// The storage failure that `error` reports (`SQLITE_FULL`, `SQLITE_IOERR`), or `nil` for any other error.
    static func storageFailure(_ error: any Error) -> StoreError? {
        if let error = error as? StoreError {
            switch error {
            case .storageFull, .storageFailed: return error
            default: return nil
            }
        }
        guard let error = error as? DatabaseError else { return nil }
        let message = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_FULL: return .storageFull(message)
        case .SQLITE_IOERR: return .storageFailed(message)
        default: return nil
        }
    }
}

/// Remembers the first storage failure met inside one write transaction.
///
/// After `SQLITE_FULL` or `SQLITE_IOERR`, SQLite may roll back the whole transaction, and every later statement in
/// it then fails with `SQLITE_ABORT`; those later failures are reported as the storage failure that caused them.
final class StorageFailureRecorder {
    private(set) var first: StoreError?
    /// Set when a savepoint could not be rolled back: the transaction holds writes of a failed command and must be
    /// rolled back whole instead of committed.
    private(set) var notUndone: (any Error)?

    /// Records that a savepoint's rollback failed with `error`.
    func savepointNotUndone(_ error: any Error) {
        if notUndone == nil { notUndone = translate(error) }
    }

    /// The error to report for `error`: a storage failure (recorded if it is the first), the recorded failure in
    /// place of the abort it caused, or `error` itself.
    func translate(_ error: any Error) -> any Error {
        if let failure = StoreError.storageFailure(error) {
            if first == nil { first = failure }
            return failure
        }
        if let first, let database = error as? DatabaseError, database.resultCode == .SQLITE_ABORT {
            return first
        }
        return error
    }
}

import Foundation
import GRDB
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a restore installed.
public struct RestoreReport: Sendable, Equatable {
    /// The verification of the installed copy (how many events, its head).
    public var verification: ChainVerification
    /// Where the database that was in place before is kept; nil when there was none.
    public var previous: String?
}

/// Why a restore was refused or failed; the state directory's database is left as it was.
public enum RestoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The backup file cannot be read as an Oversight event log.
    case unreadable(String, String)
    /// The backup's hash chain is broken at a position; nothing was installed.
    case chainBroken(path: String, position: Int64, problem: String)
    /// A file operation in the state directory failed.
    case failed(String)

    /// A sentence naming the file, and the position for a broken chain.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot restore from \(path): \(reason)"
        case .chainBroken(let path, let position, let problem):
            "refusing to restore \(path): its hash chain is broken at position \(position) (\(problem)); "
                + "nothing was changed"
        case .failed(let reason): "the restore failed, nothing was changed: \(reason)"
        }
    }
}

/// Installs a backup as the event log of a state directory whose daemon is stopped.
public enum EventLogRestore {
    /// Verifies `source`'s hash chain, copies it next to `databasePath`, keeps the current database as
    /// `<database>.before-restore-<UTC timestamp>` (with its `-wal`), installs the copy, then opens it (migrating
    /// an older schema) and rebuilds every projection from its events.
    ///
    /// - Important: The caller must hold the state directory's lock: no daemon may have the database open.
    /// - Parameters:
    ///   - source: The backup file (written by `Admin.Backup`, or any copy of an event log).
    ///   - databasePath: The state directory's database, such as `/var/lib/oversight/oversight.sqlite`.
    ///   - projections: The read models to rebuild.
    ///   - now: The time named in the kept file's name.
    /// - Throws: ``RestoreError``; the database in place is untouched unless the error comes after the swap (then
    ///   it says so).
    public static func restore(
        from source: String, into databasePath: String, projections: [any Projection], logger: Logger,
        now: Date = Date()
    ) throws -> RestoreReport {
        let checked: ChainVerification
        do {
            checked = try verifyChain(ofDatabaseAt: source)
        } catch {
            throw RestoreError.unreadable(source, "\(error)")
        }
        if let position = checked.firstBadPosition {
            throw RestoreError.chainBroken(path: source, position: position, problem: checked.problem ?? "")
        }

        // Copy through SQLite (a WAL next to the source is included) into the state directory, then verify the
        // very bytes that will be installed.
        let staged = databasePath + ".restoring-\(UUID().uuidString.prefix(8))"
        defer { unlink(staged) }
        do {
            var configuration = Configuration()
            configuration.readonly = true
            let queue = try DatabaseQueue(path: source, configuration: configuration)
            try queue.inDatabase { db in try db.execute(sql: "VACUUM INTO ?", arguments: [staged]) }
            try queue.close()
        } catch {
            throw RestoreError.failed("cannot copy \(source) to \(staged): \(error)")
        }
        let verification = try verifyChain(ofDatabaseAt: staged)
        if let position = verification.firstBadPosition {
            throw RestoreError.chainBroken(path: source, position: position, problem: verification.problem ?? "")
        }
        guard verification.head == checked.head else {
            throw RestoreError.failed("\(source) changed while it was being copied; retry")
        }

        var previous: String?
        if FileManager.default.fileExists(atPath: databasePath) {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyyMMdd'T'HHmmss'Z'"
            let kept = databasePath + ".before-restore-" + formatter.string(from: now)
            guard rename(databasePath, kept) == 0 else {
                throw RestoreError.failed("cannot rename \(databasePath): \(String(cString: strerror(errno)))")
            }
            // SQLite finds a database's WAL by name: move it along so the kept copy stays whole.
            if FileManager.default.fileExists(atPath: databasePath + "-wal") {
                _ = rename(databasePath + "-wal", kept + "-wal")
            }
            unlink(databasePath + "-shm")
            previous = kept
        }
        guard rename(staged, databasePath) == 0 else {
            let reason = String(cString: strerror(errno))
            if let previous {
                _ = rename(previous, databasePath)
                _ = rename(previous + "-wal", databasePath + "-wal")
            }
            throw RestoreError.failed("cannot install the copy as \(databasePath): \(reason)")
        }
        let log = try SQLiteEventLog(path: databasePath, projections: projections, logger: logger)
        try log.rebuildProjections()
        logger.info(
            "Restored",
            metadata: [LogKey.path: "\(source)", LogKey.position: "\(verification.head.position)"])
        return RestoreReport(verification: verification, previous: previous)
    }
}

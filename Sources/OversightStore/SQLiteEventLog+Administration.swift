import Foundation
import GRDB
import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Where one read model stands: its name, the version of its logic, and the last event applied to it.
public struct ProjectionCheckpoint: Sendable, Equatable {
    /// The projection's name, such as `topic-board`.
    public var name: String
    /// The version stored with the checkpoint (the version its tables were built with).
    public var version: Int
    /// The position of the last event applied.
    public var position: Int64

    /// Creates a checkpoint.
    public init(name: String, version: Int, position: Int64) {
        self.name = name
        self.version = version
        self.position = position
    }
}

/// What an online backup wrote.
public struct BackupReport: Sendable, Equatable {
    /// The backup file.
    public var path: String
    /// Its size in bytes.
    public var bytes: Int64
    /// The verification of the copy's hash chain (its head is the copy's last event).
    public var verification: ChainVerification
}

/// Why a backup was not written; nothing is left at the destination.
public enum BackupError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The destination is not an absolute path.
    case notAbsolute(String)
    /// The destination already exists; a backup never overwrites.
    case exists(String)
    /// The destination's directory does not exist or is not a directory.
    case noDirectory(String)
    /// SQLite or the file system failed.
    case failed(String, String)

    /// A sentence naming the path and what to do.
    public var description: String {
        switch self {
        case .notAbsolute(let path):
            "the backup path \(path) is not absolute; the daemon writes the file, so give a full path on its machine"
        case .exists(let path): "\(path) already exists; a backup never overwrites a file, choose a new name"
        case .noDirectory(let directory):
            "the directory \(directory) does not exist on the daemon's machine; create it (writable by oversightd)"
        case .failed(let path, let reason): "the backup to \(path) failed: \(reason)"
        }
    }
}

extension SQLiteEventLog {
    /// The names of the registered projections, in registration order.
    public var projectionNames: [String] { runner.projections.map(\.name) }

    /// Every projection's checkpoint, in registration order (a projection without a checkpoint is left out).
    public func projectionCheckpoints() throws -> [ProjectionCheckpoint] {
        let names = projectionNames
        let stored = try pool.read { db in
            try Row.fetchAll(db, sql: "SELECT name, version, position FROM projection_checkpoint").map { row in
                ProjectionCheckpoint(
                    name: try row.decode(String.self, atIndex: 0), version: try row.decode(Int.self, atIndex: 1),
                    position: try row.decode(Int64.self, atIndex: 2))
            }
        }
        return names.compactMap { name in stored.first { $0.name == name } }
    }

    /// Rebuilds the named projections (every one when `names` is nil) from the first event, in one write
    /// transaction; commands wait for the whole rebuild (the daemon uses ``rebuildProjectionsOnline(named:beforeSwap:)``).
    ///
    /// The transaction runs on the log's single writer connection, so no append can interleave: the tables go from
    /// the old state to the rebuilt one at the commit, and readers (WAL) keep seeing the old tables until then.
    ///
    /// - Returns: The names rebuilt and the head they are rebuilt up to.
    /// - Throws: ``StoreError/unknownProjection(name:known:)`` (nothing changed), or a database error (rolled back).
    public func rebuildProjections(named names: Set<String>?) throws -> (rebuilt: [String], head: LogHead) {
        let runner = self.runner
        let result = try pool.write { db in
            let rebuilt = try runner.rebuild(named: names, db)
            return (rebuilt, try EventRecord.head(db))
        }
        memoryReclaimer.noteActivity()
        logger.info(
            "Projections rebuilt",
            metadata: [
                LogKey.projection: "\(result.0.joined(separator: ","))", LogKey.position: "\(result.1.position)",
            ])
        return (result.0, result.1)
    }

    /// Writes a consistent copy of the whole database to a new file at `destination`, while appends continue.
    ///
    /// The copy is made with `VACUUM INTO` on one of the pool's read connections: it is the snapshot of the
    /// moment it starts (every event committed before the call), compacted, and never blocks the writer. It is
    /// written under a temporary name in the same directory, flushed to disk, and linked to `destination` only
    /// when complete, so the destination either does not exist or holds the whole copy. The copy's hash chain is
    /// then verified.
    ///
    /// - Parameter destination: An absolute path that does not exist, in an existing directory.
    /// - Throws: ``BackupError``; nothing is left behind.
    public func backup(to destination: String) throws -> BackupReport {
        guard destination.hasPrefix("/") else { throw BackupError.notAbsolute(destination) }
        let url = URL(fileURLWithPath: destination)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue
        else { throw BackupError.noDirectory(directory) }
        var info = stat()
        guard lstat(destination, &info) != 0 else { throw BackupError.exists(destination) }
        let partial = (directory as NSString).appendingPathComponent(
            ".\(url.lastPathComponent).partial-\(UUID().uuidString.prefix(8))")
        defer { unlink(partial) }
        do {
            try snapshot(into: partial)
        } catch let error as DatabaseError {
            throw BackupError.failed(destination, error.message ?? "\(error.resultCode)")
        } catch {
            throw BackupError.failed(destination, "\(error)")
        }
        try Self.flush(partial, reportingAs: destination)
        // link(2) refuses an existing destination, so a file created meanwhile is never overwritten.
        guard link(partial, destination) == 0 else {
            if errno == EEXIST { throw BackupError.exists(destination) }
            throw BackupError.failed(destination, String(cString: strerror(errno)))
        }
        try Self.flush(directory, reportingAs: destination)
        let verification: ChainVerification
        do {
            verification = try OversightStore.verifyChain(ofDatabaseAt: destination)
        } catch {
            unlink(destination)
            throw BackupError.failed(destination, "the copy cannot be read back: \(error)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: destination)[.size] as? NSNumber)?.int64Value
        logger.info(
            "Backup written",
            metadata: [LogKey.path: "\(destination)", LogKey.position: "\(verification.head.position)"])
        return BackupReport(path: destination, bytes: bytes ?? 0, verification: verification)
    }

    /// Writes the snapshot of the database at the moment of the call (every committed event) to a new file, with
    /// `VACUUM INTO` on one of the pool's read connections: the writer is never blocked.
    func snapshot(into file: String) throws {
        try pool.unsafeRead { db in try db.execute(sql: "VACUUM INTO ?", arguments: [file]) }
    }

    /// fsyncs a file or directory.
    private static func flush(_ path: String, reportingAs destination: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw BackupError.failed(destination, String(cString: strerror(errno))) }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw BackupError.failed(destination, String(cString: strerror(errno))) }
    }
}

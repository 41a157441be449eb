import Foundation
import Logging
import OversightStore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// `oversightd --restore FILE`: installs a backup as the state directory's event log while no daemon runs.
public enum StateRestore {
    /// Takes the state directory's lock (refusing while a daemon uses it), verifies the backup's hash chain,
    /// installs it (keeping the database in place as `oversight.sqlite.before-restore-<time>`) and rebuilds the
    /// read models.
    ///
    /// When run as root for a state directory owned by another user (the service's `oversight` user), the files
    /// installed are given to that user, so that the daemon can open them.
    ///
    /// - Returns: Lines that say what was done, for the operator.
    /// - Throws: A lock failure, ``OversightStore/RestoreError`` (naming the broken position), or a start error.
    public static func run(from source: String, stateDirectory: String, logger: Logger) throws -> [String] {
        do {
            try FileManager.default.createDirectory(
                atPath: stateDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw OversightDaemon.StartError.stateDirectory(stateDirectory, error.localizedDescription)
        }
        let lock = try StateDirectoryLock(stateDirectory: stateDirectory)
        defer { lock.release() }
        let databasePath = DaemonConfiguration(stateDirectory: stateDirectory).databasePath
        let report = try EventLogRestore.restore(
            from: source, into: databasePath, projections: ReadModels.all, logger: logger)
        giveToOwner(of: stateDirectory, [databasePath, databasePath + "-wal", databasePath + "-shm", lock.path])
        let head = report.verification.head
        var lines = [
            "Restored \(source) into \(databasePath): \(report.verification.checked) events, chain intact, "
                + "head \(head.position) \(head.hash.hex); read models rebuilt."
        ]
        if let previous = report.previous { lines.append("The previous database is kept as \(previous).") }
        return lines
    }

    /// The exit status for a failed restore: 75 (EX_TEMPFAIL) while a daemon holds the state directory, else 1.
    public static func exitCode(for error: any Error) -> Int32 {
        if case StateDirectoryLock.Failure.held = error { return 75 }
        return 1
    }

    /// chowns the files that exist to the state directory's owner, when running as root.
    private static func giveToOwner(of directory: String, _ files: [String]) {
        guard getuid() == 0 else { return }
        var info = stat()
        guard stat(directory, &info) == 0, info.st_uid != 0 else { return }
        for file in files where FileManager.default.fileExists(atPath: file) {
            _ = chown(file, info.st_uid, info.st_gid)
        }
    }
}

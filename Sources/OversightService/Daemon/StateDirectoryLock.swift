import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An exclusive `flock(2)` on `<state directory>/oversightd.lock`, held for the life of the daemon.
///
/// Only the holder of this lock may touch the database or remove a stale socket, so a second daemon pointed at
/// the same state directory stops before it can disturb the first one (it never probes or steals the socket).
/// The kernel releases the lock when the process dies, so a killed daemon leaves nothing to clean up.
final class StateDirectoryLock: Sendable {
    /// Why the lock could not be taken.
    enum Failure: Error, Equatable, CustomStringConvertible {
        /// Another process holds the lock.
        case held(path: String, holder: String?)
        /// The lock file could not be opened.
        case cannotOpen(path: String, reason: String)

        var description: String {
            switch self {
            case .held(let path, let holder):
                "another oversightd\(holder.map { " (pid \($0))" } ?? "") is using this state directory "
                    + "(lock \(path) is held); stop it first, or give this one another --state-dir"
            case .cannotOpen(let path, let reason):
                "cannot open the lock file \(path): \(reason)"
            }
        }
    }

    /// The lock file.
    let path: String
    private let descriptor: Int32

    /// Takes the lock or throws ``Failure`` at once (never waits).
    init(stateDirectory: String) throws {
        let path = (stateDirectory as NSString).appendingPathComponent("oversightd.lock")
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw Failure.cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = try? String(contentsOfFile: path, encoding: .utf8)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw Failure.held(path: path, holder: holder?.isEmpty == false ? holder : nil)
        }
        let pid = "\(getpid())\n"
        _ = ftruncate(fd, 0)
        _ = pid.withCString { pwrite(fd, $0, strlen($0), 0) }
        self.path = path
        self.descriptor = fd
    }

    /// Releases the lock.
    func release() {
        _ = ftruncate(descriptor, 0)
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}

import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Creates the daemon's listening Unix socket with its final mode before anyone can connect.
///
/// `bind`, then `chmod`, then `listen`: a client can only connect after `listen`, so no connection is ever
/// accepted while the socket still has the umask's mode.
enum ListeningSocket {
    /// Why the socket could not be created.
    struct Failure: Error, CustomStringConvertible {
        /// The step that failed.
        var step: String
        /// The socket path.
        var path: String
        /// `strerror` of the failure.
        var reason: String

        var description: String { "cannot \(step) the socket \(path): \(reason)" }
    }

    /// A listening socket bound at `path` with permissions `mode`; returns its descriptor.
    static func make(path: String, mode: mode_t, backlog: Int32 = 256) throws -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw Failure(step: "create", path: path, reason: String(cString: strerror(errno))) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            close(fd)
            throw Failure(step: "bind", path: path, reason: "the path is longer than 107 bytes")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        func fail(_ step: String) -> Failure {
            let failure = Failure(step: step, path: path, reason: String(cString: strerror(errno)))
            close(fd)
            return failure
        }
        guard bound == 0 else { throw fail("bind") }
        guard chmod(path, mode) == 0 else {
            unlink(path)
            throw fail("set the mode of")
        }
        guard listen(fd, backlog) == 0 else {
            unlink(path)
            throw fail("listen on")
        }
        return fd
    }
}

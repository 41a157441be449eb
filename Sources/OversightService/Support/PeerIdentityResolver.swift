import Foundation
import Varlink

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Who is on the other end of a connection, from the kernel's peer credentials (never from what a client says).
struct PeerIdentity: Sendable, Equatable {
    /// The Unix user name, or `uid:<n>` when the uid has no name; `unknown` without credentials.
    var name: String
    var uid: UInt32?
    /// A short description of the client process, such as `pid 4242`.
    var client: String?
}

/// Maps peer credentials to user names with `getpwuid_r`.
struct PeerIdentityResolver: Sendable {
    /// The identity of a peer.
    func identity(of peer: PeerCredentials?) -> PeerIdentity {
        guard let peer else { return PeerIdentity(name: "unknown", uid: nil, client: nil) }
        return PeerIdentity(
            name: Self.userName(uid: peer.uid) ?? "uid:\(peer.uid)", uid: peer.uid, client: "pid \(peer.pid)")
    }

    /// The user name of `uid`, or nil.
    static func userName(uid: UInt32) -> String? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        let status = getpwuid_r(uid, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil, let name = entry.pw_name else { return nil }
        return String(cString: name)
    }
}

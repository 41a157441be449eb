import Foundation
import Synchronization
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

/// Maps peer credentials to user names with `getpwuid_r`, remembering each name for a minute.
///
/// `getpwuid_r` reads `/etc/passwd` (five system calls and a parse) on every call; every command asks, so the
/// names are kept for ``nameLifetime`` and looked up again after it (a renamed user shows within a minute).
struct PeerIdentityResolver: Sendable {
    /// How long a looked-up name is used before it is looked up again.
    static let nameLifetime: Duration = .seconds(60)

    private final class NameCache: Sendable {
        struct Entry {
            var name: String?
            var expires: ContinuousClock.Instant
        }

        let entries = Mutex<[UInt32: Entry]>([:])
    }

    private let cache = NameCache()

    /// The identity of a peer.
    func identity(of peer: PeerCredentials?) -> PeerIdentity {
        guard let peer else { return PeerIdentity(name: "unknown", uid: nil, client: nil) }
        return PeerIdentity(
            name: cachedName(uid: peer.uid) ?? "uid:\(peer.uid)", uid: peer.uid, client: "pid \(peer.pid)")
    }

    private func cachedName(uid: UInt32) -> String? {
        let now = ContinuousClock.now
        if let entry = cache.entries.withLock({ $0[uid] }), entry.expires > now { return entry.name }
        let name = Self.userName(uid: uid)
        cache.entries.withLock { entries in
            if entries.count >= 4096 { entries.removeAll(keepingCapacity: true) }
            entries[uid] = NameCache.Entry(name: name, expires: now + Self.nameLifetime)
        }
        return name
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

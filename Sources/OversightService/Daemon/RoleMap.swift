import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// What a caller may do: read, record, or administer.
///
/// Each role includes the ones below it.
public enum AccessRole: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Every query: lists, shows, reports, the log (`Show`, `Follow`, `Verify`, `Status`), `org.varlink.service`.
    case reader
    /// Every recording method (a method that takes a `commandId`), and everything a reader may do.
    case clerk
    /// The methods of `org.oversight.admin`, and everything a clerk may do.
    case admin

    private var rank: Int {
        switch self {
        case .reader: 0
        case .clerk: 1
        case .admin: 2
        }
    }

    public static func < (lhs: AccessRole, rhs: AccessRole) -> Bool { lhs.rank < rhs.rank }
}

/// Looks up Unix users and groups; the live one reads the system's user database (NSS).
public struct UnixAccounts: Sendable {
    /// The uid of a user name.
    public var userID: @Sendable (String) -> UInt32?
    /// The gid of a group name.
    public var groupID: @Sendable (String) -> UInt32?
    /// Every group (primary and supplementary) of the user `uid` whose primary group is `gid`.
    public var groups: @Sendable (_ uid: UInt32, _ gid: UInt32) -> Set<UInt32>

    /// Creates a lookup from closures (tests give fixed tables).
    public init(
        userID: @escaping @Sendable (String) -> UInt32?, groupID: @escaping @Sendable (String) -> UInt32?,
        groups: @escaping @Sendable (UInt32, UInt32) -> Set<UInt32>
    ) {
        self.userID = userID
        self.groupID = groupID
        self.groups = groups
    }

    /// The system's user database: `getpwnam_r`, `getgrnam_r`, `getgrouplist`.
    public static let system = UnixAccounts(
        userID: { name in
            var entry = passwd()
            var result: UnsafeMutablePointer<passwd>?
            var buffer = [CChar](repeating: 0, count: 16_384)
            guard getpwnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
            return entry.pw_uid
        },
        groupID: { name in
            var entry = group()
            var result: UnsafeMutablePointer<group>?
            var buffer = [CChar](repeating: 0, count: 65_536)
            guard getgrnam_r(name, &entry, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
            return entry.gr_gid
        },
        groups: { uid, gid in
            var groups: Set<UInt32> = [gid]
            guard let name = PeerIdentityResolver.userName(uid: uid) else { return groups }
            var count: Int32 = 64
            for _ in 0..<4 {
                var list = [gid_t](repeating: 0, count: Int(count))
                var capacity = count
                if getgrouplist(name, gid, &list, &capacity) >= 0 {
                    groups.formUnion(list.prefix(Int(capacity)))
                    return groups
                }
                count = max(capacity, count * 2)
            }
            return groups
        }
    )
}

/// Who holds which role, resolved to user and group ids.
///
/// A peer holds the highest role whose list matches its uid, or one of its groups (the primary group from the
/// peer credentials, and the user's supplementary groups from the user database). A peer that matches no list
/// holds no role and is refused every method (except `org.varlink.service`, which the varlink server answers
/// itself and which only describes the service).
public struct RoleMap: Sendable, Equatable {
    /// The users and groups given one role.
    public struct Holders: Sendable, Equatable {
        /// Everyone who can open the socket.
        public var anyone = false
        /// These users.
        public var users: Set<UInt32> = []
        /// The members of these groups.
        public var groups: Set<UInt32> = []

        /// Creates a list.
        public init(anyone: Bool = false, users: Set<UInt32> = [], groups: Set<UInt32> = []) {
            self.anyone = anyone
            self.users = users
            self.groups = groups
        }
    }

    /// The holders of each role; a role missing here is held by nobody.
    public var holders: [AccessRole: Holders]

    /// Creates a map.
    public init(holders: [AccessRole: Holders]) {
        self.holders = holders
    }

    /// The default: root and the daemon's own user are admin, members of group `oversight` are clerk (when the
    /// group exists), everyone else who can open the socket is reader.
    public static func defaults(daemonUID: UInt32, oversightGroup: UInt32?) -> RoleMap {
        RoleMap(holders: [
            .admin: Holders(users: [0, daemonUID]),
            .clerk: Holders(groups: oversightGroup.map { [$0] } ?? []),
            .reader: Holders(anyone: true),
        ])
    }

    /// The default map on this system for this process.
    public static func systemDefaults(accounts: UnixAccounts = .system) -> RoleMap {
        defaults(daemonUID: getuid(), oversightGroup: accounts.groupID("oversight"))
    }

    /// The map of a configuration file's `[roles]` section: each role listed replaces that role's default.
    ///
    /// - Throws: ``ConfigurationError`` naming the line and the key of a user or group that does not exist.
    public static func resolve(
        _ file: ConfigurationFile, path: String?, accounts: UnixAccounts, daemonUID: UInt32 = getuid()
    ) throws(ConfigurationError) -> RoleMap {
        var map = defaults(daemonUID: daemonUID, oversightGroup: accounts.groupID("oversight"))
        for (role, entry) in file.roles {
            var holders = Holders()
            for principal in entry.value {
                let missing = { (what: String) in
                    ConfigurationError(
                        path: path, line: entry.line, key: "roles.\(role.rawValue)",
                        "names \(what), which does not exist on this system")
                }
                switch principal {
                case .anyone: holders.anyone = true
                case .userID(let uid): holders.users.insert(uid)
                case .groupID(let gid): holders.groups.insert(gid)
                case .userName(let name):
                    guard let uid = accounts.userID(name) else { throw missing("the user \"\(name)\"") }
                    holders.users.insert(uid)
                case .groupName(let name):
                    guard let gid = accounts.groupID(name) else { throw missing("the group \"\(name)\"") }
                    holders.groups.insert(gid)
                }
            }
            map.holders[role] = holders
        }
        return map
    }

    /// Whether the user `uid`, whose groups `groups()` returns, holds `needed` or a higher role.
    ///
    /// Users and `*` are checked first; the groups are asked for (a user database lookup) only when a group could
    /// still decide, so a reader's query with the default map costs no lookup.
    public func grants(_ needed: AccessRole, uid: UInt32, groups: () -> Set<UInt32>) -> Bool {
        let eligible = AccessRole.allCases.filter { $0 >= needed }.compactMap { holders[$0] }
        if eligible.contains(where: { $0.anyone || $0.users.contains(uid) }) { return true }
        let candidates = eligible.reduce(into: Set<UInt32>()) { $0.formUnion($1.groups) }
        guard !candidates.isEmpty else { return false }
        return !candidates.isDisjoint(with: groups())
    }

    /// The role of the user `uid`, whose groups `groups()` returns (asked only when a group could matter).
    public func role(uid: UInt32, groups: () -> Set<UInt32>) -> AccessRole? {
        var memberOf: Set<UInt32>?
        for role in AccessRole.allCases.reversed() {
            guard let holders = holders[role] else { continue }
            if holders.anyone || holders.users.contains(uid) { return role }
            if holders.groups.isEmpty { continue }
            let mine = memberOf ?? groups()
            memberOf = mine
            if !holders.groups.isDisjoint(with: mine) { return role }
        }
        return nil
    }
}

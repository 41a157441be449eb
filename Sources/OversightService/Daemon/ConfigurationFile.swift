import Foundation
import Logging
import OversightDomain

/// The parsed text of `oversightd.conf`: each key that the file sets, with the line that set it.
///
/// Pure: reads text, never files or the user database; names of users and groups are resolved later (by
/// ``RoleMap/resolve(_:accounts:daemonUID:)``), and the holiday calendar file is read by
/// ``DaemonConfiguration/resolve(_:accounts:)``. The format (documented in `docs/CONFIGURATION.md`):
///
/// ```
/// # comment
/// socket = /run/oversight/oversightd.sock
/// watchdog = on            # a comment after a value
/// [roles]
/// clerk = group:oversight, user:alice
/// ```
///
/// Every mistake (an unknown key or section, a key given twice, a value that does not parse) throws a
/// ``ConfigurationError`` naming the key and the line.
public struct ConfigurationFile: Sendable, Equatable {
    /// One value and the line (from 1) that set it.
    public struct Entry<Value: Sendable & Equatable>: Sendable, Equatable {
        /// The parsed value.
        public var value: Value
        /// The line that set it.
        public var line: Int
    }

    /// `socket`: where the varlink socket is created.
    public var socket: Entry<String>?
    /// `state-dir`: the directory of the event log and its lock.
    public var stateDirectory: Entry<String>?
    /// `time-zone`: the office's time zone.
    public var timeZone: Entry<TimeZone>?
    /// `log-level`: the least severe level logged.
    public var logLevel: Entry<Logger.Level>?
    /// `evaluation-rule`: the verdict rule of an evaluation recorded or opened without one.
    public var evaluationRule: Entry<VerdictRule>?
    /// `holiday-calendar`: the file of public holidays and adjusted working days.
    public var holidayCalendar: Entry<String>?
    /// `watchdog`: whether `WATCHDOG=1` is sent when systemd asks for it.
    public var watchdog: Entry<Bool>?
    /// `audit-name`: the name (and checkpoint origin) of the signing key generated at first start.
    public var auditName: Entry<String>?
    /// `checkpoint-every`: sign a checkpoint each time the log has grown by this many events (0: never by count).
    public var checkpointEvery: Entry<Int>?
    /// `checkpoint-interval`: sign a checkpoint this often when the log has grown (nil value: never by time).
    public var checkpointInterval: Entry<Duration?>?
    /// `audit-mirror`: the JSON-lines copy of the log for `tail -f` (nil value: no mirror).
    public var auditMirror: Entry<String?>?
    /// `max-connections-per-user`: the most connections one Unix user may hold open at once.
    public var maxConnectionsPerUser: Entry<Int>?
    /// The `[roles]` section: who holds each role; a role not listed keeps its default.
    public var roles: [AccessRole: Entry<[Principal]>] = [:]

    /// The keys of the top of the file (before any section).
    public static let mainKeys = [
        "socket", "state-dir", "time-zone", "log-level", "evaluation-rule", "holiday-calendar", "watchdog",
        "audit-name", "checkpoint-every", "checkpoint-interval", "audit-mirror",
        "max-connections-per-user",
    ]

    /// An empty file: every setting keeps its default.
    public init() {}

    /// Parses the text of a configuration file.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - path: The file's path, named in errors.
    /// - Throws: ``ConfigurationError`` naming the line and the key of the first mistake.
    public init(parsing text: String, path: String? = nil) throws(ConfigurationError) {
        var section: String?
        var seen: [String: Int] = [:]
        for (index, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = index + 1
            let content = Self.stripComment(rawLine).trimmingCharacters(in: .whitespaces)
            if content.isEmpty { continue }
            if content.hasPrefix("[") {
                guard content.hasSuffix("]") else {
                    throw ConfigurationError(path: path, line: line, key: nil, "a section header must end with ']'")
                }
                let name = content.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
                guard name == "roles" else {
                    throw ConfigurationError(
                        path: path, line: line, key: nil, "unknown section [\(name)]; the only section is [roles]")
                }
                section = name
                continue
            }
            guard let equals = content.firstIndex(of: "=") else {
                throw ConfigurationError(
                    path: path, line: line, key: nil, "expected `key = value`, found \"\(content)\"")
            }
            let key = content[..<equals].trimmingCharacters(in: .whitespaces)
            let value = content[content.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            let qualified = section.map { "\($0).\(key)" } ?? key
            guard !key.isEmpty else {
                throw ConfigurationError(path: path, line: line, key: nil, "a key is missing before '='")
            }
            if let first = seen[qualified] {
                throw ConfigurationError(
                    path: path, line: line, key: qualified, "given twice (first on line \(first))")
            }
            seen[qualified] = line
            let error = { (message: String) in ConfigurationError(path: path, line: line, key: qualified, message) }
            guard !value.isEmpty else {
                throw error(
                    section == "roles" ? "no value given; write `none` for a role nobody holds" : "no value given")
            }
            if section == "roles" {
                guard let role = AccessRole(rawValue: key) else {
                    throw error("not a role; the roles are reader, clerk and admin")
                }
                guard let principals = Principal.parseList(value) else {
                    throw error(
                        "must be `none`, `*`, or a comma-separated list of user:NAME, user:UID, group:NAME or "
                            + "group:GID, not \"\(value)\"")
                }
                roles[role] = Entry(value: principals, line: line)
                continue
            }
            switch key {
            case "socket":
                guard value.hasPrefix("/") else { throw error("must be an absolute path, not \"\(value)\"") }
                guard value.utf8.count < 108 else {
                    throw error("\(value.utf8.count) bytes long; a Unix socket path must be under 108 bytes")
                }
                socket = Entry(value: value, line: line)
            case "state-dir":
                guard value.hasPrefix("/") else { throw error("must be an absolute path, not \"\(value)\"") }
                stateDirectory = Entry(value: value, line: line)
            case "holiday-calendar":
                guard value.hasPrefix("/") else { throw error("must be an absolute path, not \"\(value)\"") }
                holidayCalendar = Entry(value: value, line: line)
            case "time-zone":
                guard let zone = TimeZone(identifier: value) else {
                    throw error("unknown time zone \"\(value)\"; use a name such as Asia/Shanghai")
                }
                timeZone = Entry(value: zone, line: line)
            case "log-level":
                guard let level = Logger.Level(rawValue: value) else {
                    throw error("must be trace, debug, info, notice, warning or error, not \"\(value)\"")
                }
                logLevel = Entry(value: level, line: line)
            case "evaluation-rule":
                guard let rule = VerdictRule(value) else {
                    throw error(
                        "must be entitled-majority, present-majority or <base>><threshold> with base entitled or "
                            + "present and a threshold between 0 and 1 such as present>2/3, not \"\(value)\"")
                }
                evaluationRule = Entry(value: rule, line: line)
            case "watchdog":
                switch value.lowercased() {
                case "on", "yes", "true": watchdog = Entry(value: true, line: line)
                case "off", "no", "false": watchdog = Entry(value: false, line: line)
                default: throw error("must be on or off, not \"\(value)\"")
                }
            case "audit-name":
                guard AuditSettings.isValidName(value) else {
                    throw error("must be a name without spaces or '+', such as example.org/oversight")
                }
                auditName = Entry(value: value, line: line)
            case "checkpoint-every":
                guard let count = Int(value), count >= 0 else {
                    throw error("must be a number of events, 0 or more, not \"\(value)\"")
                }
                checkpointEvery = Entry(value: count, line: line)
            case "checkpoint-interval":
                guard let interval = AuditSettings.parseInterval(value) else {
                    throw error("must be off or a duration such as 30s, 10m or 1h, not \"\(value)\"")
                }
                checkpointInterval = Entry(value: interval, line: line)
            case "audit-mirror":
                if value == "off" {
                    auditMirror = Entry(value: nil, line: line)
                } else {
                    guard value.hasPrefix("/") else { throw error("must be off or an absolute path, not \"\(value)\"") }
                    auditMirror = Entry(value: value, line: line)
                }
            case "max-connections-per-user":
                guard let limit = DaemonConfiguration.connectionLimit(value) else {
                    throw error(DaemonConfiguration.connectionLimitRule + ", not \"\(value)\"")
                }
                maxConnectionsPerUser = Entry(value: limit, line: line)
            default:
                if AccessRole(rawValue: key) != nil {
                    throw error("belongs in the [roles] section")
                }
                throw error("not a known key; the keys are \(Self.mainKeys.joined(separator: ", ")) and [roles]")
            }
        }
    }

    /// The line without a comment: `#` at the start or after a blank starts one.
    private static func stripComment(_ line: Substring) -> Substring {
        var previous: Character = " "
        for index in line.indices {
            let character = line[index]
            if character == "#", previous == " " || previous == "\t" { return line[..<index] }
            previous = character
        }
        return line
    }
}

/// Who a role is given to, as written in the `[roles]` section.
public enum Principal: Sendable, Hashable, CustomStringConvertible {
    /// Every local user who can open the socket (`*`).
    case anyone
    /// A user by name (`user:alice`).
    case userName(String)
    /// A user by id (`user:1000`).
    case userID(UInt32)
    /// The members of a group by name (`group:oversight`), primary or supplementary.
    case groupName(String)
    /// The members of a group by id (`group:27`).
    case groupID(UInt32)

    /// The principal as written in the file.
    public var description: String {
        switch self {
        case .anyone: "*"
        case .userName(let name): "user:\(name)"
        case .userID(let id): "user:\(id)"
        case .groupName(let name): "group:\(name)"
        case .groupID(let id): "group:\(id)"
        }
    }

    /// Parses `none` (nobody), `*`, or `user:…`/`group:…` items separated by commas; nil when malformed.
    static func parseList(_ text: String) -> [Principal]? {
        if text == "none" { return [] }
        var result: [Principal] = []
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = item.trimmingCharacters(in: .whitespaces)
            if item == "*" {
                result.append(.anyone)
                continue
            }
            let parts = item.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return nil }
            let name = String(parts[1])
            guard !name.isEmpty, !name.contains(where: { $0 == " " || $0 == "\t" }) else { return nil }
            let id = name.allSatisfy(\.isASCII) ? UInt32(name) : nil
            switch parts[0] {
            case "user": result.append(id.map(Principal.userID) ?? .userName(name))
            case "group": result.append(id.map(Principal.groupID) ?? .groupName(name))
            default: return nil
            }
        }
        return result
    }
}

/// A mistake in the configuration: the daemon does not start (exit 78), or a reload keeps the old configuration.
public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file, when the mistake is in a file.
    public var path: String?
    /// The line of the mistake, when known.
    public var line: Int?
    /// The key (`roles.clerk` for a key of a section), when known.
    public var key: String?
    /// What is wrong and what to write instead.
    public var message: String

    /// Creates an error.
    public init(path: String?, line: Int?, key: String?, _ message: String) {
        self.path = path
        self.line = line
        self.key = key
        self.message = message
    }

    /// A sentence such as `/etc/oversight/oversightd.conf line 4, key time-zone: unknown time zone "Mars"`.
    public var description: String {
        var place: [String] = []
        if let path { place.append(line.map { "\(path) line \($0)" } ?? path) }
        if let key { place.append(path == nil ? key : "key \(key)") }
        return place.isEmpty ? message : place.joined(separator: ", ") + ": " + message
    }
}

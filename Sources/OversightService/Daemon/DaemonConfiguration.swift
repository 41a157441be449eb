import Foundation
import Logging
import OversightDomain

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Everything the daemon needs to start, from flags, the configuration file and defaults (``resolve(_:defaultFile:accounts:)``).
public struct DaemonConfiguration: Sendable {
    /// Where the varlink socket is created (ignored when a socket is inherited from systemd).
    public var socketPath: String
    /// Holds the database and the lock file.
    public var stateDirectory: String
    /// The office's time zone: calendar days ("today") are taken in it.
    public var timeZone: TimeZone
    /// Serve `org.varlink.certification` instead of the product's interfaces (for certifying the protocol).
    public var varlinkCertification: Bool
    /// How long shutdown waits for calls in flight before closing connections.
    public var shutdownGracePeriod: Duration
    /// The daemon's log level.
    public var logLevel: Logger.Level
    /// The office's working days (public holidays and adjusted working days from `--holiday-calendar`).
    public var workingCalendar: WorkingCalendar
    /// Who holds which role (reader, clerk, admin); reloadable.
    public var roles: RoleMap
    /// The verdict rule of an evaluation recorded or opened without one; reloadable.
    public var evaluationRule: VerdictRule
    /// Whether `WATCHDOG=1` is sent when systemd sets `WATCHDOG_USEC`.
    public var watchdog: Bool
    /// Signed checkpoints and the audit mirror.
    public var audit = AuditSettings()
    /// The most connections one Unix user may hold open; beyond it a connection's first call is refused with
    /// `org.oversight.log.TooManyConnections` and the connection is closed (systemd's default, 1024).
    public var maxConnectionsPerUser = 1024
    /// The configuration file read, if any.
    public var configurationFile: String?
    /// The command line this configuration was resolved from; a reload resolves it again.
    ///
    /// Nil when the configuration was built in code: a reload then changes nothing.
    public var commandLine: CommandLineSettings?

    /// Creates a configuration with the production defaults.
    public init(
        socketPath: String = "/run/oversight/oversightd.sock", stateDirectory: String = "/var/lib/oversight",
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current, varlinkCertification: Bool = false,
        shutdownGracePeriod: Duration = .seconds(10), logLevel: Logger.Level = .info,
        workingCalendar: WorkingCalendar = .mondayToFriday, roles: RoleMap = .systemDefaults(),
        evaluationRule: VerdictRule = .majorityOfEntitled, watchdog: Bool = true
    ) {
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
        self.timeZone = timeZone
        self.varlinkCertification = varlinkCertification
        self.shutdownGracePeriod = shutdownGracePeriod
        self.logLevel = logLevel
        self.workingCalendar = workingCalendar
        self.roles = roles
        self.evaluationRule = evaluationRule
        self.watchdog = watchdog
    }

    /// Where the configuration file is looked for when `--config` is not given; used only if it exists.
    public static let defaultConfigurationFile = "/etc/oversight/oversightd.conf"

    /// The configuration from the command line, the configuration file and the defaults, in that order.
    ///
    /// The file is `commandLine.configurationFile` (which must exist), else `defaultFile` when it exists. Every
    /// flag given on the command line wins over the file's key.
    /// - Throws: ``ConfigurationError`` (naming the file, the line and the key), or ``HolidayCalendarError`` for
    ///   a calendar given with `--holiday-calendar`.
    public static func resolve(
        _ commandLine: CommandLineSettings, defaultFile: String = defaultConfigurationFile,
        accounts: UnixAccounts = .system
    ) throws -> DaemonConfiguration {
        var path = commandLine.configurationFile
        if path == nil, FileManager.default.fileExists(atPath: defaultFile) { path = defaultFile }
        var file = ConfigurationFile()
        if let path { file = try readFile(path) }

        var configuration = DaemonConfiguration(
            roles: try RoleMap.resolve(file, path: path, accounts: accounts),
            evaluationRule: file.evaluationRule?.value ?? .majorityOfEntitled,
            watchdog: file.watchdog?.value ?? true
        )
        configuration.configurationFile = path
        configuration.commandLine = commandLine
        configuration.varlinkCertification = commandLine.varlinkCertification
        configuration.socketPath = commandLine.socket ?? file.socket?.value ?? configuration.socketPath
        configuration.stateDirectory =
            commandLine.stateDirectory ?? file.stateDirectory?.value ?? configuration.stateDirectory
        if let zone = commandLine.timeZone {
            guard let timeZone = TimeZone(identifier: zone) else {
                throw ConfigurationError(
                    path: nil, line: nil, key: "--time-zone",
                    "unknown time zone \"\(zone)\"; use a name such as Asia/Shanghai")
            }
            configuration.timeZone = timeZone
        } else if let zone = file.timeZone {
            configuration.timeZone = zone.value
        }
        if let level = commandLine.logLevel {
            guard let logLevel = Logger.Level(rawValue: level) else {
                throw ConfigurationError(
                    path: nil, line: nil, key: "--log-level",
                    "must be trace, debug, info, notice, warning or error, not \"\(level)\"")
            }
            configuration.logLevel = logLevel
        } else if let level = file.logLevel {
            configuration.logLevel = level.value
        }
        if let limit = commandLine.maxConnectionsPerUser {
            guard let checked = connectionLimit("\(limit)") else {
                throw ConfigurationError(
                    path: nil, line: nil, key: "--max-connections-per-user", connectionLimitRule + ", not \(limit)")
            }
            configuration.maxConnectionsPerUser = checked
        } else if let limit = file.maxConnectionsPerUser {
            configuration.maxConnectionsPerUser = limit.value
        }
        if let calendar = commandLine.holidayCalendar {
            configuration.workingCalendar = try loadHolidayCalendar(path: calendar)
        } else if let calendar = file.holidayCalendar {
            do {
                configuration.workingCalendar = try loadHolidayCalendar(path: calendar.value)
            } catch {
                throw ConfigurationError(path: path, line: calendar.line, key: "holiday-calendar", "\(error)")
            }
        }
        configuration.audit = try AuditSettings.resolve(
            commandLine, file: file, stateDirectory: configuration.stateDirectory,
            logsDirectory: ProcessInfo.processInfo.environment["LOGS_DIRECTORY"])
        return configuration
    }

    /// Reads and parses a configuration file.
    private static func readFile(_ path: String) throws(ConfigurationError) -> ConfigurationFile {
        // open(2) for the reason in errno's words; Data(contentsOf:) would refuse /dev/null (an empty file to
        // ignore /etc/oversight/oversightd.conf) and word every failure as a permission problem.
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ConfigurationError(
                path: path, line: nil, key: nil, "cannot be read: \(String(cString: strerror(errno)))")
        }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            throw ConfigurationError(path: path, line: nil, key: nil, "cannot be read: \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ConfigurationError(path: path, line: nil, key: nil, "is not UTF-8 text")
        }
        return try ConfigurationFile(parsing: text, path: path)
    }

    /// Reads a holiday calendar file (format on ``OversightDomain/WorkingCalendar``).
    ///
    /// - Parameter path: The file's path.
    /// - Returns: The calendar.
    /// - Throws: ``HolidayCalendarError`` naming the file, and the line for a malformed entry.
    public static func loadHolidayCalendar(path: String) throws -> WorkingCalendar {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw HolidayCalendarError.unreadable(path, error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw HolidayCalendarError.notUTF8(path) }
        do {
            return try WorkingCalendar(parsing: text)
        } catch {
            throw HolidayCalendarError.invalid(path, error)
        }
    }

    /// What `max-connections-per-user` accepts, as a sentence fragment for errors.
    static let connectionLimitRule = "must be a whole number from 1 to 1000000"

    /// The connection limit written as `text`, or nil when it is not a whole number from 1 to 1,000,000.
    static func connectionLimit(_ text: String) -> Int? {
        guard let limit = Int(text), (1...1_000_000).contains(limit) else { return nil }
        return limit
    }

    /// The event log's file.
    public var databasePath: String { (stateDirectory as NSString).appendingPathComponent("oversight.sqlite") }
}

/// What the command line of `oversightd` gave; nil for a flag not given (the file, then the default, applies).
public struct CommandLineSettings: Sendable, Equatable {
    /// `--config`: a configuration file that must exist.
    public var configurationFile: String?
    /// `--socket`.
    public var socket: String?
    /// `--state-dir`.
    public var stateDirectory: String?
    /// `--time-zone`.
    public var timeZone: String?
    /// `--log-level`.
    public var logLevel: String?
    /// `--holiday-calendar`.
    public var holidayCalendar: String?
    /// `--varlink-certification`.
    public var varlinkCertification: Bool
    /// `--audit-mirror`: a path, or `off`.
    public var auditMirror: String?
    /// `--checkpoint-every`.
    public var checkpointEvery: Int?
    /// `--max-connections-per-user`.
    public var maxConnectionsPerUser: Int?

    /// Creates the settings of one command line.
    public init(
        configurationFile: String? = nil, socket: String? = nil, stateDirectory: String? = nil,
        timeZone: String? = nil, logLevel: String? = nil, holidayCalendar: String? = nil,
        varlinkCertification: Bool = false, auditMirror: String? = nil, checkpointEvery: Int? = nil,
        maxConnectionsPerUser: Int? = nil
    ) {
        self.auditMirror = auditMirror
        self.checkpointEvery = checkpointEvery
        self.configurationFile = configurationFile
        self.socket = socket
        self.stateDirectory = stateDirectory
        self.timeZone = timeZone
        self.logLevel = logLevel
        self.holidayCalendar = holidayCalendar
        self.varlinkCertification = varlinkCertification
        self.maxConnectionsPerUser = maxConnectionsPerUser
    }
}

/// Why the holiday calendar given with `--holiday-calendar` could not be used; the daemon does not start.
public enum HolidayCalendarError: Error, CustomStringConvertible {
    /// The file could not be read.
    case unreadable(String, String)
    /// The file is not UTF-8 text.
    case notUTF8(String)
    /// An entry is malformed; the error names the line.
    case invalid(String, WorkingCalendar.ParseError)

    /// A sentence naming the file (and the line) and what to fix.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read the holiday calendar \(path): \(reason)"
        case .notUTF8(let path): "the holiday calendar \(path) is not UTF-8 text"
        case .invalid(let path, let error): "the holiday calendar \(path) is invalid: \(error)"
        }
    }
}

/// The version string reported by `Log.Status`, `GetInfo` and `--version`.
public enum OversightVersion {
    /// The release version.
    public static let current = "0.1.0"
}

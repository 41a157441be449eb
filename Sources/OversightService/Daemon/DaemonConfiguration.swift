import Foundation
import Logging
import OversightDomain

/// Everything the daemon needs to start, from flags (and later the configuration file).
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

    /// Creates a configuration with the production defaults.
    public init(
        socketPath: String = "/run/oversight/oversightd.sock", stateDirectory: String = "/var/lib/oversight",
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current, varlinkCertification: Bool = false,
        shutdownGracePeriod: Duration = .seconds(10), logLevel: Logger.Level = .info,
        workingCalendar: WorkingCalendar = .mondayToFriday
    ) {
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
        self.timeZone = timeZone
        self.varlinkCertification = varlinkCertification
        self.shutdownGracePeriod = shutdownGracePeriod
        self.logLevel = logLevel
        self.workingCalendar = workingCalendar
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

    /// The event log's file.
    public var databasePath: String { (stateDirectory as NSString).appendingPathComponent("oversight.sqlite") }
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

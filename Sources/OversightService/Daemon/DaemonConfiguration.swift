import Foundation
import Logging

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

    /// Creates a configuration with the production defaults.
    public init(
        socketPath: String = "/run/oversight/oversightd.sock", stateDirectory: String = "/var/lib/oversight",
        timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current, varlinkCertification: Bool = false,
        shutdownGracePeriod: Duration = .seconds(10), logLevel: Logger.Level = .info
    ) {
        self.socketPath = socketPath
        self.stateDirectory = stateDirectory
        self.timeZone = timeZone
        self.varlinkCertification = varlinkCertification
        self.shutdownGracePeriod = shutdownGracePeriod
        self.logLevel = logLevel
    }

    /// The event log's file.
    public var databasePath: String { (stateDirectory as NSString).appendingPathComponent("oversight.sqlite") }
}

/// The version string reported by `Log.Status`, `GetInfo` and `--version`.
public enum OversightVersion {
    /// The release version.
    public static let current = "0.1.0"
}

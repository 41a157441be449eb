import Foundation

/// How the daemon signs checkpoints and mirrors its log (keys `audit-name`, `checkpoint-every`,
/// `checkpoint-interval`, `audit-mirror`; flags `--checkpoint-every`, `--audit-mirror`).
public struct AuditSettings: Sendable, Equatable {
    /// The name of the signing key generated at first start (its checkpoints' origin); nil: `<hostname>/oversight`.
    public var keyName: String?
    /// Sign a checkpoint whenever the log has grown by this many events since the last one (0: not by count).
    public var checkpointEvery: Int = 1000
    /// Sign a checkpoint this often if the log has grown (nil: not by time).
    public var checkpointInterval: Duration? = .seconds(600)
    /// The JSON-lines mirror of the log (nil: none).
    public var mirrorPath: String?

    /// Creates the default settings (no mirror).
    public init() {}

    /// The settings from the command line, then the file, then the defaults.
    ///
    /// The mirror defaults to `$LOGS_DIRECTORY/events.jsonl` (systemd's `LogsDirectory=`), else
    /// `/var/log/oversight/events.jsonl` for the default state directory, else `events.jsonl` in the state
    /// directory.
    static func resolve(
        _ commandLine: CommandLineSettings, file: ConfigurationFile, stateDirectory: String, logsDirectory: String?
    ) throws -> AuditSettings {
        var settings = AuditSettings()
        settings.keyName = file.auditName?.value
        if let every = commandLine.checkpointEvery {
            guard every >= 0 else {
                throw ConfigurationError(
                    path: nil, line: nil, key: "--checkpoint-every", "must be a number of events, 0 or more")
            }
            settings.checkpointEvery = every
        } else if let every = file.checkpointEvery {
            settings.checkpointEvery = every.value
        }
        if let interval = file.checkpointInterval { settings.checkpointInterval = interval.value }
        if let mirror = commandLine.auditMirror {
            if mirror == "off" {
                settings.mirrorPath = nil
            } else {
                guard mirror.hasPrefix("/") else {
                    throw ConfigurationError(
                        path: nil, line: nil, key: "--audit-mirror",
                        "must be off or an absolute path, not \"\(mirror)\"")
                }
                settings.mirrorPath = mirror
            }
        } else if let mirror = file.auditMirror {
            settings.mirrorPath = mirror.value
        } else if let logsDirectory, !logsDirectory.isEmpty {
            let first = logsDirectory.split(separator: ":").first.map(String.init) ?? logsDirectory
            settings.mirrorPath = (first as NSString).appendingPathComponent("events.jsonl")
        } else if stateDirectory == DaemonConfiguration().stateDirectory {
            settings.mirrorPath = "/var/log/oversight/events.jsonl"
        } else {
            settings.mirrorPath = (stateDirectory as NSString).appendingPathComponent("events.jsonl")
        }
        return settings
    }

    /// Whether `name` can name a note key: not empty, no space, no `+`.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "+" || $0.properties.isWhitespace || $0.value < 0x20 }
    }

    /// Parses `off` (nil) or a duration `<number><s|m|h>`; returns nil (not `.some(nil)`) when malformed.
    static func parseInterval(_ text: String) -> Duration?? {
        if text == "off" { return .some(nil) }
        guard let unit = text.last, let number = Int(text.dropLast()), number > 0 else { return nil }
        switch unit {
        case "s": return .some(.seconds(number))
        case "m": return .some(.seconds(number * 60))
        case "h": return .some(.seconds(number * 3600))
        default: return nil
        }
    }
}

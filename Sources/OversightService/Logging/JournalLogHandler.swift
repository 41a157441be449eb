import Foundation
import Logging

/// A swift-log handler writing one line per message to stderr, in a form journald reads well.
///
/// Under systemd (`JOURNAL_STREAM` set) each line starts with the syslog priority prefix (`<6>`) so journald
/// keeps the level, and carries no timestamp (journald adds one). Elsewhere lines start with an ISO 8601 time.
/// Metadata follows the message as `key=value` pairs, sorted.
public struct JournalLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private let underJournal: Bool

    /// Creates a handler; `underJournal` defaults to whether `JOURNAL_STREAM` is set.
    public init(label: String, level: Logger.Level = .info, underJournal: Bool? = nil) {
        self.label = label
        self.logLevel = level
        self.underJournal = underJournal ?? (ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil)
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level
        let message = event.message
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { _, new in new } }
        if let error = event.error { merged["ov.error"] = "\(error)" }
        let pairs = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\(Self.quote("\($0.value)"))" }
        let tail = pairs.isEmpty ? "" : " " + pairs.joined(separator: " ")
        let line: String
        if underJournal {
            line = "<\(Self.priority(level))>\(message)\(tail)\n"
        } else {
            line = "\(Date().formatted(.iso8601)) \(level) \(label): \(message)\(tail)\n"
        }
        FileHandle.standardError.write(Data(line.utf8))
    }

    /// The syslog priority of a level.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    private static func quote(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"\(value.replacingOccurrences(of: "\"", with: "\\\""))\"" : value
    }
}

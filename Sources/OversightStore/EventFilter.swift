import Foundation

/// Which events a reader of the log wants: by stream, type, actor and recording time.
///
/// Each list holds alternatives (an event matches one of them); the lists and the time bounds combine with AND.
/// An empty list does not restrict. `since` and `until` are inclusive and compare with the stored `recorded_at`
/// text (``Timestamp``), so they are UTC instants with millisecond precision.
public struct EventFilter: Sendable, Equatable {
    /// A stream or type name: exact, or every name that starts with a prefix.
    public enum Pattern: Sendable, Equatable, CustomStringConvertible {
        /// Exactly this name.
        case exact(String)
        /// Every name starting with this text (written `prefix*`).
        case prefix(String)

        /// Parses `name` or `prefix*`; nil when empty, when `*` appears anywhere but at the end, or for a lone `*`.
        public init?(parsing text: String) {
            if text.hasSuffix("*") {
                let prefix = String(text.dropLast())
                guard !prefix.isEmpty, !prefix.contains("*") else { return nil }
                self = .prefix(prefix)
            } else {
                guard !text.isEmpty, !text.contains("*") else { return nil }
                self = .exact(text)
            }
        }

        /// The pattern as written: `name` or `prefix*`.
        public var description: String {
            switch self {
            case .exact(let name): name
            case .prefix(let prefix): prefix + "*"
            }
        }

        /// Whether `name` matches.
        public func matches(_ name: String) -> Bool {
            switch self {
            case .exact(let exact): name == exact
            case .prefix(let prefix): name.utf8.starts(with: prefix.utf8)
            }
        }
    }

    /// Streams to include (empty: every stream).
    public var streams: [Pattern]
    /// Event types to include (empty: every type).
    public var types: [Pattern]
    /// Actors (the `actor` of the event's metadata, exactly) to include (empty: every actor).
    public var actors: [String]
    /// The earliest `recorded_at` to include, as stored text (``Timestamp``); inclusive.
    public var since: String?
    /// The latest `recorded_at` to include, as stored text (``Timestamp``); inclusive.
    public var until: String?

    /// Creates a filter; every part is optional.
    public init(
        streams: [Pattern] = [], types: [Pattern] = [], actors: [String] = [], since: String? = nil,
        until: String? = nil
    ) {
        self.streams = streams
        self.types = types
        self.actors = actors
        self.since = since
        self.until = until
    }

    /// The filter that lets every event through.
    public static let none = EventFilter()

    /// Whether the filter lets every event through.
    public var isEmpty: Bool { self == .none }

    /// Whether `event` matches (the same rule as the SQL the log runs).
    public func matches(_ event: RecordedEvent) -> Bool {
        let recordedAt = Timestamp.format(event.recordedAt)
        return (streams.isEmpty || streams.contains { $0.matches(event.stream) })
            && (types.isEmpty || types.contains { $0.matches(event.type) })
            && (actors.isEmpty || actors.contains(event.meta.actor))
            && since.map { recordedAt >= $0 } ?? true
            && until.map { recordedAt <= $0 } ?? true
    }

    /// The instant of ``until``, or nil without one.
    public var untilDate: Date? {
        until.flatMap(Timestamp.parse).map(Timestamp.date(milliseconds:))
    }

    /// The stored text of a UTC instant written `YYYY-MM-DDTHH:MM:SSZ` or `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    ///
    /// - Returns: The instant as `recorded_at` stores it (with milliseconds), or nil when `text` is not one of
    ///   these forms or not a real time.
    public static func timestamp(parsing text: String) -> String? {
        let normalized = text.utf8.count == 20 && text.hasSuffix("Z") ? text.dropLast() + ".000Z" : Substring(text)
        guard let milliseconds = Timestamp.parse(String(normalized)) else { return nil }
        return Timestamp.format(milliseconds: milliseconds)
    }
}

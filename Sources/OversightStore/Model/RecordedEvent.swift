import Foundation

/// An event as stored in the log.
///
/// Invariants: `position` is 1 for the first event of the log and grows by one per event; `version` is 1 for the
/// first event of a stream and grows by one per event of that stream; `prevHash` is the `hash` of the event at
/// `position - 1` (32 zero bytes for the first event); `hash` is ``HashChain/hash(prevHash:position:stream:version:type:data:meta:recordedAt:)``
/// over the stored columns.
public struct RecordedEvent: Sendable, Equatable, Codable {
    /// The global position in the log (first event = 1).
    public var position: Int64
    /// The stream (aggregate) the event belongs to.
    public var stream: String
    /// The version of the stream after this event (first event of a stream = 1).
    public var version: Int64
    /// The event type name.
    public var type: String
    /// The event payload as JSON text, byte for byte as appended.
    public var data: String
    /// Who caused the event and through which command.
    public var meta: EventMetadata
    /// When the event was recorded: UTC, millisecond precision.
    public var recordedAt: Date
    /// The hash of the previous event (32 zero bytes for the first event).
    public var prevHash: Data
    /// The SHA-256 hash of this event, chained to `prevHash`.
    public var hash: Data
    /// The typed event, while the append that recorded it holds it (never stored, encoded or compared).
    public var payload: AppendedPayload? = nil

    private enum CodingKeys: String, CodingKey {
        case position, stream, version, type, data, meta, recordedAt, prevHash, hash
    }

    /// Equal when every stored column is; the payload is not compared (it is a copy of `data`, when present).
    public static func == (lhs: RecordedEvent, rhs: RecordedEvent) -> Bool {
        lhs.position == rhs.position && lhs.stream == rhs.stream && lhs.version == rhs.version
            && lhs.type == rhs.type && lhs.data == rhs.data && lhs.meta == rhs.meta && lhs.recordedAt == rhs.recordedAt
            && lhs.prevHash == rhs.prevHash && lhs.hash == rhs.hash
    }

    /// Creates a recorded event; the store builds these, tests and other backends may too.
    public init(
        position: Int64, stream: String, version: Int64, type: String, data: String, meta: EventMetadata,
        recordedAt: Date, prevHash: Data, hash: Data
    ) {
        self.position = position
        self.stream = stream
        self.version = version
        self.type = type
        self.data = data
        self.meta = meta
        self.recordedAt = recordedAt
        self.prevHash = prevHash
        self.hash = hash
    }
}

/// The event log as the domain sees it: read by stream or by position, and verify the hash chain.
///
/// A PostgreSQL backend could implement the same protocol later. Appending goes through a backend's own write
/// transaction (``SQLiteEventLog/write(_:)``), because it must share a transaction with projections and
/// idempotency records.
public protocol EventLog: Sendable {
    /// The events of one stream, in version order (empty when the stream has no events).
    func events(inStream stream: String) throws -> [RecordedEvent]
    /// At most `limit` events whose position is greater than `position`, in position order.
    func events(after position: Int64, limit: Int) throws -> [RecordedEvent]
    /// The last event's position and hash, or `(0, 32 zero bytes)` when the log is empty.
    func head() throws -> LogHead
    /// Walks the whole hash chain and reports the first altered, missing or reordered event.
    func verifyChain() throws -> ChainVerification
}

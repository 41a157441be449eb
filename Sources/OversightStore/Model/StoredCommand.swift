/// The record of a handled command, kept so that a retried command id returns the first result.
public struct StoredCommand: Sendable, Equatable {
    /// The command id chosen by the client.
    public var id: String
    /// A hash of the request, to tell a retry (same request) from a reused id (different request).
    public var requestHash: String
    /// The reply that was sent, as JSON text.
    public var result: String
    /// The log position when the command was handled (typically its last event's position).
    public var position: Int64

    /// Creates a command record.
    public init(id: String, requestHash: String, result: String, position: Int64) {
        self.id = id
        self.requestHash = requestHash
        self.result = result
        self.position = position
    }
}

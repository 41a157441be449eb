/// An event to append: its type name and its JSON data.
///
/// The data must already be canonical JSON: its bytes are stored and hashed exactly as given.
public struct EventDraft: Sendable, Equatable {
    /// The event type name, a stored name that never changes once shipped (for example `TopicPlanned`).
    public var type: String
    /// The event payload as JSON text.
    public var data: String
    /// The typed event `data` was encoded from, if the caller has it (see ``AppendedPayload``).
    public var payload: AppendedPayload?

    /// Creates an event to append; `payload`, when given, must be the event `data` was encoded from.
    public init(type: String, data: String, payload: AppendedPayload? = nil) {
        self.type = type
        self.data = data
        self.payload = payload
    }

    /// Equal when the type and data are; the payload is not compared (it is a copy of `data`, when present).
    public static func == (lhs: EventDraft, rhs: EventDraft) -> Bool {
        lhs.type == rhs.type && lhs.data == rhs.data
    }
}

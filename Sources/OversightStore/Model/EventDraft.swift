/// An event to append: its type name and its JSON data.
///
/// The data must already be canonical JSON: its bytes are stored and hashed exactly as given.
public struct EventDraft: Sendable, Equatable {
    /// The event type name, a stored name that never changes once shipped (for example `TopicPlanned`).
    public var type: String
    /// The event payload as JSON text.
    public var data: String

    /// Creates an event to append.
    public init(type: String, data: String) {
        self.type = type
        self.data = data
    }
}

/// Where a tracked item stands; being overdue is derived (``Item/Snapshot/isOverdue(asOf:)``), never a state.
///
/// Raw values are the names shown to users, sent over the wire and stored in the read model.
public enum ItemState: String, Sendable, Codable, CaseIterable {
    /// Recorded, no department named yet.
    case open
    /// A lead department (and perhaps co-departments) must answer.
    case assigned
    /// At least one department answered since the item was assigned or last reopened.
    case answered
    /// The committee accepted the implementation (closed-implemented); nothing more is recorded but a reopening.
    case accepted
    /// The committee rejected the answer or the implementation; the departments must answer again.
    case reopened
}

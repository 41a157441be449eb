/// Where a deputy's suggestion stands.
///
/// ```
/// submit ─▶ unassigned ─(assign)─▶ assigned ─(reply)─▶ replied ─(rate satisfied/basic)─▶ rated ─(close)─▶ closed
///               ▲                     │                   │  ▲                                       ▲
///               └──(return, ≤7 wd)────┘        (rate dissatisfied)─▶ rehandling ─(reply)─┘            │
///                                                         └──────────────────(close)──────────────────┘
/// ```
public enum SuggestionStatus: String, Sendable, Hashable, Codable, CaseIterable {
    /// Submitted, not assigned yet (or returned as wrongly assigned, waiting for reassignment).
    case unassigned
    /// Assigned to a lead unit (and co-units), reply due.
    case assigned
    /// Replied; waiting for the deputy's rating.
    case replied
    /// The deputy rated the reply satisfied or basically satisfied.
    case rated
    /// The deputy was dissatisfied; the unit handles it again, reply due within a month (重新办理).
    case rehandling
    /// Done; nothing more is recorded.
    case closed
}

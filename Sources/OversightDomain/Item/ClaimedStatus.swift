/// What a department claims in its answer about the item (条目式反馈).
///
/// Raw values are stored names.
public enum ClaimedStatus: String, Sendable, Codable, CaseIterable {
    /// Resolved (已解决).
    case resolved
    /// Being resolved (正在解决).
    case inProgress = "in-progress"
    /// Cannot be resolved for now (因条件限制暂时无法解决); the answer must give the reason.
    case cannotResolveNow = "cannot-resolve-now"
}

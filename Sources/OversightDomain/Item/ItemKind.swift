/// What a tracked item is: a problem found, a recommendation made, or a deliberation opinion.
///
/// Raw values are stored names.
public enum ItemKind: String, Sendable, Codable, CaseIterable {
    /// A problem (问题), e.g. one of an inquiry's problem list or one a liaison station collected.
    case problem
    /// A recommendation (意见建议) made after an inspection or research.
    case recommendation
    /// A deliberation opinion (审议意见) of the standing committee.
    case opinion
}

/// The kind of an activity recorded on a topic.
///
/// Raw values are stored names.
public enum ActivityKind: String, Sendable, Codable, CaseIterable {
    /// A field visit (实地视察).
    case fieldVisit = "field-visit"
    /// An inspection (检查), e.g. of law enforcement.
    case inspection
    /// Research (调研).
    case research
    /// A symposium or hearing of opinions (座谈会).
    case symposium
    /// Anything else worth recording.
    case other
}

/// Where a special inquiry stands in its lifecycle.
///
/// Raw values are the names shown to users and sent over the wire.
public enum InquiryStatus: String, Sendable, Codable, CaseIterable {
    /// Put on the agenda of a committee session; no round recorded yet.
    case scheduled
    /// Under way: at least one round (question and answer) is recorded.
    case held
    /// The questioning is over; no more rounds are recorded.
    case concluded
    /// The problem list and the deliberation opinions went to the government; nothing more is recorded.
    case transferred
}

/// Where a supervision topic stands in its lifecycle.
///
/// Raw values are the names shown to users and sent over the wire.
public enum TopicStatus: String, Sendable, Codable, CaseIterable {
    /// In the annual supervision plan; no activity recorded yet.
    case planned
    /// Work has started: at least one field visit, inspection or research activity is recorded.
    case underWay = "under-way"
    /// Heard and deliberated at a standing committee session.
    case deliberated
    /// The deliberation opinions were transferred to the government (审议意见交办), with a due date.
    case opinionsTransferred = "opinions-transferred"
    /// The government reported how it handled them (研究处理情况报告).
    case handlingReported = "handling-reported"
    /// Finished; nothing more is recorded.
    case closed
}

/// The kind of a supervision topic, after the Supervision Law (监督法).
///
/// Raw values are stored names.
public enum TopicKind: String, Sendable, Codable, CaseIterable {
    /// Hearing and deliberating a special work report (听取和审议专项工作报告).
    case workReport = "work-report"
    /// A law-enforcement inspection (执法检查).
    case lawInspection = "law-inspection"
    /// Review of a plan, budget, final accounts or audit report (计划预算决算审计).
    case budget
    /// Special research (专题调研).
    case research
    /// A topic centred on a special inquiry (专题询问).
    case inquiry
    /// Follow-up supervision of an earlier topic (跟踪监督).
    case followUp = "follow-up"
    /// Supervision done jointly with the provincial congress (联动监督).
    case linkedSupervision = "linked-supervision"
}

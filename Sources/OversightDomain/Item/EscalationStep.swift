/// A step of escalation (督办) of a tracked item; the steps are taken in this order, each once.
///
/// Raw values are stored names.
public enum EscalationStep: String, Sendable, Codable, CaseIterable, Comparable {
    /// A reminder (催办).
    case reminder
    /// A supervision notice (督办通知) with a new due date.
    case supervisionNotice = "supervision-notice"
    /// Supervision by a named leader, a member of the chairmen's council (主任会议成员督办).
    case leaderSupervision = "leader-supervision"
    /// A report to the standing committee (向常委会报告).
    case committeeReport = "committee-report"

    /// The step after this one, or `nil` after the last.
    public var next: EscalationStep? {
        switch self {
        case .reminder: .supervisionNotice
        case .supervisionNotice: .leaderSupervision
        case .leaderSupervision: .committeeReport
        case .committeeReport: nil
        }
    }

    /// The step's position in the order, 1 for the reminder.
    public var rank: Int {
        switch self {
        case .reminder: 1
        case .supervisionNotice: 2
        case .leaderSupervision: 3
        case .committeeReport: 4
        }
    }

    /// Orders steps as they are taken.
    public static func < (lhs: EscalationStep, rhs: EscalationStep) -> Bool { lhs.rank < rhs.rank }
}

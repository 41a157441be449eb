import OversightDomain
import Testing

/// A date from "YYYY-MM-DD"; stops the test run if a test wrote an invalid one (a defect of the test itself).
func day(_ text: String) -> LocalDate {
    guard let date = LocalDate(text) else { preconditionFailure("invalid test date \(text)") }
    return date
}

/// A department code; stops the test run if a test wrote an invalid one.
func department(_ text: String) -> DepartmentCode {
    guard let code = DepartmentCode(text) else { preconditionFailure("invalid test department code \(text)") }
    return code
}

/// A topic id; stops the test run if a test wrote an invalid one.
func topicID(_ text: String) -> TopicID {
    guard let id = TopicID(text) else { preconditionFailure("invalid test topic id \(text)") }
    return id
}

/// Demo data after the seed: the 2024 Pingdingshan supervision plan.
enum Demo {
    static let fgw = department("fgw")
    static let kjj = department("kjj")
    static let mzj = department("mzj")
    static let departments: Set<DepartmentCode> = [fgw, kjj, mzj]

    static let id = topicID("T2024-003")
    static let plan = Topic.Plan(
        year: 2024, kind: .linkedSupervision, title: "《河南省养老服务条例》贯彻实施情况联动监督",
        committee: "社会建设委", leader: "张明新", departments: [mzj, fgw], theme: "养老服务")

    /// A context on 31 December 2024 that knows the demo departments.
    static let context = DecisionContext(today: day("2024-12-31"), knownDepartments: departments)

    static let planned = Topic.Event.planned(id: id, plan)
    static let visit = Topic.Event.activityRecorded(
        Topic.Activity(
            kind: .fieldVisit, date: day("2024-05-14"), places: ["舞钢市"], units: ["舞钢市养老服务中心"], peopleMet: 25,
            summary: "实地察看养老机构"))
    static let session = Topic.Session(term: 12, number: 13, date: day("2024-08-19"))
    static let deliberated = Topic.Event.deliberated(session)
    static let transferred = Topic.Event.opinionsTransferred(
        date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: "审议意见及问题清单交办市政府")
    static let reported = Topic.Event.handlingReported(date: day("2024-11-25"), summary: "研究处理情况报告")
    static let sentBack = Topic.Event.sentBack(
        date: day("2024-12-10"), dueDate: day("2025-03-10"), reason: "满意度测评未通过，限期整改、再次报告", round: 2)
    static let closed = Topic.Event.closed(date: day("2024-12-20"), note: nil)

    /// Histories that end in each status.
    static let plannedHistory = [planned]
    static let underWayHistory = [planned, visit]
    static let deliberatedHistory = [planned, visit, deliberated]
    static let transferredHistory = deliberatedHistory + [transferred]
    static let reportedHistory = transferredHistory + [reported]
    static let closedHistory = reportedHistory + [closed]
}

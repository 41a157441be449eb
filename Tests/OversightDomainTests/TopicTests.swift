import OversightDomain
import Testing

/// Given events, when a command, then events or the exact error.
struct TopicTests {
    /// Decides a command against a history, on `today` (31 December 2024 unless given), knowing the demo departments.
    func decide(
        _ command: Topic.Command, given history: [Topic.Event], today: String = "2024-12-31",
        departments: Set<DepartmentCode> = Demo.departments
    ) throws(Topic.Error) -> [Topic.Event] {
        try Topic.decide(command, given: history, DecisionContext(today: day(today), knownDepartments: departments))
    }

    func plan(_ change: (inout Topic.Plan) -> Void) -> Topic.Command {
        var plan = Demo.plan
        change(&plan)
        return .plan(id: Demo.id, plan)
    }

    func activity(_ date: String, _ change: (inout Topic.Activity) -> Void = { _ in }) -> Topic.Command {
        var activity = Topic.Activity(kind: .research, date: day(date))
        change(&activity)
        return .recordActivity(activity)
    }

    // MARK: Planning

    @Test func `planning a new topic records the plan`() throws {
        #expect(try decide(.plan(id: Demo.id, Demo.plan), given: []) == [Demo.planned])
    }

    @Test func `planning trims texts and turns empty optional texts into nil`() throws {
        let command = plan {
            $0.title = "  \u{3000}专题询问 \n"
            $0.committee = "   "
            $0.leader = ""
            $0.theme = " 养老服务 "
        }
        let expected = Topic.Plan(
            year: 2024, kind: .linkedSupervision, title: "专题询问", departments: [Demo.mzj, Demo.fgw], theme: "养老服务")
        #expect(try decide(command, given: []) == [.planned(id: Demo.id, expected)])
    }

    @Test func `a topic may name no department, even when none is registered`() throws {
        let command = plan { $0.departments = [] }
        #expect(try decide(command, given: [], departments: []).count == 1)
    }

    @Test func `planning an id twice is refused, even after closing`() {
        #expect(throws: Topic.Error.alreadyPlanned(Demo.id)) {
            try decide(.plan(id: Demo.id, Demo.plan), given: [Demo.planned])
        }
        #expect(throws: Topic.Error.alreadyPlanned(Demo.id)) {
            try decide(.plan(id: Demo.id, Demo.plan), given: Demo.closedHistory)
        }
    }

    @Test(arguments: [1999, 2101, 0, -2024])
    func `a plan year out of 2000...2100 is refused`(year: Int) {
        let command = Topic.Command.plan(
            id: TopicID(year: year, sequence: 1), Topic.Plan(year: year, kind: .budget, title: "预算审查"))
        #expect(throws: Topic.Error.yearOutOfRange(year)) { try decide(command, given: []) }
    }

    @Test(arguments: [2000, 2100])
    func `the first and last plan years are accepted`(year: Int) throws {
        let command = Topic.Command.plan(
            id: TopicID(year: year, sequence: 1), Topic.Plan(year: year, kind: .budget, title: "预算审查"))
        #expect(try decide(command, given: []).count == 1)
    }

    @Test func `an id of another year than the plan is refused`() {
        let command = Topic.Command.plan(id: topicID("T2023-003"), Demo.plan)
        #expect(throws: Topic.Error.idYearMismatch(id: topicID("T2023-003"), year: 2024)) {
            try decide(command, given: [])
        }
    }

    @Test(arguments: ["", "   ", "\u{3000}", "\n\t"])
    func `an empty title is refused`(title: String) {
        #expect(throws: Topic.Error.emptyTitle) { try decide(plan { $0.title = title }, given: []) }
    }

    @Test func `a title of 200 characters is accepted, 201 are refused`() throws {
        let longest = String(repeating: "监", count: 200)
        #expect(try decide(plan { $0.title = " " + longest + " " }, given: []).count == 1)
        #expect(throws: Topic.Error.textTooLong(.title, max: 200)) {
            try decide(plan { $0.title = longest + "督" }, given: [])
        }
    }

    @Test func `committee, leader and theme have length limits`() {
        let text101 = String(repeating: "委", count: 101)
        #expect(throws: Topic.Error.textTooLong(.committee, max: 100)) {
            try decide(plan { $0.committee = text101 }, given: [])
        }
        #expect(throws: Topic.Error.textTooLong(.leader, max: 100)) {
            try decide(plan { $0.leader = text101 }, given: [])
        }
        #expect(throws: Topic.Error.textTooLong(.theme, max: 200)) {
            try decide(plan { $0.theme = String(repeating: "链", count: 201) }, given: [])
        }
    }

    @Test func `an unregistered department is refused by its code`() {
        let unknown = department("jtj")
        #expect(throws: Topic.Error.unknownDepartment(unknown)) {
            try decide(plan { $0.departments = [Demo.fgw, unknown] }, given: [])
        }
        #expect(throws: Topic.Error.unknownDepartment(Demo.mzj)) {
            try decide(plan { _ in }, given: [], departments: [])
        }
    }

    @Test func `a department listed twice is refused`() {
        #expect(throws: Topic.Error.duplicateDepartment(Demo.fgw)) {
            try decide(plan { $0.departments = [Demo.fgw, Demo.kjj, Demo.fgw] }, given: [])
        }
    }

    // MARK: State rules

    static let everyCommandButPlan: [Topic.Command] = [
        .recordActivity(Topic.Activity(kind: .fieldVisit, date: day("2024-12-30"))),
        .deliberate(Topic.Session(number: 14, date: day("2024-12-30"))),
        .transferOpinions(date: day("2024-12-30"), dueDate: day("2025-03-30"), summary: nil),
        .receiveHandlingReport(date: day("2024-12-30"), summary: nil),
        .sendBack(date: day("2024-12-30"), dueDate: day("2025-03-30"), reason: "整改不到位"),
        .close(date: day("2024-12-30"), note: nil),
    ]

    @Test(arguments: everyCommandButPlan)
    func `every command but plan is refused on a topic not yet planned`(command: Topic.Command) {
        #expect(throws: Topic.Error.notPlanned) { try decide(command, given: []) }
    }

    @Test(arguments: everyCommandButPlan)
    func `every command is refused on a closed topic`(command: Topic.Command) {
        #expect(throws: Topic.Error.alreadyClosed(Demo.id)) { try decide(command, given: Demo.closedHistory) }
    }

    @Test func `a closed topic is reported closed before any problem with the input`() {
        #expect(throws: Topic.Error.alreadyClosed(Demo.id)) {
            try decide(activity("2030-01-01") { $0.peopleMet = -1 }, given: Demo.closedHistory)
        }
    }

    static let wrongStatusCases: [(Topic.Command, [Topic.Event], Topic.Error)] = [
        (
            .deliberate(Topic.Session(number: 14, date: day("2024-12-30"))), Demo.deliberatedHistory,
            .wrongStatus(action: .deliberate, status: .deliberated, required: [.planned, .underWay])
        ),
        (
            .deliberate(Topic.Session(number: 14, date: day("2024-12-30"))), Demo.reportedHistory,
            .wrongStatus(action: .deliberate, status: .handlingReported, required: [.planned, .underWay])
        ),
        (
            .transferOpinions(date: day("2024-12-30"), dueDate: day("2025-03-30"), summary: nil), Demo.plannedHistory,
            .wrongStatus(action: .transferOpinions, status: .planned, required: [.deliberated])
        ),
        (
            .transferOpinions(date: day("2024-12-30"), dueDate: day("2025-03-30"), summary: nil),
            Demo.transferredHistory,
            .wrongStatus(action: .transferOpinions, status: .opinionsTransferred, required: [.deliberated])
        ),
        (
            .receiveHandlingReport(date: day("2024-12-30"), summary: nil), Demo.underWayHistory,
            .wrongStatus(action: .receiveHandlingReport, status: .underWay, required: [.opinionsTransferred])
        ),
        (
            .receiveHandlingReport(date: day("2024-12-30"), summary: nil), Demo.reportedHistory,
            .wrongStatus(action: .receiveHandlingReport, status: .handlingReported, required: [.opinionsTransferred])
        ),
        (
            .sendBack(date: day("2024-12-30"), dueDate: day("2025-03-30"), reason: "整改不到位"), Demo.transferredHistory,
            .wrongStatus(action: .sendBack, status: .opinionsTransferred, required: [.handlingReported])
        ),
        (
            .close(date: day("2024-12-30"), note: nil), Demo.deliberatedHistory,
            .wrongStatus(action: .close, status: .deliberated, required: [.handlingReported])
        ),
        (
            .close(date: day("2024-12-30"), note: nil), Demo.transferredHistory,
            .wrongStatus(action: .close, status: .opinionsTransferred, required: [.handlingReported])
        ),
    ]

    @Test(arguments: wrongStatusCases)
    func `a command that does not suit the status is refused with the status and what it requires`(
        command: Topic.Command, history: [Topic.Event], error: Topic.Error
    ) {
        #expect(throws: error) { try decide(command, given: history) }
    }

    // MARK: Activities

    @Test func `the first activity moves a planned topic under way, later ones keep the status`() throws {
        let first = try decide(activity("2024-05-14"), given: Demo.plannedHistory)
        #expect(first == [.activityRecorded(Topic.Activity(kind: .research, date: day("2024-05-14")))])
        guard case .existing(let afterFirst) = Topic.state(after: Demo.plannedHistory + first) else {
            Issue.record("the topic should exist")
            return
        }
        #expect(afterFirst.status == .underWay && afterFirst.activities == 1)
        let second = try decide(activity("2024-06-01"), given: Demo.plannedHistory + first)
        guard case .existing(let afterSecond) = Topic.state(after: Demo.plannedHistory + first + second) else {
            Issue.record("the topic should exist")
            return
        }
        #expect(afterSecond.status == .underWay && afterSecond.activities == 2)
    }

    @Test(arguments: [
        (Demo.deliberatedHistory, TopicStatus.deliberated), (Demo.transferredHistory, .opinionsTransferred),
        (Demo.reportedHistory, .handlingReported),
    ])
    func `activities after deliberation are recorded without changing the status`(
        history: [Topic.Event], status: TopicStatus
    ) throws {
        let events = try decide(activity("2024-12-01"), given: history)
        #expect(events.count == 1)
        guard case .existing(let topic) = Topic.state(after: history + events) else {
            Issue.record("the topic should exist")
            return
        }
        #expect(topic.status == status)
        #expect(topic.activities == 2)
    }

    @Test func `an activity dated after today is refused, one dated today is accepted`() throws {
        #expect(throws: Topic.Error.dateInFuture(day("2024-08-20"), today: day("2024-08-19"))) {
            try decide(activity("2024-08-20"), given: Demo.plannedHistory, today: "2024-08-19")
        }
        #expect(try decide(activity("2024-08-19"), given: Demo.plannedHistory, today: "2024-08-19").count == 1)
    }

    @Test func `an activity dated before the plan year is refused`() {
        #expect(throws: Topic.Error.dateBeforePlanYear(day("2023-12-31"), year: 2024)) {
            try decide(activity("2023-12-31"), given: Demo.plannedHistory)
        }
    }

    @Test func `activities may be recorded late and out of order, even before the deliberation date`() throws {
        let history = Demo.transferredHistory  // deliberated 2024-08-19, transferred 2024-08-30
        let events = try decide(activity("2024-03-02"), given: history)
        #expect(events.count == 1)
        guard case .existing(let topic) = Topic.state(after: history + events) else {
            Issue.record("the topic should exist")
            return
        }
        #expect(topic.lastActivityDate == day("2024-05-14"))
    }

    @Test func `activity texts are trimmed and empty places and units dropped`() throws {
        let command = activity("2024-05-14") {
            $0.places = [" 舞钢市 ", "", "  ", "宝丰县"]
            $0.units = ["\u{3000}市民政局"]
            $0.summary = "  "
            $0.peopleMet = 0
        }
        let expected = Topic.Activity(
            kind: .research, date: day("2024-05-14"), places: ["舞钢市", "宝丰县"], units: ["市民政局"], peopleMet: 0)
        #expect(try decide(command, given: Demo.plannedHistory) == [.activityRecorded(expected)])
    }

    @Test func `activity texts have length limits`() {
        let text201 = String(repeating: "地", count: 201)
        #expect(throws: Topic.Error.textTooLong(.place, max: 200)) {
            try decide(activity("2024-05-14") { $0.places = ["舞钢市", text201] }, given: Demo.plannedHistory)
        }
        #expect(throws: Topic.Error.textTooLong(.unit, max: 200)) {
            try decide(activity("2024-05-14") { $0.units = [text201] }, given: Demo.plannedHistory)
        }
        #expect(throws: Topic.Error.textTooLong(.summary, max: 2000)) {
            try decide(
                activity("2024-05-14") { $0.summary = String(repeating: "述", count: 2001) }, given: Demo.plannedHistory)
        }
    }

    @Test func `a negative number of people met is refused`() {
        #expect(throws: Topic.Error.negativePeopleMet(-3)) {
            try decide(activity("2024-05-14") { $0.peopleMet = -3 }, given: Demo.plannedHistory)
        }
    }

    // MARK: Deliberation

    @Test(arguments: [Demo.plannedHistory, Demo.underWayHistory])
    func `a planned or under-way topic can be deliberated`(history: [Topic.Event]) throws {
        #expect(try decide(.deliberate(Demo.session), given: history) == [Demo.deliberated])
    }

    @Test func `a session without a term is accepted`() throws {
        let session = Topic.Session(number: 3, date: day("2024-04-25"))
        #expect(try decide(.deliberate(session), given: Demo.plannedHistory) == [.deliberated(session)])
    }

    @Test(arguments: [0, -1])
    func `a session number below 1 is refused`(number: Int) {
        #expect(throws: Topic.Error.invalidSessionNumber(number)) {
            try decide(
                .deliberate(Topic.Session(term: 12, number: number, date: day("2024-08-19"))),
                given: Demo.underWayHistory)
        }
    }

    @Test func `a committee term below 1 is refused`() {
        #expect(throws: Topic.Error.invalidTerm(0)) {
            try decide(
                .deliberate(Topic.Session(term: 0, number: 13, date: day("2024-08-19"))), given: Demo.underWayHistory)
        }
    }

    @Test func `a session dated after today or before the plan year is refused`() {
        #expect(throws: Topic.Error.dateInFuture(day("2024-08-19"), today: day("2024-08-18"))) {
            try decide(.deliberate(Demo.session), given: Demo.underWayHistory, today: "2024-08-18")
        }
        #expect(throws: Topic.Error.dateBeforePlanYear(day("2023-08-19"), year: 2024)) {
            try decide(
                .deliberate(Topic.Session(term: 12, number: 13, date: day("2023-08-19"))), given: Demo.underWayHistory)
        }
    }

    // MARK: Transferring opinions

    @Test func `opinions are transferred with a due date and a trimmed summary`() throws {
        let command = Topic.Command.transferOpinions(
            date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: " 审议意见及问题清单交办市政府 ")
        #expect(try decide(command, given: Demo.deliberatedHistory) == [Demo.transferred])
        let bare = Topic.Command.transferOpinions(date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: "\n")
        #expect(
            try decide(bare, given: Demo.deliberatedHistory) == [
                .opinionsTransferred(date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: nil)
            ])
    }

    @Test(arguments: ["2024-08-30", "2024-08-29"])
    func `a due date on or before the transfer date is refused`(dueDate: String) {
        let command = Topic.Command.transferOpinions(date: day("2024-08-30"), dueDate: day(dueDate), summary: nil)
        #expect(throws: Topic.Error.dueDateNotAfterDate(dueDate: day(dueDate), date: day("2024-08-30"))) {
            try decide(command, given: Demo.deliberatedHistory)
        }
    }

    @Test func `a transfer dated before the deliberation is refused`() {
        let command = Topic.Command.transferOpinions(date: day("2024-08-18"), dueDate: day("2024-11-30"), summary: nil)
        #expect(throws: Topic.Error.dateBeforePreviousStep(day("2024-08-18"), previous: day("2024-08-19"))) {
            try decide(command, given: Demo.deliberatedHistory)
        }
    }

    @Test func `a transfer on the day of the deliberation is accepted`() throws {
        let command = Topic.Command.transferOpinions(date: day("2024-08-19"), dueDate: day("2024-11-19"), summary: nil)
        #expect(try decide(command, given: Demo.deliberatedHistory).count == 1)
    }

    @Test func `a transfer dated after today is refused`() {
        let command = Topic.Command.transferOpinions(date: day("2024-09-01"), dueDate: day("2024-12-01"), summary: nil)
        #expect(throws: Topic.Error.dateInFuture(day("2024-09-01"), today: day("2024-08-31"))) {
            try decide(command, given: Demo.deliberatedHistory, today: "2024-08-31")
        }
    }

    // MARK: Handling report

    @Test func `a handling report is received, even after its due date`() throws {
        #expect(
            try decide(
                .receiveHandlingReport(date: day("2024-11-25"), summary: "研究处理情况报告"), given: Demo.transferredHistory)
                == [
                    Demo.reported
                ])
        #expect(
            try decide(.receiveHandlingReport(date: day("2024-12-15"), summary: nil), given: Demo.transferredHistory)
                == [
                    .handlingReported(date: day("2024-12-15"), summary: nil)
                ])
    }

    @Test func `a handling report dated before the transfer is refused`() {
        #expect(throws: Topic.Error.dateBeforePreviousStep(day("2024-08-29"), previous: day("2024-08-30"))) {
            try decide(.receiveHandlingReport(date: day("2024-08-29"), summary: nil), given: Demo.transferredHistory)
        }
    }

    @Test func `a handling report summary has a length limit`() {
        #expect(throws: Topic.Error.textTooLong(.summary, max: 2000)) {
            try decide(
                .receiveHandlingReport(date: day("2024-11-25"), summary: String(repeating: "报", count: 2001)),
                given: Demo.transferredHistory)
        }
    }

    // MARK: Sending back

    @Test func `sending back starts the next rectification round with a trimmed reason`() throws {
        let command = Topic.Command.sendBack(
            date: day("2024-12-10"), dueDate: day("2025-03-10"), reason: " 满意度测评未通过，限期整改、再次报告\n")
        #expect(try decide(command, given: Demo.reportedHistory) == [Demo.sentBack])
    }

    @Test(arguments: ["", "  ", "\u{3000}"])
    func `sending back without a reason is refused`(reason: String) {
        #expect(throws: Topic.Error.emptyReason) {
            try decide(
                .sendBack(date: day("2024-12-10"), dueDate: day("2025-03-10"), reason: reason),
                given: Demo.reportedHistory)
        }
    }

    @Test func `a send-back reason has a length limit`() {
        #expect(throws: Topic.Error.textTooLong(.reason, max: 2000)) {
            try decide(
                .sendBack(
                    date: day("2024-12-10"), dueDate: day("2025-03-10"), reason: String(repeating: "因", count: 2001)),
                given: Demo.reportedHistory)
        }
    }

    @Test func `a send-back due date must be after its date`() {
        #expect(throws: Topic.Error.dueDateNotAfterDate(dueDate: day("2024-12-10"), date: day("2024-12-10"))) {
            try decide(
                .sendBack(date: day("2024-12-10"), dueDate: day("2024-12-10"), reason: "整改不到位"),
                given: Demo.reportedHistory)
        }
    }

    @Test func `a send-back dated before the handling report is refused`() {
        #expect(throws: Topic.Error.dateBeforePreviousStep(day("2024-11-24"), previous: day("2024-11-25"))) {
            try decide(
                .sendBack(date: day("2024-11-24"), dueDate: day("2025-02-24"), reason: "整改不到位"),
                given: Demo.reportedHistory)
        }
    }

    @Test func `a second send-back starts round 3`() throws {
        let secondReport = Topic.Event.handlingReported(date: day("2025-03-01"), summary: nil)
        let history = Demo.reportedHistory + [Demo.sentBack, secondReport]
        let command = Topic.Command.sendBack(date: day("2025-03-15"), dueDate: day("2025-06-15"), reason: "仍未整改到位")
        #expect(
            try decide(command, given: history, today: "2025-03-31") == [
                .sentBack(date: day("2025-03-15"), dueDate: day("2025-06-15"), reason: "仍未整改到位", round: 3)
            ])
    }

    // MARK: Closing

    @Test func `a reported topic is closed with a trimmed note`() throws {
        #expect(try decide(.close(date: day("2024-12-20"), note: " "), given: Demo.reportedHistory) == [Demo.closed])
        #expect(
            try decide(.close(date: day("2024-12-20"), note: " 满意度测评通过 "), given: Demo.reportedHistory) == [
                .closed(date: day("2024-12-20"), note: "满意度测评通过")
            ])
    }

    @Test func `closing before the handling report is refused`() {
        #expect(throws: Topic.Error.dateBeforePreviousStep(day("2024-11-01"), previous: day("2024-11-25"))) {
            try decide(.close(date: day("2024-11-01"), note: nil), given: Demo.reportedHistory)
        }
    }

    @Test func `closing twice is refused as already closed`() {
        #expect(throws: Topic.Error.alreadyClosed(Demo.id)) {
            try decide(.close(date: day("2024-12-21"), note: nil), given: Demo.closedHistory)
        }
    }

    @Test func `a closing note has a length limit`() {
        #expect(throws: Topic.Error.textTooLong(.note, max: 2000)) {
            try decide(
                .close(date: day("2024-12-20"), note: String(repeating: "注", count: 2001)), given: Demo.reportedHistory)
        }
    }

    // MARK: Messages

    @Test func `error descriptions are actionable sentences`() {
        #expect(
            Topic.Error.wrongStatus(action: .deliberate, status: .opinionsTransferred, required: [.planned, .underWay])
                .description
                == "Cannot deliberate the topic while it is opinions-transferred; it must be planned or under-way.")
        #expect(Topic.Error.unknownDepartment(department("jtj")).description.contains("\"jtj\""))
        #expect(Topic.Error.notPlanned.description == "The topic is not planned yet; plan it first.")
        let all: [Topic.Error] = [
            .notPlanned, .alreadyPlanned(Demo.id), .alreadyClosed(Demo.id),
            .wrongStatus(action: .close, status: .planned, required: [.handlingReported]), .yearOutOfRange(1999),
            .idYearMismatch(id: Demo.id, year: 2025), .emptyTitle, .textTooLong(.title, max: 200),
            .unknownDepartment(Demo.fgw), .duplicateDepartment(Demo.fgw),
            .dateInFuture(day("2025-01-01"), today: day("2024-12-31")),
            .dateBeforePlanYear(day("2023-01-01"), year: 2024),
            .dateBeforePreviousStep(day("2024-01-01"), previous: day("2024-02-01")),
            .dueDateNotAfterDate(dueDate: day("2024-01-01"), date: day("2024-01-01")), .emptyReason,
            .invalidSessionNumber(0),
            .invalidTerm(0), .negativePeopleMet(-1),
        ]
        for error in all {
            #expect(error.description.first?.isUppercase == true && error.description.hasSuffix("."), "\(error)")
            #expect(!error.description.contains("Optional("), "\(error)")
        }
        #expect(Set(all.map(\.description)).count == all.count)
    }
}

import OversightDomain
import Testing

/// An inquiry id; stops the test run if a test wrote an invalid one.
func inquiryID(_ text: String) -> InquiryID {
    guard let id = InquiryID(text) else { preconditionFailure("invalid test inquiry id \(text)") }
    return id
}

/// Demo data after the seed: the 19 August 2024 special inquiry on the elderly care regulation.
enum InquiryDemo {
    static let id = inquiryID("Q2024-001")
    static let session = Inquiry.Session(term: 12, number: 13, date: day("2024-08-19"))
    static let schedule = Inquiry.Schedule(
        subject: "《河南省养老服务条例》贯彻实施情况", session: session, topicID: topicID("T2024-003"), committee: "社会建设委")

    static let firstRound = Inquiry.Round(
        questioner: "王建军", respondent: "李红", department: Demo.mzj, question: "农村养老服务设施建设滞后，下一步如何推进？",
        answerSummary: "年底前实现乡镇区域养老服务中心全覆盖")
    static let secondRound = Inquiry.Round(
        questioner: "赵丽", respondent: "陈刚", department: Demo.fgw, question: "养老服务项目资金如何保障？")

    static let scheduled = Inquiry.Event.scheduled(id: id, schedule)
    static let round1 = Inquiry.Event.roundRecorded(round: 1, date: day("2024-08-19"), firstRound)
    static let round2 = Inquiry.Event.roundRecorded(round: 2, date: day("2024-08-19"), secondRound)
    static let concluded = Inquiry.Event.concluded(date: day("2024-08-19"), note: nil)
    static let transferred = Inquiry.Event.transferred(
        date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: "审议意见及14个问题清单交办市政府")

    /// Histories that end in each status.
    static let scheduledHistory = [scheduled]
    static let heldHistory = [scheduled, round1]
    static let twoRoundsHistory = [scheduled, round1, round2]
    static let concludedHistory = twoRoundsHistory + [concluded]
    static let transferredHistory = concludedHistory + [transferred]
}

/// Given events, when a command, then events or the exact error.
struct InquiryTests {
    /// Decides a command against a history, on `today` (31 December 2024 unless given), knowing the demo departments.
    func decide(
        _ command: Inquiry.Command, given history: [Inquiry.Event], today: String = "2024-12-31",
        departments: Set<DepartmentCode> = Demo.departments
    ) throws(Inquiry.Error) -> [Inquiry.Event] {
        try Inquiry.decide(command, given: history, DecisionContext(today: day(today), knownDepartments: departments))
    }

    func schedule(_ change: (inout Inquiry.Schedule) -> Void) -> Inquiry.Command {
        var schedule = InquiryDemo.schedule
        change(&schedule)
        return .schedule(id: InquiryDemo.id, schedule)
    }

    func round(_ date: String? = nil, _ change: (inout Inquiry.Round) -> Void = { _ in }) -> Inquiry.Command {
        var round = InquiryDemo.firstRound
        change(&round)
        return .recordRound(round, date: date.map(day))
    }

    func snapshot(after history: [Inquiry.Event]) -> Inquiry.Snapshot? {
        guard case .existing(let inquiry) = Inquiry.state(after: history) else { return nil }
        return inquiry
    }

    // MARK: Scheduling

    @Test func `scheduling a new inquiry records the schedule`() throws {
        #expect(try decide(.schedule(id: InquiryDemo.id, InquiryDemo.schedule), given: []) == [InquiryDemo.scheduled])
        let inquiry = try #require(snapshot(after: InquiryDemo.scheduledHistory))
        #expect(inquiry.status == .scheduled && inquiry.rounds == 0)
    }

    @Test func `a session in the future may be scheduled`() throws {
        let command = schedule { $0.session.date = day("2024-10-24") }
        #expect(try decide(command, given: [], today: "2024-08-01").count == 1)
    }

    @Test func `scheduling trims texts, and a schedule without term, topic or committee is accepted`() throws {
        let command = schedule {
            $0.subject = " \u{3000}养老服务\n"
            $0.session = Inquiry.Session(number: 13, date: day("2024-08-19"))
            $0.topicID = nil
            $0.committee = "  "
        }
        let expected = Inquiry.Schedule(subject: "养老服务", session: Inquiry.Session(number: 13, date: day("2024-08-19")))
        #expect(try decide(command, given: []) == [.scheduled(id: InquiryDemo.id, expected)])
    }

    @Test func `scheduling an id twice is refused, even after the transfer`() {
        #expect(throws: Inquiry.Error.alreadyScheduled(InquiryDemo.id)) {
            try decide(.schedule(id: InquiryDemo.id, InquiryDemo.schedule), given: InquiryDemo.scheduledHistory)
        }
        #expect(throws: Inquiry.Error.alreadyScheduled(InquiryDemo.id)) {
            try decide(.schedule(id: InquiryDemo.id, InquiryDemo.schedule), given: InquiryDemo.transferredHistory)
        }
    }

    @Test(arguments: ["1999-08-19", "2101-01-05"])
    func `a session year out of 2000...2100 is refused`(date: String) {
        let session = Inquiry.Session(number: 1, date: day(date))
        let command = Inquiry.Command.schedule(
            id: InquiryID(year: session.date.year, sequence: 1), Inquiry.Schedule(subject: "询问", session: session))
        #expect(throws: Inquiry.Error.yearOutOfRange(session.date.year)) { try decide(command, given: []) }
    }

    @Test func `an id of another year than the session is refused`() {
        let command = Inquiry.Command.schedule(id: inquiryID("Q2023-001"), InquiryDemo.schedule)
        #expect(throws: Inquiry.Error.idYearMismatch(id: inquiryID("Q2023-001"), year: 2024)) {
            try decide(command, given: [])
        }
    }

    @Test(arguments: [0, -13])
    func `a session number below 1 is refused`(number: Int) {
        #expect(throws: Inquiry.Error.invalidSessionNumber(number)) {
            try decide(schedule { $0.session.number = number }, given: [])
        }
    }

    @Test func `a committee term below 1 is refused`() {
        #expect(throws: Inquiry.Error.invalidTerm(0)) { try decide(schedule { $0.session.term = 0 }, given: []) }
    }

    @Test(arguments: ["", "  ", "\u{3000}", "\n"])
    func `an empty subject is refused`(subject: String) {
        #expect(throws: Inquiry.Error.emptyText(.subject)) { try decide(schedule { $0.subject = subject }, given: []) }
    }

    @Test func `a subject of 200 characters is accepted, 201 are refused; the committee has a limit`() throws {
        let longest = String(repeating: "询", count: 200)
        #expect(try decide(schedule { $0.subject = longest }, given: []).count == 1)
        #expect(throws: Inquiry.Error.textTooLong(.subject, max: 200)) {
            try decide(schedule { $0.subject = longest + "问" }, given: [])
        }
        #expect(throws: Inquiry.Error.textTooLong(.committee, max: 100)) {
            try decide(schedule { $0.committee = String(repeating: "委", count: 101) }, given: [])
        }
    }

    // MARK: State rules

    static let everyCommandButSchedule: [Inquiry.Command] = [
        .recordRound(InquiryDemo.firstRound, date: nil),
        .conclude(date: day("2024-12-30"), note: nil),
        .transfer(date: day("2024-12-30"), dueDate: day("2025-03-30"), summary: nil),
    ]

    @Test(arguments: everyCommandButSchedule)
    func `every command but schedule is refused on an inquiry not yet scheduled`(command: Inquiry.Command) {
        #expect(throws: Inquiry.Error.notScheduled) { try decide(command, given: []) }
    }

    @Test(arguments: everyCommandButSchedule)
    func `every command is refused on a transferred inquiry`(command: Inquiry.Command) {
        #expect(throws: Inquiry.Error.alreadyTransferred(InquiryDemo.id)) {
            try decide(command, given: InquiryDemo.transferredHistory)
        }
    }

    @Test func `a transferred inquiry is reported closed before any problem with the input`() {
        #expect(throws: Inquiry.Error.alreadyTransferred(InquiryDemo.id)) {
            try decide(round("2030-01-01") { $0.question = "" }, given: InquiryDemo.transferredHistory)
        }
    }

    static let wrongStatusCases: [(Inquiry.Command, [Inquiry.Event], Inquiry.Error)] = [
        (
            .recordRound(InquiryDemo.firstRound, date: nil), InquiryDemo.concludedHistory,
            .wrongStatus(action: .recordRound, status: .concluded, required: [.scheduled, .held])
        ),
        (
            .conclude(date: day("2024-12-30"), note: nil), InquiryDemo.concludedHistory,
            .wrongStatus(action: .conclude, status: .concluded, required: [.held])
        ),
        (
            .transfer(date: day("2024-12-30"), dueDate: day("2025-03-30"), summary: nil), InquiryDemo.scheduledHistory,
            .wrongStatus(action: .transfer, status: .scheduled, required: [.concluded])
        ),
        (
            .transfer(date: day("2024-12-30"), dueDate: day("2025-03-30"), summary: nil), InquiryDemo.heldHistory,
            .wrongStatus(action: .transfer, status: .held, required: [.concluded])
        ),
    ]

    @Test(arguments: wrongStatusCases)
    func `a command that does not suit the status is refused with the status and what it requires`(
        command: Inquiry.Command, history: [Inquiry.Event], error: Inquiry.Error
    ) {
        #expect(throws: error) { try decide(command, given: history) }
    }

    // MARK: Rounds

    @Test func `the first round is number 1, dated the session's day, and the inquiry is held`() throws {
        let events = try decide(round(), given: InquiryDemo.scheduledHistory)
        #expect(events == [InquiryDemo.round1])
        let inquiry = try #require(snapshot(after: InquiryDemo.scheduledHistory + events))
        #expect(inquiry.status == .held && inquiry.rounds == 1 && inquiry.lastRoundDate == day("2024-08-19"))
    }

    @Test func `rounds are numbered 1, 2, 3 in the order recorded`() throws {
        var history = InquiryDemo.scheduledHistory
        for expected in 1...3 {
            let events = try decide(round(), given: history)
            guard case .roundRecorded(let number, _, _) = events.first else {
                Issue.record("expected a recorded round, got \(events)")
                return
            }
            #expect(number == expected)
            history += events
        }
        #expect(snapshot(after: history)?.rounds == 3)
        #expect(snapshot(after: history)?.status == .held)
    }

    @Test func `a round may be dated after the session, and texts are trimmed`() throws {
        let command = round("2024-08-20") {
            $0.questioner = " 赵丽 "
            $0.respondent = "\u{3000}陈刚"
            $0.question = " 资金如何保障？\n"
            $0.answerSummary = "   "
        }
        let expected = Inquiry.Round(questioner: "赵丽", respondent: "陈刚", department: Demo.mzj, question: "资金如何保障？")
        #expect(
            try decide(command, given: InquiryDemo.heldHistory) == [
                .roundRecorded(round: 2, date: day("2024-08-20"), expected)
            ])
    }

    @Test func `a round before the session's day is refused`() {
        #expect(throws: Inquiry.Error.dateBeforeSession(day("2024-08-18"), session: day("2024-08-19"))) {
            try decide(round("2024-08-18"), given: InquiryDemo.scheduledHistory)
        }
    }

    @Test func `a round of a session that has not taken place yet is refused, on the day it is accepted`() throws {
        #expect(throws: Inquiry.Error.dateInFuture(day("2024-08-19"), today: day("2024-08-18"))) {
            try decide(round(), given: InquiryDemo.scheduledHistory, today: "2024-08-18")
        }
        #expect(throws: Inquiry.Error.dateInFuture(day("2024-08-21"), today: day("2024-08-20"))) {
            try decide(round("2024-08-21"), given: InquiryDemo.scheduledHistory, today: "2024-08-20")
        }
        #expect(try decide(round(), given: InquiryDemo.scheduledHistory, today: "2024-08-19") == [InquiryDemo.round1])
    }

    @Test func `a round dated before the previous round is refused`() {
        let history =
            InquiryDemo.scheduledHistory + [
                .roundRecorded(round: 1, date: day("2024-08-20"), InquiryDemo.firstRound)
            ]
        #expect(throws: Inquiry.Error.dateBeforePreviousStep(day("2024-08-19"), previous: day("2024-08-20"))) {
            try decide(round("2024-08-19"), given: history)
        }
    }

    @Test func `a round naming an unregistered department is refused by its code`() {
        #expect(throws: Inquiry.Error.unknownDepartment(department("wjw"))) {
            try decide(round { $0.department = department("wjw") }, given: InquiryDemo.scheduledHistory)
        }
        #expect(throws: Inquiry.Error.unknownDepartment(Demo.mzj)) {
            try decide(round(), given: InquiryDemo.scheduledHistory, departments: [])
        }
    }

    @Test(arguments: [Inquiry.Field.questioner, .respondent, .question])
    func `a round without questioner, respondent or question is refused`(field: Inquiry.Field) {
        let command = round {
            switch field {
            case .questioner: $0.questioner = " \u{3000} "
            case .respondent: $0.respondent = ""
            default: $0.question = "\n"
            }
        }
        #expect(throws: Inquiry.Error.emptyText(field)) { try decide(command, given: InquiryDemo.scheduledHistory) }
    }

    @Test func `round texts have length limits`() throws {
        let text101 = String(repeating: "名", count: 101)
        #expect(throws: Inquiry.Error.textTooLong(.questioner, max: 100)) {
            try decide(round { $0.questioner = text101 }, given: InquiryDemo.scheduledHistory)
        }
        #expect(throws: Inquiry.Error.textTooLong(.respondent, max: 100)) {
            try decide(round { $0.respondent = text101 }, given: InquiryDemo.scheduledHistory)
        }
        #expect(throws: Inquiry.Error.textTooLong(.question, max: 2000)) {
            try decide(round { $0.question = String(repeating: "问", count: 2001) }, given: InquiryDemo.scheduledHistory)
        }
        #expect(throws: Inquiry.Error.textTooLong(.answerSummary, max: 2000)) {
            try decide(
                round { $0.answerSummary = String(repeating: "答", count: 2001) }, given: InquiryDemo.scheduledHistory)
        }
        #expect(
            try decide(round { $0.question = String(repeating: "问", count: 2000) }, given: InquiryDemo.scheduledHistory)
                .count == 1)
    }

    // MARK: Concluding

    @Test func `a held inquiry is concluded on the session's day, with a trimmed note`() throws {
        #expect(
            try decide(.conclude(date: day("2024-08-19"), note: " "), given: InquiryDemo.twoRoundsHistory) == [
                InquiryDemo.concluded
            ])
        #expect(
            try decide(.conclude(date: day("2024-08-20"), note: " 询问结束 "), given: InquiryDemo.twoRoundsHistory) == [
                .concluded(date: day("2024-08-20"), note: "询问结束")
            ])
        let inquiry = try #require(snapshot(after: InquiryDemo.concludedHistory))
        #expect(inquiry.status == .concluded && inquiry.concludedOn == day("2024-08-19") && inquiry.rounds == 2)
    }

    @Test func `concluding an inquiry without rounds is refused`() {
        #expect(throws: Inquiry.Error.noRounds(InquiryDemo.id)) {
            try decide(.conclude(date: day("2024-08-19"), note: nil), given: InquiryDemo.scheduledHistory)
        }
    }

    @Test func `a conclusion dated before the session or the last round is refused`() {
        #expect(throws: Inquiry.Error.dateBeforePreviousStep(day("2024-08-18"), previous: day("2024-08-19"))) {
            try decide(.conclude(date: day("2024-08-18"), note: nil), given: InquiryDemo.heldHistory)
        }
        let lateRound =
            InquiryDemo.scheduledHistory + [
                .roundRecorded(round: 1, date: day("2024-08-20"), InquiryDemo.firstRound)
            ]
        #expect(throws: Inquiry.Error.dateBeforePreviousStep(day("2024-08-19"), previous: day("2024-08-20"))) {
            try decide(.conclude(date: day("2024-08-19"), note: nil), given: lateRound)
        }
    }

    @Test func `a conclusion dated after today is refused`() {
        #expect(throws: Inquiry.Error.dateInFuture(day("2024-08-20"), today: day("2024-08-19"))) {
            try decide(
                .conclude(date: day("2024-08-20"), note: nil), given: InquiryDemo.heldHistory, today: "2024-08-19")
        }
    }

    @Test func `a conclusion note has a length limit`() {
        #expect(throws: Inquiry.Error.textTooLong(.note, max: 2000)) {
            try decide(
                .conclude(date: day("2024-08-19"), note: String(repeating: "注", count: 2001)),
                given: InquiryDemo.heldHistory)
        }
    }

    // MARK: Transferring

    @Test func `a concluded inquiry's opinions are transferred with a due date and a trimmed summary`() throws {
        let command = Inquiry.Command.transfer(
            date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: " 审议意见及14个问题清单交办市政府 ")
        #expect(try decide(command, given: InquiryDemo.concludedHistory) == [InquiryDemo.transferred])
        #expect(
            try decide(
                .transfer(date: day("2024-08-19"), dueDate: day("2024-08-20"), summary: nil),
                given: InquiryDemo.concludedHistory) == [
                    .transferred(date: day("2024-08-19"), dueDate: day("2024-08-20"), summary: nil)
                ])
        let inquiry = try #require(snapshot(after: InquiryDemo.transferredHistory))
        #expect(inquiry.status == .transferred)
        #expect(inquiry.transferredOn == day("2024-08-30") && inquiry.dueDate == day("2024-11-30"))
    }

    @Test func `a transfer dated before the conclusion is refused`() {
        let history = InquiryDemo.twoRoundsHistory + [.concluded(date: day("2024-08-21"), note: nil)]
        #expect(throws: Inquiry.Error.dateBeforePreviousStep(day("2024-08-20"), previous: day("2024-08-21"))) {
            try decide(.transfer(date: day("2024-08-20"), dueDate: day("2024-11-20"), summary: nil), given: history)
        }
    }

    @Test func `a transfer dated after today is refused`() {
        #expect(throws: Inquiry.Error.dateInFuture(day("2024-09-01"), today: day("2024-08-31"))) {
            try decide(
                .transfer(date: day("2024-09-01"), dueDate: day("2024-12-01"), summary: nil),
                given: InquiryDemo.concludedHistory, today: "2024-08-31")
        }
    }

    @Test(arguments: ["2024-08-30", "2024-08-29"])
    func `a transfer due date must be after the transfer`(due: String) {
        #expect(throws: Inquiry.Error.dueDateNotAfterDate(dueDate: day(due), date: day("2024-08-30"))) {
            try decide(
                .transfer(date: day("2024-08-30"), dueDate: day(due), summary: nil), given: InquiryDemo.concludedHistory
            )
        }
    }

    @Test func `a transfer summary has a length limit`() {
        #expect(throws: Inquiry.Error.textTooLong(.summary, max: 2000)) {
            try decide(
                .transfer(
                    date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: String(repeating: "意", count: 2001)),
                given: InquiryDemo.concludedHistory)
        }
    }

    // MARK: Evolution

    @Test func `events that cannot follow the state leave it unchanged`() {
        #expect(Inquiry.state(after: [InquiryDemo.round1, InquiryDemo.concluded]) == .absent)
        let scheduled = Inquiry.state(after: InquiryDemo.scheduledHistory)
        #expect(Inquiry.evolve(scheduled, InquiryDemo.scheduled) == scheduled)
    }

    @Test func `the stream of an inquiry is inquiry- and its id`() {
        #expect(Inquiry.stream(InquiryDemo.id).rawValue == "inquiry-Q2024-001")
    }

    // MARK: Messages

    @Test func `error descriptions are actionable sentences`() {
        #expect(
            Inquiry.Error.wrongStatus(action: .transfer, status: .held, required: [.concluded]).description
                == "Cannot transfer the opinions of the inquiry while it is held; it must be concluded.")
        #expect(
            Inquiry.Error.noRounds(InquiryDemo.id).description
                == "Inquiry Q2024-001 has no round yet; record at least one round before concluding it.")
        #expect(Inquiry.Error.emptyText(.question).description == "The question is empty; give the question.")
        let all: [Inquiry.Error] = [
            .notScheduled, .alreadyScheduled(InquiryDemo.id), .alreadyTransferred(InquiryDemo.id),
            .wrongStatus(action: .conclude, status: .scheduled, required: [.held]), .noRounds(InquiryDemo.id),
            .yearOutOfRange(1999), .idYearMismatch(id: InquiryDemo.id, year: 2025), .emptyText(.subject),
            .textTooLong(.subject, max: 200), .unknownDepartment(Demo.fgw), .invalidSessionNumber(0),
            .invalidTerm(0), .dateInFuture(day("2025-01-01"), today: day("2024-12-31")),
            .dateBeforeSession(day("2024-08-18"), session: day("2024-08-19")),
            .dateBeforePreviousStep(day("2024-01-01"), previous: day("2024-02-01")),
            .dueDateNotAfterDate(dueDate: day("2024-01-01"), date: day("2024-01-01")),
        ]
        for error in all {
            #expect(error.description.first?.isUppercase == true && error.description.hasSuffix("."), "\(error)")
            #expect(!error.description.contains("Optional("), "\(error)")
        }
        #expect(Set(all.map(\.description)).count == all.count)
    }
}

import OversightDomain
import Testing

/// An evaluation id; stops the test run if a test wrote an invalid one.
func evaluationID(_ text: String) -> EvaluationID {
    guard let id = EvaluationID(text) else { preconditionFailure("invalid test evaluation id \(text)") }
    return id
}

/// A verdict rule from its text; stops the test run if a test wrote an invalid one.
func verdictRule(_ text: String) -> VerdictRule {
    guard let rule = VerdictRule(text) else { preconditionFailure("invalid test rule \(text)") }
    return rule
}

/// Demo evaluations after the seed: the evaluation of 9 departments in 2024 (counts invented).
enum EvaluationDemo {
    static let id = evaluationID("E2024-001")
    static let inquiry = InquiryID(year: 2024, sequence: 1)
    static let suggestion = SuggestionID(year: 2024, sequence: 1)
    static let topic = Demo.id

    /// 35 entitled, 30 present: 20 satisfied, 8 basically, 1 dissatisfied, 1 not voting.
    static let tally = Evaluation.Tally(
        entitled: 35, present: 30, satisfied: 20, basicallySatisfied: 8, dissatisfied: 1, notVoting: 1)
    static let record = Evaluation.Record(
        subject: .department(Demo.fgw), date: day("2024-10-30"), tally: tally, note: "市十二届人大常委会第十五次会议")
    static let recorded = Evaluation.Event.recorded(id: id, record, verdict: .satisfied)

    static let opening = Evaluation.Opening(
        subject: .suggestionReply(suggestion, department: Demo.mzj), date: day("2024-11-02"), entitled: 5, present: 3)
    static let opened = Evaluation.Event.opened(id: id, opening)

    static func tally(_ satisfied: Int, _ basic: Int, _ dissatisfied: Int, _ notVoting: Int) -> Evaluation.Tally {
        Evaluation.Tally(
            entitled: 35, present: satisfied + basic + dissatisfied + notVoting, satisfied: satisfied,
            basicallySatisfied: basic, dissatisfied: dissatisfied, notVoting: notVoting)
    }
}

/// Given events, when a command, then events or the exact error.
struct EvaluationTests {
    func decide(
        _ command: Evaluation.Command, given history: [Evaluation.Event], today: String = "2024-12-31",
        departments: Set<DepartmentCode> = Demo.departments
    ) throws(Evaluation.Error) -> [Evaluation.Event] {
        try Evaluation.decide(
            command, given: history, DecisionContext(today: day(today), knownDepartments: departments))
    }

    func record(_ change: (inout Evaluation.Record) -> Void) -> Evaluation.Command {
        var record = EvaluationDemo.record
        change(&record)
        return .record(id: EvaluationDemo.id, record)
    }

    func open(_ change: (inout Evaluation.Opening) -> Void) -> Evaluation.Command {
        var opening = EvaluationDemo.opening
        change(&opening)
        return .open(id: EvaluationDemo.id, opening)
    }

    func state(_ history: [Evaluation.Event]) -> Evaluation.State {
        Evaluation.state(after: history)
    }

    // MARK: Recording a tally

    @Test func `recording a department's tally decides the verdict under the default rule`() throws {
        #expect(
            try decide(.record(id: EvaluationDemo.id, EvaluationDemo.record), given: []) == [EvaluationDemo.recorded])
    }

    @Test func `a recorded evaluation is closed at once, with its verdict and rate`() {
        guard case .existing(let evaluation) = state([EvaluationDemo.recorded]) else {
            Issue.record("expected an evaluation")
            return
        }
        #expect(evaluation.status == .closed)
        #expect(evaluation.verdict == .satisfied)
        #expect(evaluation.closedOn == day("2024-10-30"))
        #expect(evaluation.rate == 28.0 / 35.0)
        #expect(evaluation.subject.text == "fgw")
        #expect(evaluation.subject.department == Demo.fgw)
    }

    @Test func `the note is trimmed and an empty note dropped`() throws {
        let events = try decide(record { $0.note = " \u{3000} " }, given: [])
        guard case .recorded(_, let recorded, _) = events.first else {
            Issue.record("expected recorded")
            return
        }
        #expect(recorded.note == nil)
        var trimmed = EvaluationDemo.record
        trimmed.note = "第十五次会议"
        #expect(
            try decide(record { $0.note = " 第十五次会议\n" }, given: [])
                == [.recorded(id: EvaluationDemo.id, trimmed, verdict: .satisfied)])
    }

    @Test func `a note of 2001 characters is refused`() {
        #expect(throws: Evaluation.Error.textTooLong(.note, max: 2000)) {
            try decide(record { $0.note = String(repeating: "注", count: 2001) }, given: [])
        }
    }

    // MARK: The default rule: majority of all members entitled (35)

    @Test(arguments: [
        // satisfied, basic, dissatisfied, not voting → verdict
        (18, 0, 0, 0, Rating.satisfied),  // 18 > 17.5
        (17, 1, 0, 0, Rating.basicallySatisfied),  // 17 is not more than half of 35, 18 is
        (17, 0, 1, 0, Rating.dissatisfied),  // 17 of 35 is not a majority
        (10, 8, 12, 0, Rating.basicallySatisfied),
        (10, 7, 13, 0, Rating.dissatisfied),
        (20, 8, 1, 1, Rating.satisfied),
        (0, 0, 18, 0, Rating.dissatisfied),
        (0, 0, 0, 18, Rating.dissatisfied),  // everyone present abstains: no verdict of satisfaction
    ])
    func `under the default rule, the base is every member entitled`(
        satisfied: Int, basic: Int, dissatisfied: Int, notVoting: Int, verdict: Rating
    ) throws {
        let tally = EvaluationDemo.tally(satisfied, basic, dissatisfied, notVoting)
        let events = try decide(record { $0.tally = tally }, given: [])
        guard case .recorded(_, _, let decided) = events.first else {
            Issue.record("expected recorded")
            return
        }
        #expect(decided == verdict)
        #expect(VerdictRule.majorityOfEntitled.rate(of: tally) == Double(satisfied + basic) / 35)
    }

    @Test func `the same tally passes with base present and fails with base entitled`() throws {
        // 18 present of 35: 10 satisfied, 5 basically, 3 dissatisfied.
        let tally = EvaluationDemo.tally(10, 5, 3, 0)
        #expect(VerdictRule.majorityOfEntitled.verdict(of: tally) == .dissatisfied)
        #expect(VerdictRule.majorityOfPresent.verdict(of: tally) == .satisfied)
        #expect(VerdictRule.majorityOfPresent.rate(of: tally) == 15.0 / 18.0)
        let events = try decide(
            record {
                $0.tally = tally; $0.rule = .majorityOfPresent
            }, given: [])
        guard case .recorded(_, let record, let verdict) = events.first else {
            Issue.record("expected recorded")
            return
        }
        #expect(verdict == .satisfied)
        #expect(record.rule.description == "present>0.5")
    }

    @Test func `a threshold is strictly exceeded, in exact arithmetic`() {
        let twoThirds = verdictRule("present>2/3")
        // 30 present: 20 is exactly two thirds (not more), 21 is more.
        #expect(twoThirds.verdict(of: EvaluationDemo.tally(20, 0, 10, 0)) == .dissatisfied)
        #expect(twoThirds.verdict(of: EvaluationDemo.tally(21, 0, 9, 0)) == .satisfied)
        #expect(twoThirds.verdict(of: EvaluationDemo.tally(20, 1, 9, 0)) == .basicallySatisfied)
        let sixty = verdictRule("entitled>0.6")
        // 35 entitled: 21 is exactly 60 %, 22 is more.
        #expect(sixty.verdict(of: EvaluationDemo.tally(21, 0, 0, 0)) == .dissatisfied)
        #expect(sixty.verdict(of: EvaluationDemo.tally(22, 0, 0, 0)) == .satisfied)
        #expect(sixty.verdict(of: EvaluationDemo.tally(10, 12, 0, 0)) == .basicallySatisfied)
    }

    // MARK: Rules of the tally

    @Test func `a tally that does not add up to the members present is refused`() {
        var tally = EvaluationDemo.tally
        tally.notVoting = 2
        #expect(throws: Evaluation.Error.tallyDoesNotAddUp(tally)) {
            try decide(record { $0.tally = tally }, given: [])
        }
        tally.notVoting = 0
        #expect(throws: Evaluation.Error.tallyDoesNotAddUp(tally)) {
            try decide(record { $0.tally = tally }, given: [])
        }
        #expect(
            Evaluation.Error.tallyDoesNotAddUp(tally).description
                == "The tally does not add up: satisfied 20 + basically satisfied 8 + dissatisfied 1 + not voting 0 "
                + "= 29, but 30 members are present; check the counts.")
    }

    @Test func `more members present than entitled is refused`() {
        let tally = Evaluation.Tally(entitled: 35, present: 36, satisfied: 36)
        #expect(throws: Evaluation.Error.presentExceedsEntitled(present: 36, entitled: 35)) {
            try decide(record { $0.tally = tally }, given: [])
        }
    }

    @Test(arguments: [0, -1, 10_001])
    func `a number entitled outside 1...10000 is refused`(entitled: Int) {
        let tally = Evaluation.Tally(entitled: entitled, present: 0)
        #expect(throws: Evaluation.Error.entitledOutOfRange(entitled)) {
            try decide(record { $0.tally = tally }, given: [])
        }
    }

    @Test func `one member entitled and present is a valid evaluation`() throws {
        let tally = Evaluation.Tally(entitled: 1, present: 1, satisfied: 1)
        #expect(try decide(record { $0.tally = tally }, given: []).count == 1)
    }

    @Test(arguments: [
        (Evaluation.Count.present, Evaluation.Tally(entitled: 35, present: -1)),
        (.satisfied, Evaluation.Tally(entitled: 35, present: 20, satisfied: -1, basicallySatisfied: 21)),
        (.basicallySatisfied, Evaluation.Tally(entitled: 35, present: 20, satisfied: 21, basicallySatisfied: -1)),
        (.dissatisfied, Evaluation.Tally(entitled: 35, present: 20, satisfied: 21, dissatisfied: -1)),
        (.notVoting, Evaluation.Tally(entitled: 35, present: 20, satisfied: 21, notVoting: -1)),
    ])
    func `a negative count is refused, even when the sum adds up`(count: Evaluation.Count, tally: Evaluation.Tally) {
        #expect(throws: Evaluation.Error.negativeCount(count, -1)) {
            try decide(record { $0.tally = tally }, given: [])
        }
    }

    @Test func `without a quorum (more than half of those entitled present) the evaluation is refused`() throws {
        // 35 entitled: 17 present is not a quorum, 18 is.
        let seventeen = EvaluationDemo.tally(17, 0, 0, 0)
        #expect(throws: Evaluation.Error.noQuorum(present: 17, entitled: 35)) {
            try decide(record { $0.tally = seventeen }, given: [])
        }
        #expect(try decide(record { $0.tally = EvaluationDemo.tally(17, 1, 0, 0) }, given: []).count == 1)
        // 34 entitled: exactly half (17) is not a quorum either.
        let half = Evaluation.Tally(entitled: 34, present: 17, satisfied: 17)
        #expect(throws: Evaluation.Error.noQuorum(present: 17, entitled: 34)) {
            try decide(record { $0.tally = half }, given: [])
        }
        #expect(
            Evaluation.Error.noQuorum(present: 17, entitled: 34).description
                == "No quorum: 17 of 34 members present, more than half (at least 18) are needed; the evaluation "
                + "cannot be held.")
    }

    @Test func `a quorum is checked whatever the rule`() {
        let tally = EvaluationDemo.tally(17, 0, 0, 0)
        #expect(throws: Evaluation.Error.noQuorum(present: 17, entitled: 35)) {
            try decide(
                record {
                    $0.tally = tally; $0.rule = .majorityOfPresent
                }, given: [])
        }
    }

    // MARK: Subject, id and dates

    @Test func `an unregistered department is refused, whether evaluated or answering`() {
        let unknown = department("jtj")
        #expect(throws: Evaluation.Error.unknownDepartment(unknown)) {
            try decide(record { $0.subject = .department(unknown) }, given: [])
        }
        #expect(throws: Evaluation.Error.unknownDepartment(unknown)) {
            try decide(
                record { $0.subject = .inquiryRound(EvaluationDemo.inquiry, round: 1, department: unknown) }, given: [])
        }
        #expect(throws: Evaluation.Error.unknownDepartment(unknown)) {
            try decide(
                open { $0.subject = .suggestionReply(EvaluationDemo.suggestion, department: unknown) }, given: [])
        }
    }

    @Test func `subjects without a department need no registered department`() throws {
        let subjects: [Evaluation.Subject] = [
            .inquiryRound(EvaluationDemo.inquiry, round: 2, department: nil), .handlingReport(EvaluationDemo.topic),
            .suggestionReply(EvaluationDemo.suggestion, department: nil),
        ]
        for subject in subjects {
            #expect(try decide(record { $0.subject = subject }, given: [], departments: []).count == 1)
        }
    }

    @Test(arguments: [0, -1])
    func `an inquiry round below 1 is refused`(round: Int) {
        #expect(throws: Evaluation.Error.invalidRound(round)) {
            try decide(
                record { $0.subject = .inquiryRound(EvaluationDemo.inquiry, round: round, department: nil) }, given: [])
        }
    }

    @Test func `subjects are written as one text with their kind`() {
        let round = Evaluation.Subject.inquiryRound(EvaluationDemo.inquiry, round: 2, department: Demo.mzj)
        #expect(round.text == "Q2024-001/2")
        #expect(round.kind.rawValue == "inquiry-round")
        #expect(round.department == Demo.mzj)
        #expect(Evaluation.Subject.handlingReport(EvaluationDemo.topic).text == "T2024-003")
        #expect(Evaluation.Subject.handlingReport(EvaluationDemo.topic).department == nil)
        #expect(Evaluation.Subject.suggestionReply(EvaluationDemo.suggestion, department: nil).kind == .suggestionReply)
        #expect(
            Evaluation.SubjectKind.allCases.map(\.rawValue) == [
                "department", "inquiry-round", "handling-report", "suggestion-reply",
            ])
    }

    @Test func `the id's year must be the year of the date`() {
        #expect(throws: Evaluation.Error.idYearMismatch(id: EvaluationDemo.id, year: 2023)) {
            try decide(record { $0.date = day("2023-12-30") }, given: [])
        }
    }

    @Test func `a date after today is refused; today is accepted`() throws {
        #expect(throws: Evaluation.Error.dateInFuture(day("2024-10-30"), today: day("2024-10-29"))) {
            try decide(.record(id: EvaluationDemo.id, EvaluationDemo.record), given: [], today: "2024-10-29")
        }
        #expect(
            try decide(.record(id: EvaluationDemo.id, EvaluationDemo.record), given: [], today: "2024-10-30").count == 1
        )
    }

    @Test func `a year out of 2000...2100 is refused`() {
        let id = EvaluationID(year: 1999, sequence: 1)
        var record = EvaluationDemo.record
        record.date = day("1999-06-01")
        #expect(throws: Evaluation.Error.yearOutOfRange(1999)) { try decide(.record(id: id, record), given: []) }
    }

    @Test func `recording or opening an existing id is refused`() {
        #expect(throws: Evaluation.Error.alreadyExists(EvaluationDemo.id)) {
            try decide(.record(id: EvaluationDemo.id, EvaluationDemo.record), given: [EvaluationDemo.recorded])
        }
        #expect(throws: Evaluation.Error.alreadyExists(EvaluationDemo.id)) {
            try decide(.open(id: EvaluationDemo.id, EvaluationDemo.opening), given: [EvaluationDemo.opened])
        }
    }

    // MARK: Ballots one by one

    @Test func `opening checks the counts and the quorum but not a tally`() throws {
        #expect(try decide(.open(id: EvaluationDemo.id, EvaluationDemo.opening), given: []) == [EvaluationDemo.opened])
        #expect(throws: Evaluation.Error.noQuorum(present: 2, entitled: 5)) {
            try decide(open { $0.present = 2 }, given: [])
        }
        #expect(throws: Evaluation.Error.presentExceedsEntitled(present: 6, entitled: 5)) {
            try decide(open { $0.present = 6 }, given: [])
        }
        #expect(throws: Evaluation.Error.entitledOutOfRange(0)) {
            try decide(
                open {
                    $0.entitled = 0; $0.present = 0
                }, given: [])
        }
        #expect(throws: Evaluation.Error.negativeCount(.present, -3)) {
            try decide(open { $0.present = -3 }, given: [])
        }
    }

    @Test func `ballots are cast one by one, then closing decides the verdict`() throws {
        var history = [EvaluationDemo.opened]
        for ballot in [Evaluation.Ballot.rating(.satisfied), .rating(.basicallySatisfied), .notVoting] {
            let events = try decide(.cast(ballot), given: history)
            #expect(events == [.ballotCast(ballot)])
            history += events
        }
        let closing = try decide(.close(date: day("2024-11-05")), given: history)
        // 5 entitled: 1 satisfied is not more than 2.5; 2 satisfied or basically is not either.
        let tally = Evaluation.Tally(
            entitled: 5, present: 3, satisfied: 1, basicallySatisfied: 1, dissatisfied: 0, notVoting: 1)
        #expect(closing == [.closed(date: day("2024-11-05"), tally: tally, verdict: .dissatisfied)])
        guard case .existing(let evaluation) = state(history + closing) else {
            Issue.record("expected an evaluation")
            return
        }
        #expect(evaluation.status == .closed)
        #expect(evaluation.tally == tally)
        #expect(evaluation.rate == 2.0 / 5.0)
        #expect(evaluation.closedOn == day("2024-11-05"))
    }

    @Test func `an open evaluation has the ballots so far and no verdict or rate`() {
        guard case .existing(let evaluation) = state([EvaluationDemo.opened, .ballotCast(.rating(.dissatisfied))])
        else {
            Issue.record("expected an evaluation")
            return
        }
        #expect(evaluation.status == .open)
        #expect(evaluation.tally.dissatisfied == 1 && evaluation.tally.cast == 1)
        #expect(evaluation.verdict == nil)
        #expect(evaluation.rate == nil)
    }

    @Test func `a ballot beyond the number present is refused`() {
        let full: [Evaluation.Event] =
            [EvaluationDemo.opened] + Array(repeating: .ballotCast(.rating(.satisfied)), count: 3)
        #expect(throws: Evaluation.Error.tooManyBallots(present: 3)) {
            try decide(.cast(.rating(.satisfied)), given: full)
        }
    }

    @Test func `closing before every member present has voted is refused`() {
        let history: [Evaluation.Event] = [EvaluationDemo.opened, .ballotCast(.rating(.satisfied))]
        #expect(throws: Evaluation.Error.ballotsMissing(cast: 1, present: 3)) {
            try decide(.close(date: day("2024-11-05")), given: history)
        }
        #expect(throws: Evaluation.Error.ballotsMissing(cast: 0, present: 3)) {
            try decide(.close(date: day("2024-11-05")), given: [EvaluationDemo.opened])
        }
    }

    static let fullBallots: [Evaluation.Event] =
        [EvaluationDemo.opened] + Array(repeating: .ballotCast(.rating(.satisfied)), count: 3)

    @Test func `closing twice is refused, and so is a ballot after closing`() throws {
        let closed = Self.fullBallots + (try decide(.close(date: day("2024-11-05")), given: Self.fullBallots))
        #expect(throws: Evaluation.Error.alreadyClosed(EvaluationDemo.id)) {
            try decide(.close(date: day("2024-11-06")), given: closed)
        }
        #expect(throws: Evaluation.Error.alreadyClosed(EvaluationDemo.id)) {
            try decide(.cast(.notVoting), given: closed)
        }
    }

    @Test func `a recorded tally takes no ballots and cannot be closed`() {
        #expect(throws: Evaluation.Error.alreadyClosed(EvaluationDemo.id)) {
            try decide(.cast(.rating(.satisfied)), given: [EvaluationDemo.recorded])
        }
        #expect(throws: Evaluation.Error.alreadyClosed(EvaluationDemo.id)) {
            try decide(.close(date: day("2024-11-01")), given: [EvaluationDemo.recorded])
        }
    }

    @Test func `casting or closing an evaluation that does not exist is refused`() {
        #expect(throws: Evaluation.Error.notRecorded) { try decide(.cast(.notVoting), given: []) }
        #expect(throws: Evaluation.Error.notRecorded) { try decide(.close(date: day("2024-11-05")), given: []) }
    }

    @Test func `closing is dated between the opening and today`() throws {
        #expect(throws: Evaluation.Error.closedBeforeOpened(day("2024-11-01"), opened: day("2024-11-02"))) {
            try decide(.close(date: day("2024-11-01")), given: Self.fullBallots)
        }
        #expect(throws: Evaluation.Error.dateInFuture(day("2024-11-06"), today: day("2024-11-05"))) {
            try decide(.close(date: day("2024-11-06")), given: Self.fullBallots, today: "2024-11-05")
        }
        #expect(try decide(.close(date: day("2024-11-02")), given: Self.fullBallots).count == 1)
    }

    @Test func `the ballots' stored names`() {
        #expect(
            Evaluation.Ballot.allCases.map(\.rawValue) == [
                "satisfied", "basically-satisfied", "dissatisfied", "not-voting",
            ])
        for ballot in Evaluation.Ballot.allCases {
            #expect(Evaluation.Ballot(rawValue: ballot.rawValue) == ballot)
        }
        #expect(Evaluation.Ballot(rawValue: "abstain") == nil)
    }

    // MARK: Re-rectification of a failed handling report

    static let failingTally = EvaluationDemo.tally(5, 5, 20, 0)

    @Test func `a failed handling-report evaluation sends the topic back, due 90 days later by default`() throws {
        var record = EvaluationDemo.record
        record.subject = .handlingReport(EvaluationDemo.topic)
        record.tally = Self.failingTally
        let events = try decide(.record(id: EvaluationDemo.id, record), given: [])
        #expect(events == [.recorded(id: EvaluationDemo.id, record, verdict: .dissatisfied)])
        let consequence = try #require(
            Evaluation.topicConsequence(of: events[0], after: .absent, reRectificationDueDate: nil))
        #expect(consequence.topic == EvaluationDemo.topic)
        #expect(
            consequence.command
                == .sendBack(date: day("2024-10-30"), dueDate: day("2025-01-28"), reason: "满意度测评未通过 (E2024-001)"))
        let given = try #require(
            Evaluation.topicConsequence(of: events[0], after: .absent, reRectificationDueDate: day("2024-12-31")))
        #expect(
            given.command
                == .sendBack(date: day("2024-10-30"), dueDate: day("2024-12-31"), reason: "满意度测评未通过 (E2024-001)"))
    }

    @Test func `the topic command is one the topic accepts after its handling report`() throws {
        var record = EvaluationDemo.record
        record.subject = .handlingReport(EvaluationDemo.topic)
        record.date = day("2024-11-28")
        record.tally = Self.failingTally
        let event = Evaluation.Event.recorded(id: EvaluationDemo.id, record, verdict: .dissatisfied)
        let consequence = try #require(
            Evaluation.topicConsequence(of: event, after: .absent, reRectificationDueDate: nil))
        let topicEvents = try Topic.decide(consequence.command, given: Demo.reportedHistory, Demo.context)
        #expect(
            topicEvents == [
                .sentBack(
                    date: day("2024-11-28"), dueDate: day("2025-02-26"), reason: "满意度测评未通过 (E2024-001)", round: 2)
            ])
    }

    @Test func `closing failed ballots on a handling report sends the topic back from the closing day`() throws {
        var opening = EvaluationDemo.opening
        opening.subject = .handlingReport(EvaluationDemo.topic)
        let history: [Evaluation.Event] =
            [.opened(id: EvaluationDemo.id, opening)] + Array(repeating: .ballotCast(.rating(.dissatisfied)), count: 3)
        let events = try decide(.close(date: day("2024-11-04")), given: history)
        let consequence = try #require(
            Evaluation.topicConsequence(of: events[0], after: state(history), reRectificationDueDate: nil))
        #expect(
            consequence.command
                == .sendBack(date: day("2024-11-04"), dueDate: day("2025-02-02"), reason: "满意度测评未通过 (E2024-001)"))
    }

    @Test func `a passing handling report, or a failed evaluation of anything else, calls for nothing`() {
        var record = EvaluationDemo.record
        record.subject = .handlingReport(EvaluationDemo.topic)
        let passed = Evaluation.Event.recorded(id: EvaluationDemo.id, record, verdict: .basicallySatisfied)
        #expect(Evaluation.topicConsequence(of: passed, after: .absent, reRectificationDueDate: nil) == nil)
        let failedDepartment = Evaluation.Event.recorded(
            id: EvaluationDemo.id, EvaluationDemo.record, verdict: .dissatisfied)
        #expect(Evaluation.topicConsequence(of: failedDepartment, after: .absent, reRectificationDueDate: nil) == nil)
        #expect(
            Evaluation.topicConsequence(of: .ballotCast(.notVoting), after: .absent, reRectificationDueDate: nil) == nil
        )
    }

    @Test func `a re-rectification due date only goes with a handling report, and after the date`() throws {
        let due = day("2025-01-15")
        #expect(throws: Evaluation.Error.reRectificationNotApplicable(.department)) {
            try decide(.record(id: EvaluationDemo.id, EvaluationDemo.record, reRectificationDueDate: due), given: [])
        }
        var record = EvaluationDemo.record
        record.subject = .handlingReport(EvaluationDemo.topic)
        #expect(
            throws: Evaluation.Error.reRectificationDueNotAfterDate(dueDate: day("2024-10-30"), date: day("2024-10-30"))
        ) {
            try decide(.record(id: EvaluationDemo.id, record, reRectificationDueDate: day("2024-10-30")), given: [])
        }
        #expect(try decide(.record(id: EvaluationDemo.id, record, reRectificationDueDate: due), given: []).count == 1)
        #expect(throws: Evaluation.Error.reRectificationNotApplicable(.suggestionReply)) {
            try decide(.close(date: day("2024-11-05"), reRectificationDueDate: due), given: Self.fullBallots)
        }
    }

    // MARK: Subject checks against the log

    @Test func `an inquiry round must be recorded on its inquiry`() throws {
        let subject = Evaluation.Subject.inquiryRound(EvaluationDemo.inquiry, round: 2, department: nil)
        let date = day("2024-08-19")
        #expect(throws: Evaluation.Error.inquiryNotFound(EvaluationDemo.inquiry)) {
            try Evaluation.checkSubject(subject, date: date, found: .inquiry(exists: false, rounds: []))
        }
        #expect(throws: Evaluation.Error.inquiryRoundNotRecorded(EvaluationDemo.inquiry, round: 2)) {
            try Evaluation.checkSubject(subject, date: date, found: .inquiry(exists: true, rounds: [1, 3]))
        }
        try Evaluation.checkSubject(subject, date: date, found: .inquiry(exists: true, rounds: [1, 2]))
    }

    @Test func `each inquiry round is evaluated once, for the department that answered it`() throws {
        let mzj = try #require(DepartmentCode("mzj"))
        let wjw = try #require(DepartmentCode("wjw"))
        let date = day("2024-08-19")
        let found = Evaluation.SubjectFinding.inquiry(
            exists: true, rounds: [1, 2], departments: [1: mzj, 2: wjw], evaluated: [1])
        #expect(throws: Evaluation.Error.roundAlreadyEvaluated(EvaluationDemo.inquiry, round: 1)) {
            try Evaluation.checkSubject(
                .inquiryRound(EvaluationDemo.inquiry, round: 1, department: mzj), date: date, found: found)
        }
        #expect(
            throws: Evaluation.Error.roundAnsweredByAnotherDepartment(
                EvaluationDemo.inquiry, round: 2, answered: wjw, given: mzj)
        ) {
            try Evaluation.checkSubject(
                .inquiryRound(EvaluationDemo.inquiry, round: 2, department: mzj), date: date, found: found)
        }
        try Evaluation.checkSubject(
            .inquiryRound(EvaluationDemo.inquiry, round: 2, department: wjw), date: date, found: found)
    }

    @Test func `a handling report that already has an evaluation is not evaluated again`() throws {
        let subject = Evaluation.Subject.handlingReport(EvaluationDemo.topic)
        let reported = Topic.state(after: Demo.reportedHistory)
        #expect(throws: Evaluation.Error.handlingReportAlreadyEvaluated(EvaluationDemo.topic)) {
            try Evaluation.checkSubject(
                subject, date: day("2024-11-28"), found: .topic(reported, alreadyEvaluated: true))
        }
    }

    @Test func `a handling report must be received, not yet evaluated, and not after the evaluation`() throws {
        let subject = Evaluation.Subject.handlingReport(EvaluationDemo.topic)
        let reported = Topic.state(after: Demo.reportedHistory)
        #expect(throws: Evaluation.Error.topicNotFound(EvaluationDemo.topic)) {
            try Evaluation.checkSubject(subject, date: day("2024-11-28"), found: .topic(.absent))
        }
        #expect(throws: Evaluation.Error.handlingReportNotPending(EvaluationDemo.topic, status: .opinionsTransferred)) {
            try Evaluation.checkSubject(
                subject, date: day("2024-11-28"), found: .topic(Topic.state(after: Demo.transferredHistory)))
        }
        #expect(throws: Evaluation.Error.handlingReportNotPending(EvaluationDemo.topic, status: .closed)) {
            try Evaluation.checkSubject(
                subject, date: day("2024-12-28"), found: .topic(Topic.state(after: Demo.closedHistory)))
        }
        #expect(throws: Evaluation.Error.dateBeforeHandlingReport(day("2024-11-24"), reported: day("2024-11-25"))) {
            try Evaluation.checkSubject(subject, date: day("2024-11-24"), found: .topic(reported))
        }
        try Evaluation.checkSubject(subject, date: day("2024-11-25"), found: .topic(reported))
    }

    @Test func `a suggestion must have a reply`() throws {
        let subject = Evaluation.Subject.suggestionReply(EvaluationDemo.suggestion, department: nil)
        #expect(throws: Evaluation.Error.suggestionNotFound(EvaluationDemo.suggestion)) {
            try Evaluation.checkSubject(
                subject, date: day("2024-11-02"), found: .suggestion(exists: false, replied: false))
        }
        #expect(throws: Evaluation.Error.suggestionNotReplied(EvaluationDemo.suggestion)) {
            try Evaluation.checkSubject(
                subject, date: day("2024-11-02"), found: .suggestion(exists: true, replied: false))
        }
        try Evaluation.checkSubject(subject, date: day("2024-11-02"), found: .suggestion(exists: true, replied: true))
    }

    @Test func `a finding of another kind than the subject counts as not found`() {
        #expect(throws: Evaluation.Error.topicNotFound(EvaluationDemo.topic)) {
            try Evaluation.checkSubject(
                .handlingReport(EvaluationDemo.topic), date: day("2024-11-02"),
                found: .suggestion(exists: true, replied: true))
        }
    }

    @Test func `every error description is a sentence`() {
        let all: [Evaluation.Error] = [
            .notRecorded, .alreadyExists(EvaluationDemo.id), .alreadyClosed(EvaluationDemo.id), .yearOutOfRange(1999),
            .idYearMismatch(id: EvaluationDemo.id, year: 2023),
            .dateInFuture(day("2025-01-01"), today: day("2024-12-31")),
            .closedBeforeOpened(day("2024-01-01"), opened: day("2024-01-02")), .unknownDepartment(Demo.fgw),
            .invalidRound(0), .entitledOutOfRange(0), .negativeCount(.present, -1),
            .presentExceedsEntitled(present: 2, entitled: 1), .tallyDoesNotAddUp(EvaluationDemo.tally),
            .noQuorum(present: 1, entitled: 3), .tooManyBallots(present: 3), .ballotsMissing(cast: 1, present: 3),
            .textTooLong(.note, max: 2000), .inquiryNotFound(EvaluationDemo.inquiry),
            .inquiryRoundNotRecorded(EvaluationDemo.inquiry, round: 2), .topicNotFound(EvaluationDemo.topic),
            .handlingReportNotPending(EvaluationDemo.topic, status: .closed),
            .dateBeforeHandlingReport(day("2024-01-01"), reported: day("2024-01-02")),
            .suggestionNotFound(EvaluationDemo.suggestion), .suggestionNotReplied(EvaluationDemo.suggestion),
            .reRectificationNotApplicable(.department),
            .reRectificationDueNotAfterDate(dueDate: day("2024-01-01"), date: day("2024-01-01")),
        ]
        for error in all {
            #expect(error.description.hasSuffix("."), "\(error)")
            #expect(error.description.first?.isUppercase == true || error.description.first?.isNumber == true)
        }
    }
}

/// The verdict rule's text and arithmetic.
struct VerdictRuleTests {
    @Test(arguments: [
        ("entitled-majority", "entitled-majority"),
        ("entitled>0.5", "entitled-majority"),
        ("entitled>1/2", "entitled-majority"),
        ("present-majority", "present>0.5"),
        ("present>0.5", "present>0.5"),
        ("present>.50", "present>0.5"),
        ("present>2/3", "present>2/3"),
        ("present>4/6", "present>2/3"),
        ("entitled>0.6", "entitled>0.6"),
        ("entitled>3/5", "entitled>0.6"),
        ("present>1/8", "present>0.125"),
        ("present>1/512", "present>0.001953125"),
    ])
    func `a rule reads its text and prints its canonical text`(text: String, canonical: String) throws {
        let rule = try #require(VerdictRule(text))
        #expect(rule.description == canonical)
        #expect(VerdictRule(canonical) == rule, "the canonical text reads back")
    }

    @Test(arguments: [
        "", "majority", "entitled", "entitled>", "entitled>0", "entitled>1", "entitled>1.0", "entitled>0.0",
        "present>1/1", "present>3/2", "present>0/3", "present>-0.5", "present>0,5", "present>50%", "present >0.5",
        "Present>0.5", "present>1/0", "present>1e-1", "quorum>0.5", "present>1/1000001", "present>0.5.1",
    ])
    func `anything else is not a rule`(text: String) {
        #expect(VerdictRule(text) == nil)
    }

    @Test func `a rule is built from a base and a threshold in (0, 1)`() {
        #expect(VerdictRule(base: .entitled, numerator: 1, denominator: 2) == .majorityOfEntitled)
        #expect(VerdictRule(base: .present, threshold: "0.5") == .majorityOfPresent)
        #expect(VerdictRule(base: .present, numerator: 0, denominator: 2) == nil)
        #expect(VerdictRule(base: .present, numerator: 2, denominator: 2) == nil)
        #expect(VerdictRule(base: .present, threshold: "1") == nil)
        #expect(VerdictRule(base: .present, threshold: "2/3")?.numerator == 2)
    }

    @Test func `the rate is (satisfied + basically satisfied) over the base`() {
        let tally = Evaluation.Tally(
            entitled: 35, present: 30, satisfied: 20, basicallySatisfied: 8, dissatisfied: 1, notVoting: 1)
        #expect(VerdictRule.majorityOfEntitled.rate(of: tally) == 28.0 / 35.0)
        #expect(VerdictRule.majorityOfPresent.rate(of: tally) == 28.0 / 30.0)
        #expect(VerdictRule.majorityOfPresent.baseCount(of: tally) == 30)
        #expect(VerdictRule.majorityOfEntitled.baseCount(of: tally) == 35)
        #expect(VerdictRule.majorityOfPresent.rate(of: Evaluation.Tally(entitled: 1, present: 0)) == 0)
    }
}

import OversightDomain
import Testing

/// A suggestion id; stops the test run if a test wrote an invalid one.
func suggestionID(_ text: String) -> SuggestionID {
    guard let id = SuggestionID(text) else { preconditionFailure("invalid test suggestion id \(text)") }
    return id
}

/// Demo data after the seed: a suggestion of the 2nd session of the 12th municipal congress (2024).
enum SuggestionDemo {
    static let id = suggestionID("S2024-001")
    static let submission = Suggestion.Submission(
        session: "十二届二次", number: "0123", title: "关于加快推进“两城”建设的建议", leadDeputy: "王建国",
        coSigners: ["李梅", "赵强"], text: "建议统筹推进……", date: day("2024-02-20"))
    static let submitted = Suggestion.Event.submitted(id: id, submission)
    static let assigned = Suggestion.Event.assigned(
        date: day("2024-03-15"), leadUnit: Demo.fgw, coUnits: [Demo.kjj], complex: false, dueDate: day("2024-06-15"))
    static let reply = Suggestion.Reply(
        date: day("2024-06-10"), category: "A", categoryList: "national@1", categoryMeaning: "已解决或基本解决",
        text: "已纳入市重点项目计划", round: 1)
    static let replied = Suggestion.Event.replied(reply)
    static let ratedSatisfied = Suggestion.Event.rated(
        date: day("2024-06-20"), rating: .satisfied, comment: nil, round: 1)
    static let ratedDissatisfied = Suggestion.Event.rated(
        date: day("2024-06-20"), rating: .dissatisfied, comment: "答复未回应核心问题", round: 1)
    static let rehandling = Suggestion.Event.rehandlingStarted(
        date: day("2024-06-20"), dueDate: day("2024-07-20"), round: 2)
    static let closed = Suggestion.Event.closed(date: day("2024-07-01"), note: nil)

    static let unassignedHistory = [submitted]
    static let assignedHistory = [submitted, assigned]
    static let repliedHistory = assignedHistory + [replied]
    static let ratedHistory = repliedHistory + [ratedSatisfied]
    static let rehandlingHistory = repliedHistory + [ratedDissatisfied, rehandling]
    static let closedHistory = ratedHistory + [closed]

    /// The 2024 national day: 1–7 October off, Sunday 29 September and Saturday 12 October worked.
    static let nationalDay2024 = WorkingCalendar(
        holidays: Dictionary(uniqueKeysWithValues: (1...7).map { (day("2024-10-0\($0)"), "国庆节") }),
        adjustedWorkdays: [day("2024-09-29"): "调休", day("2024-10-12"): "调休"])
}

/// Given events, when a command, then events or the exact error.
struct SuggestionTests {
    typealias D = SuggestionDemo

    func decide(
        _ command: Suggestion.Command, given history: [Suggestion.Event], today: String = "2024-12-31",
        calendar: WorkingCalendar = .mondayToFriday
    ) throws(Suggestion.Error) -> [Suggestion.Event] {
        try Suggestion.decide(
            command, given: history,
            DecisionContext(today: day(today), knownDepartments: Demo.departments, calendar: calendar))
    }

    func state(_ history: [Suggestion.Event]) -> Suggestion.Snapshot? {
        guard case .existing(let snapshot) = Suggestion.state(after: history) else { return nil }
        return snapshot
    }

    func submit(_ change: (inout Suggestion.Submission) -> Void) -> Suggestion.Command {
        var submission = D.submission
        change(&submission)
        return .submit(id: D.id, submission)
    }

    func reply(
        _ date: String, _ letter: String = "A", text: String = "已纳入计划", reason: String? = nil,
        list: SuggestionCategoryList = .national
    ) -> Suggestion.Command {
        .reply(date: day(date), category: letter, text: text, reason: reason, list: list)
    }

    func assign(
        _ date: String, lead: DepartmentCode = Demo.fgw, co: [DepartmentCode] = [], complex: Bool = false
    )
        -> Suggestion.Command
    {
        .assign(date: day(date), leadUnit: lead, coUnits: co, complex: complex)
    }

    // MARK: Submission

    @Test func `submitting records the suggestion, unassigned`() throws {
        #expect(try decide(.submit(id: D.id, D.submission), given: []) == [D.submitted])
        let snapshot = state([D.submitted])
        #expect(snapshot?.status == .unassigned)
        #expect(snapshot?.round == 0)
        #expect(snapshot?.isKey == false)
    }

    @Test func `submitting trims texts, drops empty co-signers and an empty text`() throws {
        let command = submit {
            $0.session = " 十二届二次 "
            $0.number = "\u{3000}0123 "
            $0.title = " 标题 "
            $0.leadDeputy = " 王建国"
            $0.coSigners = [" 李梅 ", "", "  "]
            $0.text = "   "
        }
        let expected = Suggestion.Submission(
            session: "十二届二次", number: "0123", title: "标题", leadDeputy: "王建国", coSigners: ["李梅"],
            date: day("2024-02-20"))
        #expect(try decide(command, given: []) == [.submitted(id: D.id, expected)])
    }

    @Test func `submitting an id twice is refused, even after closing`() {
        #expect(throws: Suggestion.Error.alreadySubmitted(D.id)) {
            try decide(.submit(id: D.id, D.submission), given: [D.submitted])
        }
        #expect(throws: Suggestion.Error.alreadySubmitted(D.id)) {
            try decide(.submit(id: D.id, D.submission), given: D.closedHistory)
        }
    }

    static let everyCommandButSubmit: [Suggestion.Command] = [
        .assign(date: day("2024-12-30"), leadUnit: Demo.fgw, coUnits: [], complex: false),
        .markKey(date: day("2024-12-30"), leader: "张主任"),
        .returnAssignment(date: day("2024-12-30"), unit: Demo.fgw, reason: "不属于本单位职责"),
        .reply(date: day("2024-12-30"), category: "A", text: "答复", reason: nil, list: .national),
        .rate(date: day("2024-12-30"), rating: .satisfied, comment: nil),
        .close(date: day("2024-12-30"), note: nil),
    ]

    @Test(arguments: everyCommandButSubmit)
    func `every command but submit is refused before submission`(command: Suggestion.Command) {
        #expect(throws: Suggestion.Error.notSubmitted) { try decide(command, given: []) }
    }

    @Test(arguments: everyCommandButSubmit)
    func `every command is refused on a closed suggestion`(command: Suggestion.Command) {
        #expect(throws: Suggestion.Error.alreadyClosed(D.id)) { try decide(command, given: D.closedHistory) }
    }

    @Test func `a submission year out of range and an id of another year are refused`() {
        #expect(throws: Suggestion.Error.yearOutOfRange(1999)) {
            try decide(
                .submit(
                    id: suggestionID("S1999-001"),
                    Suggestion.Submission(
                        session: "s", number: "1", title: "t", leadDeputy: "d", date: day("1999-03-01"))),
                given: [])
        }
        #expect(throws: Suggestion.Error.idYearMismatch(id: suggestionID("S2023-001"), year: 2024)) {
            try decide(.submit(id: suggestionID("S2023-001"), D.submission), given: [])
        }
    }

    @Test(arguments: [Suggestion.Field.session, .number, .title, .leadDeputy])
    func `an empty required text of a submission is refused`(field: Suggestion.Field) {
        let command = submit {
            switch field {
            case .session: $0.session = " \u{3000}"
            case .number: $0.number = " \u{3000}"
            case .title: $0.title = " \u{3000}"
            default: $0.leadDeputy = " \u{3000}"
            }
        }
        #expect(throws: Suggestion.Error.emptyField(field)) { try decide(command, given: []) }
    }

    @Test func `texts have length limits`() throws {
        #expect(try decide(submit { $0.title = String(repeating: "建", count: 200) }, given: []).count == 1)
        #expect(throws: Suggestion.Error.textTooLong(.title, max: 200)) {
            try decide(submit { $0.title = String(repeating: "建", count: 201) }, given: [])
        }
        #expect(throws: Suggestion.Error.textTooLong(.number, max: 20)) {
            try decide(submit { $0.number = String(repeating: "1", count: 21) }, given: [])
        }
        #expect(throws: Suggestion.Error.textTooLong(.coSigner, max: 100)) {
            try decide(submit { $0.coSigners = [String(repeating: "名", count: 101)] }, given: [])
        }
        #expect(throws: Suggestion.Error.textTooLong(.text, max: 10_000)) {
            try decide(submit { $0.text = String(repeating: "文", count: 10_001) }, given: [])
        }
    }

    @Test func `a number with a space inside is refused`() {
        #expect(throws: Suggestion.Error.invalidNumber("01 23")) {
            try decide(submit { $0.number = "01 23" }, given: [])
        }
    }

    @Test func `a co-signer listed twice or also the lead deputy is refused`() {
        #expect(throws: Suggestion.Error.duplicateCoSigner("李梅")) {
            try decide(submit { $0.coSigners = ["李梅", "赵强", " 李梅"] }, given: [])
        }
        #expect(throws: Suggestion.Error.coSignerIsLeadDeputy("王建国")) {
            try decide(submit { $0.coSigners = ["王建国"] }, given: [])
        }
    }

    @Test func `a submission dated after today is refused`() {
        #expect(throws: Suggestion.Error.dateInFuture(day("2024-02-20"), today: day("2024-02-19"))) {
            try decide(.submit(id: D.id, D.submission), given: [], today: "2024-02-19")
        }
    }

    // MARK: Assignment

    @Test func `assigning sets the lead and co-units, round 1, and a reply due in 3 months`() throws {
        let events = try decide(assign("2024-03-15", co: [Demo.kjj]), given: [D.submitted])
        #expect(events == [D.assigned])
        let snapshot = state([D.submitted] + events)
        #expect(snapshot?.status == .assigned)
        #expect(snapshot?.leadUnit == Demo.fgw)
        #expect(snapshot?.coUnits == [Demo.kjj])
        #expect(snapshot?.round == 1)
        #expect(snapshot?.dueDate == day("2024-06-15"))
    }

    @Test func `a complex suggestion is due in 6 months`() throws {
        let events = try decide(assign("2024-03-15", complex: true), given: [D.submitted])
        #expect(
            events == [
                .assigned(
                    date: day("2024-03-15"), leadUnit: Demo.fgw, coUnits: [], complex: true,
                    dueDate: day("2024-09-15"))
            ])
    }

    @Test func `months run to the end of a shorter month`() {
        #expect(Suggestion.adding(months: 3, to: day("2024-08-31")) == day("2024-11-30"))
        #expect(Suggestion.adding(months: 6, to: day("2023-08-31")) == day("2024-02-29"))
        #expect(Suggestion.adding(months: 1, to: day("2024-12-15")) == day("2025-01-15"))
        #expect(Suggestion.adding(months: 1, to: day("2024-01-31")) == day("2024-02-29"))
    }

    @Test func `an unregistered or repeated unit is refused`() {
        #expect(throws: Suggestion.Error.unknownDepartment(department("jtj"))) {
            try decide(assign("2024-03-15", co: [department("jtj")]), given: [D.submitted])
        }
        #expect(throws: Suggestion.Error.duplicateDepartment(Demo.kjj)) {
            try decide(assign("2024-03-15", co: [Demo.kjj, Demo.kjj]), given: [D.submitted])
        }
        #expect(throws: Suggestion.Error.duplicateDepartment(Demo.fgw)) {
            try decide(assign("2024-03-15", co: [Demo.fgw]), given: [D.submitted])
        }
    }

    @Test func `assigning an assigned suggestion is refused; it must be returned first`() {
        #expect(
            throws: Suggestion.Error.wrongStatus(action: .assign, status: .assigned, required: [.unassigned])
        ) { try decide(assign("2024-03-20"), given: D.assignedHistory) }
        #expect(
            throws: Suggestion.Error.wrongStatus(action: .assign, status: .replied, required: [.unassigned])
        ) { try decide(assign("2024-06-20"), given: D.repliedHistory) }
    }

    @Test func `an assignment before the submission or after today is refused`() {
        #expect(throws: Suggestion.Error.dateBeforePreviousStep(day("2024-02-19"), previous: day("2024-02-20"))) {
            try decide(assign("2024-02-19"), given: [D.submitted])
        }
        #expect(throws: Suggestion.Error.dateInFuture(day("2024-03-15"), today: day("2024-03-14"))) {
            try decide(assign("2024-03-15"), given: [D.submitted], today: "2024-03-14")
        }
    }

    // MARK: Key suggestions

    @Test func `marking a key suggestion names its supervising leader, in any status but closed`() throws {
        for history in [D.unassignedHistory, D.assignedHistory, D.repliedHistory, D.rehandlingHistory] {
            let events = try decide(.markKey(date: day("2024-06-25"), leader: " 张主任 "), given: history)
            #expect(events == [.markedKey(date: day("2024-06-25"), leader: "张主任")])
            #expect(state(history + events)?.supervisingLeader == "张主任")
            #expect(state(history + events)?.status == state(history)?.status, "marking key keeps the status")
        }
    }

    @Test func `another leader may take over, the same leader again is refused`() throws {
        let marked = Suggestion.Event.markedKey(date: day("2024-03-20"), leader: "张主任")
        #expect(
            try decide(.markKey(date: day("2024-04-01"), leader: "李副主任"), given: D.assignedHistory + [marked])
                == [.markedKey(date: day("2024-04-01"), leader: "李副主任")])
        #expect(throws: Suggestion.Error.keyUnchanged(leader: "张主任")) {
            try decide(.markKey(date: day("2024-04-01"), leader: "张主任"), given: D.assignedHistory + [marked])
        }
    }

    @Test func `a key mark without a leader or before the submission is refused`() {
        #expect(throws: Suggestion.Error.emptyField(.leader)) {
            try decide(.markKey(date: day("2024-03-20"), leader: "  "), given: D.assignedHistory)
        }
        #expect(throws: Suggestion.Error.dateBeforePreviousStep(day("2024-01-01"), previous: day("2024-02-20"))) {
            try decide(.markKey(date: day("2024-01-01"), leader: "张主任"), given: D.assignedHistory)
        }
    }

    // MARK: Returns

    @Test func `a unit returns a wrongly assigned suggestion within 7 working days, back to unassigned`() throws {
        // Assigned Friday 15 March 2024; the 7th working day after is Tuesday 26 March.
        let command = Suggestion.Command.returnAssignment(
            date: day("2024-03-26"), unit: Demo.fgw, reason: " 不属于本单位职责 ")
        let events = try decide(command, given: D.assignedHistory)
        #expect(
            events == [
                .returned(date: day("2024-03-26"), unit: Demo.fgw, reason: "不属于本单位职责", deadline: day("2024-03-26"))
            ]
        )
        let snapshot = state(D.assignedHistory + events)
        #expect(snapshot?.status == .unassigned)
        #expect(snapshot?.leadUnit == nil)
        #expect(snapshot?.coUnits == [])
        #expect(snapshot?.dueDate == nil)
        #expect(snapshot?.returns == 1)

        let reassigned = try decide(assign("2024-03-28", lead: Demo.mzj), given: D.assignedHistory + events)
        #expect(
            reassigned == [
                .assigned(
                    date: day("2024-03-28"), leadUnit: Demo.mzj, coUnits: [], complex: false,
                    dueDate: day("2024-06-28"))
            ])
    }

    @Test func `a return on the 8th working day is refused with the deadline`() {
        let command = Suggestion.Command.returnAssignment(date: day("2024-03-27"), unit: Demo.fgw, reason: "非本单位职责")
        #expect(
            throws: Suggestion.Error.returnTooLate(
                date: day("2024-03-27"), deadline: day("2024-03-26"), assignedOn: day("2024-03-15"))
        ) { try decide(command, given: D.assignedHistory) }
    }

    @Test func `a holiday calendar moves the return deadline past the holiday and its adjusted working days`() throws {
        let assigned = Suggestion.Event.assigned(
            date: day("2024-09-27"), leadUnit: Demo.fgw, coUnits: [], complex: false, dueDate: day("2024-12-27"))
        let history = [D.submitted, assigned]
        func returning(_ date: String) -> Suggestion.Command {
            .returnAssignment(date: day(date), unit: Demo.fgw, reason: "非本单位职责")
        }
        // Monday to Friday only: 9-30, 10-1, 10-2, 10-3, 10-4, 10-7, 10-8.
        #expect(
            throws: Suggestion.Error.returnTooLate(
                date: day("2024-10-11"), deadline: day("2024-10-08"), assignedOn: day("2024-09-27"))
        ) {
            try decide(returning("2024-10-11"), given: history)
        }
        // With the national day: 9-29 (Sun, worked), 9-30, 10-8, 10-9, 10-10, 10-11, 10-12 (Sat, worked).
        #expect(
            try decide(returning("2024-10-11"), given: history, calendar: D.nationalDay2024)
                == [.returned(date: day("2024-10-11"), unit: Demo.fgw, reason: "非本单位职责", deadline: day("2024-10-12"))])
        #expect(try decide(returning("2024-10-12"), given: history, calendar: D.nationalDay2024).count == 1)
        #expect(
            throws: Suggestion.Error.returnTooLate(
                date: day("2024-10-14"), deadline: day("2024-10-12"), assignedOn: day("2024-09-27"))
        ) {
            try decide(returning("2024-10-14"), given: history, calendar: D.nationalDay2024)
        }
    }

    @Test func `a co-unit may return it, a unit not assigned may not`() throws {
        let byCoUnit = Suggestion.Command.returnAssignment(date: day("2024-03-18"), unit: Demo.kjj, reason: "职责不符")
        #expect(try decide(byCoUnit, given: D.assignedHistory).count == 1)
        let byOther = Suggestion.Command.returnAssignment(date: day("2024-03-18"), unit: Demo.mzj, reason: "职责不符")
        #expect(throws: Suggestion.Error.notAnAssignedUnit(Demo.mzj)) { try decide(byOther, given: D.assignedHistory) }
    }

    @Test func `a return without a reason, or before the assignment, is refused`() {
        #expect(throws: Suggestion.Error.emptyField(.reason)) {
            try decide(
                .returnAssignment(date: day("2024-03-18"), unit: Demo.fgw, reason: " "), given: D.assignedHistory)
        }
        #expect(throws: Suggestion.Error.dateBeforePreviousStep(day("2024-03-14"), previous: day("2024-03-15"))) {
            try decide(
                .returnAssignment(date: day("2024-03-14"), unit: Demo.fgw, reason: "职责不符"), given: D.assignedHistory)
        }
    }

    @Test func `only an assigned suggestion without a reply can be returned`() {
        let command = Suggestion.Command.returnAssignment(date: day("2024-06-11"), unit: Demo.fgw, reason: "职责不符")
        #expect(
            throws: Suggestion.Error.wrongStatus(
                action: .returnAssignment, status: .unassigned, required: [.assigned])
        ) { try decide(command, given: D.unassignedHistory) }
        #expect(
            throws: Suggestion.Error.wrongStatus(action: .returnAssignment, status: .replied, required: [.assigned])
        ) { try decide(command, given: D.repliedHistory) }
    }

    // MARK: Replies

    @Test func `a reply records the letter, the list version and the meaning in force`() throws {
        let events = try decide(reply("2024-06-10", text: " 已纳入市重点项目计划 "), given: D.assignedHistory)
        #expect(events == [D.replied])
        let snapshot = state(D.repliedHistory)
        #expect(snapshot?.status == .replied)
        #expect(snapshot?.lastReply == D.reply)
    }

    @Test func `a reply keeps the meaning of the list version it was recorded with`() throws {
        let local = SuggestionCategoryList(
            name: SuggestionCategoryList.nationalName, version: 2, effectiveFrom: day("2024-06-01"),
            categories: [
                .init(letter: "A", meaning: "所提问题已经解决"), .init(letter: "B", meaning: "正在解决"),
                .init(letter: "C", meaning: "暂不具备解决条件", reasonRequired: true),
            ])
        let events = try decide(reply("2024-06-10", list: local), given: D.assignedHistory)
        #expect(
            events == [
                .replied(
                    Suggestion.Reply(
                        date: day("2024-06-10"), category: "A", categoryList: "national@2",
                        categoryMeaning: "所提问题已经解决", text: "已纳入计划", round: 1))
            ])
        #expect(state(D.repliedHistory)?.lastReply?.categoryMeaning == "已解决或基本解决", "the old reply is unchanged")
        #expect(throws: Suggestion.Error.unknownCategory("D", list: "national@2", letters: ["A", "B", "C"])) {
            try decide(reply("2024-06-10", "D", list: local), given: D.assignedHistory)
        }
    }

    @Test func `replying before the assignment, or after a return, is refused`() {
        #expect(throws: Suggestion.Error.notAssigned(D.id)) {
            try decide(reply("2024-03-01"), given: D.unassignedHistory)
        }
        let returned = Suggestion.Event.returned(
            date: day("2024-03-18"), unit: Demo.fgw, reason: "职责不符", deadline: day("2024-03-26"))
        #expect(throws: Suggestion.Error.notAssigned(D.id)) {
            try decide(reply("2024-03-20"), given: D.assignedHistory + [returned])
        }
    }

    @Test(arguments: ["E", "a", "", "AB", "甲"])
    func `an unknown category is refused with the letters of the list`(letter: String) {
        #expect(throws: Suggestion.Error.unknownCategory(letter, list: "national@1", letters: ["A", "B", "C", "D"])) {
            try decide(reply("2024-06-10", letter), given: D.assignedHistory)
        }
    }

    @Test func `a C reply needs a reason, other categories do not`() throws {
        #expect(throws: Suggestion.Error.reasonRequired(category: "C", meaning: "因条件限制暂时难以解决")) {
            try decide(reply("2024-06-10", "C", reason: "  "), given: D.assignedHistory)
        }
        let events = try decide(reply("2024-06-10", "C", reason: " 资金未落实 "), given: D.assignedHistory)
        guard case .replied(let recorded) = events.first else {
            Issue.record("expected a reply, got \(events)")
            return
        }
        #expect(recorded.reason == "资金未落实")
        #expect(recorded.categoryMeaning == "因条件限制暂时难以解决")
        for letter in ["A", "B", "D"] {
            #expect(try decide(reply("2024-06-10", letter), given: D.assignedHistory).count == 1)
        }
    }

    @Test func `a reply without a text is refused`() {
        #expect(throws: Suggestion.Error.emptyField(.replyText)) {
            try decide(reply("2024-06-10", text: "\n"), given: D.assignedHistory)
        }
    }

    @Test func `a second reply before the rating is refused, as is a reply after a satisfied rating`() {
        #expect(throws: Suggestion.Error.alreadyReplied(round: 1)) {
            try decide(reply("2024-06-12"), given: D.repliedHistory)
        }
        #expect(
            throws: Suggestion.Error.wrongStatus(action: .reply, status: .rated, required: [.assigned, .rehandling])
        ) { try decide(reply("2024-06-25"), given: D.ratedHistory) }
    }

    @Test func `a reply before the assignment day or after today is refused`() {
        #expect(throws: Suggestion.Error.dateBeforePreviousStep(day("2024-03-14"), previous: day("2024-03-15"))) {
            try decide(reply("2024-03-14"), given: D.assignedHistory)
        }
        #expect(throws: Suggestion.Error.dateInFuture(day("2024-06-10"), today: day("2024-06-09"))) {
            try decide(reply("2024-06-10"), given: D.assignedHistory, today: "2024-06-09")
        }
    }

    // MARK: Ratings

    @Test(arguments: [
        SuggestionDemo.unassignedHistory, SuggestionDemo.assignedHistory, SuggestionDemo.rehandlingHistory,
    ])
    func `rating without a reply is refused`(history: [Suggestion.Event]) {
        #expect(throws: Suggestion.Error.notReplied(D.id)) {
            try decide(.rate(date: day("2024-06-25"), rating: .satisfied, comment: nil), given: history)
        }
    }

    @Test(arguments: [Rating.satisfied, .basicallySatisfied])
    func `a satisfied or basically satisfied rating settles the reply`(rating: Rating) throws {
        let events = try decide(.rate(date: day("2024-06-20"), rating: rating, comment: " "), given: D.repliedHistory)
        #expect(events == [.rated(date: day("2024-06-20"), rating: rating, comment: nil, round: 1)])
        #expect(state(D.repliedHistory + events)?.status == .rated)
        #expect(state(D.repliedHistory + events)?.rating == rating)
    }

    @Test func `a dissatisfied rating sends it back for re-handling due within a month`() throws {
        let events = try decide(
            .rate(date: day("2024-06-20"), rating: .dissatisfied, comment: "答复未回应核心问题"), given: D.repliedHistory)
        #expect(events == [D.ratedDissatisfied, D.rehandling])
        let snapshot = state(D.repliedHistory + events)
        #expect(snapshot?.status == .rehandling)
        #expect(snapshot?.round == 2)
        #expect(snapshot?.dueDate == day("2024-07-20"))
        #expect(snapshot?.rating == .dissatisfied)
    }

    @Test func `the next reply closes the re-handling round and may be rated again`() throws {
        let second = try decide(reply("2024-07-15", "B", text: "已列入明年计划"), given: D.rehandlingHistory)
        #expect(
            second == [
                .replied(
                    Suggestion.Reply(
                        date: day("2024-07-15"), category: "B", categoryList: "national@1",
                        categoryMeaning: "正在解决或列入计划逐步解决", text: "已列入明年计划", round: 2))
            ])
        let history = D.rehandlingHistory + second
        #expect(state(history)?.status == .replied)
        #expect(state(history)?.rating == nil)
        let rated = try decide(
            .rate(date: day("2024-07-20"), rating: .basicallySatisfied, comment: nil), given: history)
        #expect(rated == [.rated(date: day("2024-07-20"), rating: .basicallySatisfied, comment: nil, round: 2)])
    }

    @Test func `rating twice is refused`() {
        #expect(throws: Suggestion.Error.alreadyRated(.satisfied)) {
            try decide(.rate(date: day("2024-06-25"), rating: .dissatisfied, comment: nil), given: D.ratedHistory)
        }
    }

    @Test func `a rating before the reply day is refused`() {
        #expect(throws: Suggestion.Error.dateBeforePreviousStep(day("2024-06-09"), previous: day("2024-06-10"))) {
            try decide(.rate(date: day("2024-06-09"), rating: .satisfied, comment: nil), given: D.repliedHistory)
        }
    }

    // MARK: Closing

    @Test func `a replied or rated suggestion can be closed`() throws {
        #expect(try decide(.close(date: day("2024-07-01"), note: nil), given: D.ratedHistory) == [D.closed])
        #expect(
            try decide(.close(date: day("2024-07-01"), note: " 办结 "), given: D.repliedHistory) == [
                .closed(date: day("2024-07-01"), note: "办结")
            ])
        #expect(state(D.closedHistory)?.status == .closed)
    }

    @Test(arguments: [
        (SuggestionDemo.unassignedHistory, SuggestionStatus.unassigned), (SuggestionDemo.assignedHistory, .assigned),
        (SuggestionDemo.rehandlingHistory, .rehandling),
    ])
    func `closing before a reply is refused`(history: [Suggestion.Event], status: SuggestionStatus) {
        #expect(throws: Suggestion.Error.wrongStatus(action: .close, status: status, required: [.replied, .rated])) {
            try decide(.close(date: day("2024-07-01"), note: nil), given: history)
        }
    }

    @Test func `a closing before the last step is refused`() {
        #expect(throws: Suggestion.Error.dateBeforePreviousStep(day("2024-06-19"), previous: day("2024-06-20"))) {
            try decide(.close(date: day("2024-06-19"), note: nil), given: D.ratedHistory)
        }
    }

    @Test func `error descriptions are sentences that say what to do`() {
        #expect(
            Suggestion.Error.returnTooLate(
                date: day("2024-10-14"), deadline: day("2024-10-12"), assignedOn: day("2024-09-27")
            ).description
                == "The return on 2024-10-14 is too late: a wrongly assigned suggestion goes back within 7 working "
                + "days of its assignment on 2024-09-27, that is by 2024-10-12.")
        #expect(
            Suggestion.Error.notReplied(D.id).description
                == "Suggestion S2024-001 has no reply to rate; record the unit's reply first.")
        #expect(
            Suggestion.Error.unknownCategory("E", list: "national@1", letters: ["A", "B", "C", "D"]).description
                == #"Category "E" is not in the list national@1; use one of A, B, C, D."#)
    }
}

/// Versions of a category list: the built-in national list, new versions, the version in force on a day.
struct SuggestionCategoriesTests {
    static let national = SuggestionCategoryList.nationalName
    static let local: [SuggestionCategoryList.Category] = [
        .init(letter: "A", meaning: "所提问题已经解决"), .init(letter: "B", meaning: "正在解决"),
        .init(letter: "C", meaning: "暂不具备解决条件", reasonRequired: true), .init(letter: "D", meaning: "留作参考"),
    ]

    func define(
        _ categories: [SuggestionCategoryList.Category], name: SuggestionCategoryList.Name = national,
        from: String = "2025-01-01", given history: [SuggestionCategories.Event] = []
    ) throws(SuggestionCategories.Error) -> [SuggestionCategories.Event] {
        try SuggestionCategories.decide(
            .define(name: name, effectiveFrom: day(from), categories), given: history,
            DecisionContext(today: day("2024-12-31")))
    }

    func lists(_ events: [SuggestionCategories.Event]) -> [SuggestionCategoryList] {
        events.map { event in
            switch event {
            case .defined(let list): list
            }
        }
    }

    @Test func `the built-in national list is version 1 with A to D, C needing a reason`() {
        let list = SuggestionCategoryList.national
        #expect(list.reference == "national@1")
        #expect(list.letters == ["A", "B", "C", "D"])
        #expect(list.categories.map(\.meaning) == ["已解决或基本解决", "正在解决或列入计划逐步解决", "因条件限制暂时难以解决", "留作参考"])
        #expect(list.categories.map(\.reasonRequired) == [false, false, true, false])
    }

    @Test func `a new wording of the national list is version 2, another list starts at 1`() throws {
        let events = try define(Self.local)
        let v2 = SuggestionCategoryList(
            name: Self.national, version: 2, effectiveFrom: day("2025-01-01"), categories: Self.local)
        #expect(events == [.defined(v2)])
        let v3 = try define(Array(Self.local.prefix(3)), from: "2025-01-01", given: events)
        #expect(lists(v3).map(\.version) == [3])
        guard let pds = SuggestionCategoryList.Name("pds") else {
            Issue.record("pds is a valid name")
            return
        }
        let other = try define(Self.local, name: pds, from: "2024-01-01")
        #expect(
            other == [
                .defined(
                    SuggestionCategoryList(
                        name: pds, version: 1, effectiveFrom: day("2024-01-01"), categories: Self.local))
            ])
    }

    @Test func `the version in force on a day is the latest one in force from that day or earlier`() throws {
        let defined = SuggestionCategories.state(after: try define(Self.local))
        #expect(SuggestionCategories.inForce(Self.national, on: day("2024-12-31"), defined: defined)?.version == 1)
        #expect(SuggestionCategories.inForce(Self.national, on: day("2025-01-01"), defined: defined)?.version == 2)
        #expect(SuggestionCategories.versions(of: Self.national, defined: defined).map(\.version) == [1, 2])
        guard let pds = SuggestionCategoryList.Name("pds") else { return }
        #expect(SuggestionCategories.inForce(pds, on: day("2025-01-01"), defined: []) == nil)
    }

    @Test func `letters and meanings are trimmed`() throws {
        let events = try define([.init(letter: " A ", meaning: " 已解决 ")])
        #expect(lists(events).first?.categories == [.init(letter: "A", meaning: "已解决")])
    }

    static let refusals: [([SuggestionCategoryList.Category], SuggestionCategories.Error)] = [
        ([], .noCategories),
        ([.init(letter: "a", meaning: "x")], .invalidLetter("a")),
        ([.init(letter: "AB", meaning: "x")], .invalidLetter("AB")),
        ([.init(letter: "甲", meaning: "x")], .invalidLetter("甲")),
        ([.init(letter: "A", meaning: "x"), .init(letter: "A", meaning: "y")], .duplicateLetter("A")),
        ([.init(letter: "B", meaning: " ")], .emptyMeaning(letter: "B")),
        ([.init(letter: "B", meaning: String(repeating: "义", count: 201))], .meaningTooLong(letter: "B", max: 200)),
        (
            (0..<27).map {
                .init(letter: String(UnicodeScalar(65 + $0 % 26).map(Character.init) ?? "A"), meaning: "x")
            },
            .tooManyCategories(27)
        ),
        (SuggestionCategoryList.national.categories, .unchanged(previous: "national@1")),
    ]

    @Test(arguments: refusals)
    func `a bad definition is refused`(categories: [SuggestionCategoryList.Category], error: SuggestionCategories.Error)
    {
        #expect(throws: error) { try define(categories) }
    }

    @Test func `a version in force before the previous one is refused`() throws {
        let events = try define(Self.local, from: "2025-01-01")
        #expect(
            throws: SuggestionCategories.Error.effectiveBeforePrevious(
                day("2024-12-31"), previous: "national@2", previousFrom: day("2025-01-01"))
        ) { try define(Array(Self.local.prefix(2)), from: "2024-12-31", given: events) }
    }

    @Test(arguments: ["", "National", "1st", "a b", String(repeating: "x", count: 33)])
    func `a list name is a lowercase word`(text: String) {
        #expect(SuggestionCategoryList.Name(text) == nil)
    }
}

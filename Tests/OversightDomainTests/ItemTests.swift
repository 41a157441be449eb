import OversightDomain
import Testing

/// Demo data for tracked items: a problem of the 19 August 2024 special inquiry on elderly care.
enum ItemFixture {
    static func id(_ text: String) -> ItemID {
        guard let id = ItemID(text) else { preconditionFailure("invalid test item id \(text)") }
        return id
    }

    static func parent(_ text: String) -> ItemParent {
        guard let parent = ItemParent(text) else { preconditionFailure("invalid test parent \(text)") }
        return parent
    }

    static let fgw = Demo.fgw
    static let kjj = Demo.kjj
    static let mzj = Demo.mzj
    static let itemID = id("I2024-001")
    static let inquiry = parent("Q2024-001")

    /// An open problem: no department yet.
    static let draft = Item.Draft(
        parent: inquiry, kind: .problem, aspect: "养老服务设施", text: "农村敬老院设施老化，护理人员不足",
        createdOn: day("2024-08-30"))

    static let added = Item.Event.added(id: itemID, draft)
    static let assigned = Item.Event.assigned(
        date: day("2024-09-02"), lead: mzj, coDepartments: [fgw], dueDate: day("2024-11-30"))
    static let leadAnswer = Item.Answer(
        department: mzj, date: day("2024-11-20"), text: "已完成12所敬老院改造", claimed: .inProgress)
    static let answered = Item.Event.answered(leadAnswer)
    static let accepted = Item.Event.accepted(date: day("2024-12-10"), note: nil)
    static let reopened = Item.Event.reopened(date: day("2024-12-15"), reason: "回访发现护理人员仍不足")

    static let openHistory = [added]
    static let assignedHistory = [added, assigned]
    static let answeredHistory = assignedHistory + [answered]
    static let acceptedHistory = answeredHistory + [accepted]
    static let reopenedHistory = acceptedHistory + [reopened]
}

/// Given events, when a command, then events or the exact error.
struct ItemTests {
    typealias F = ItemFixture

    /// Decides a command against a history, on `today` (31 December 2024 unless given), knowing the demo departments.
    func decide(
        _ command: Item.Command, given history: [Item.Event], today: String = "2024-12-31",
        departments: Set<DepartmentCode> = Demo.departments
    ) throws(Item.Error) -> [Item.Event] {
        try Item.decide(command, given: history, DecisionContext(today: day(today), knownDepartments: departments))
    }

    func snapshot(_ history: [Item.Event]) -> Item.Snapshot? {
        guard case .existing(let item) = Item.state(after: history) else { return nil }
        return item
    }

    func add(_ change: (inout Item.Draft) -> Void) -> Item.Command {
        var draft = F.draft
        change(&draft)
        return .add(id: F.itemID, draft)
    }

    func answer(
        _ department: DepartmentCode = ItemFixture.mzj, _ date: String = "2024-11-20",
        claimed: ClaimedStatus = .inProgress, text: String = "已完成12所敬老院改造", reason: String? = nil
    ) -> Item.Command {
        .answer(Item.Answer(department: department, date: day(date), text: text, claimed: claimed, reason: reason))
    }

    func escalate(
        _ step: EscalationStep, _ date: String, due: String? = nil, leader: String? = nil, note: String? = nil
    ) -> Item.Command {
        .escalate(Item.Escalation(step: step, date: day(date), dueDate: due.map(day), leader: leader, note: note))
    }

    // MARK: Adding

    @Test func `adding an item records it open, without departments`() throws {
        let events = try decide(.add(id: F.itemID, F.draft), given: [])
        #expect(events == [F.added])
        let item = try #require(snapshot(events))
        #expect(item.state == .open)
        #expect(item.departments.isEmpty && item.dueDate == nil && item.assignedOn == nil)
    }

    @Test func `adding with a lead, co-departments and a due date records it assigned`() throws {
        let command = add {
            $0.lead = F.mzj
            $0.coDepartments = [F.fgw, F.kjj]
            $0.dueDate = day("2024-11-30")
        }
        let events = try decide(command, given: [])
        let item = try #require(snapshot(events))
        #expect(item.state == .assigned)
        #expect(item.departments == [F.mzj, F.fgw, F.kjj])
        #expect(item.assignedOn == day("2024-08-30"))
        #expect(item.dueDate == day("2024-11-30"))
    }

    @Test func `adding trims the aspect and the text`() throws {
        let command = add {
            $0.aspect = "\u{3000} 养老服务设施 \n"
            $0.text = "  农村敬老院设施老化，护理人员不足 "
        }
        #expect(try decide(command, given: []) == [F.added])
    }

    @Test func `adding an id twice is refused, even after acceptance`() {
        #expect(throws: Item.Error.alreadyAdded(F.itemID)) { try decide(.add(id: F.itemID, F.draft), given: [F.added]) }
        #expect(throws: Item.Error.alreadyAdded(F.itemID)) {
            try decide(.add(id: F.itemID, F.draft), given: F.acceptedHistory)
        }
    }

    @Test(arguments: ["1999-12-31", "2101-01-01"])
    func `a created date out of 2000...2100 is refused`(date: String) {
        let created = day(date)
        let command = Item.Command.add(
            id: ItemID(year: created.year, sequence: 1),
            Item.Draft(parent: F.inquiry, kind: .problem, aspect: "方面", text: "问题", createdOn: created))
        #expect(throws: Item.Error.yearOutOfRange(created.year)) { try decide(command, given: [], today: "2102-01-01") }
    }

    @Test func `an id of another year than the created date is refused`() {
        let command = Item.Command.add(id: F.id("I2023-001"), F.draft)
        #expect(throws: Item.Error.idYearMismatch(id: F.id("I2023-001"), year: 2024)) { try decide(command, given: []) }
    }

    @Test(arguments: ["", "  ", "\u{3000}", "\n\t"])
    func `an empty aspect or text is refused`(text: String) {
        #expect(throws: Item.Error.empty(.aspect)) { try decide(add { $0.aspect = text }, given: []) }
        #expect(throws: Item.Error.empty(.text)) { try decide(add { $0.text = text }, given: []) }
    }

    @Test func `the aspect has 100 characters at most, the text 2000`() throws {
        #expect(try decide(add { $0.aspect = String(repeating: "方", count: 100) }, given: []).count == 1)
        #expect(throws: Item.Error.textTooLong(.aspect, max: 100)) {
            try decide(add { $0.aspect = String(repeating: "方", count: 101) }, given: [])
        }
        #expect(throws: Item.Error.textTooLong(.text, max: 2000)) {
            try decide(add { $0.text = String(repeating: "问", count: 2001) }, given: [])
        }
    }

    @Test func `every kind of parent and item is accepted`() throws {
        for (parent, kind) in [
            ("T2024-003", ItemKind.recommendation), ("Q2024-001", .problem), ("L2024-002", .opinion),
        ] {
            let events = try decide(
                add {
                    $0.parent = F.parent(parent)
                    $0.kind = kind
                }, given: [])
            #expect(snapshot(events)?.draft.parent.rawValue == parent)
            #expect(snapshot(events)?.draft.kind == kind)
        }
    }

    @Test func `departments of a new item must be registered, listed once, the lead not also co`() {
        let unknown = department("jtj")
        #expect(throws: Item.Error.unknownDepartment(unknown)) { try decide(add { $0.lead = unknown }, given: []) }
        #expect(throws: Item.Error.unknownDepartment(unknown)) {
            try decide(
                add {
                    $0.lead = F.mzj
                    $0.coDepartments = [F.fgw, unknown]
                }, given: [])
        }
        #expect(throws: Item.Error.duplicateDepartment(F.fgw)) {
            try decide(
                add {
                    $0.lead = F.mzj
                    $0.coDepartments = [F.fgw, F.kjj, F.fgw]
                }, given: [])
        }
        #expect(throws: Item.Error.leadAlsoCo(F.mzj)) {
            try decide(
                add {
                    $0.lead = F.mzj
                    $0.coDepartments = [F.fgw, F.mzj]
                }, given: [])
        }
        #expect(throws: Item.Error.coWithoutLead) { try decide(add { $0.coDepartments = [F.fgw] }, given: []) }
    }

    @Test func `an item created after today is refused, one created today is accepted`() throws {
        #expect(throws: Item.Error.dateInFuture(day("2024-08-30"), today: day("2024-08-29"))) {
            try decide(.add(id: F.itemID, F.draft), given: [], today: "2024-08-29")
        }
        #expect(try decide(.add(id: F.itemID, F.draft), given: [], today: "2024-08-30") == [F.added])
    }

    @Test func `a due date on or before the created date is refused`() {
        #expect(throws: Item.Error.dueDateNotAfterDate(dueDate: day("2024-08-30"), date: day("2024-08-30"))) {
            try decide(add { $0.dueDate = day("2024-08-30") }, given: [])
        }
    }

    // MARK: State rules

    static let everyCommandButAdd: [Item.Command] = [
        .assign(date: day("2024-12-01"), lead: Demo.mzj, coDepartments: [], dueDate: day("2025-01-31")),
        .answer(Item.Answer(department: Demo.mzj, date: day("2024-12-01"), text: "答复", claimed: .resolved)),
        .accept(date: day("2024-12-01"), note: nil),
        .reopen(date: day("2024-12-01"), reason: "未落实"),
        .changeDueDate(date: day("2024-12-01"), dueDate: day("2025-02-28"), reason: "需要更多时间", approver: "李主任"),
        .escalate(Item.Escalation(step: .reminder, date: day("2024-12-01"))),
    ]

    @Test(arguments: everyCommandButAdd)
    func `every command but add is refused on an item not yet added`(command: Item.Command) {
        #expect(throws: Item.Error.notAdded) { try decide(command, given: []) }
    }

    @Test(arguments: everyCommandButAdd.filter { $0.action != .reopen })
    func `every command but reopen is refused on an accepted item`(command: Item.Command) {
        #expect(throws: Item.Error.alreadyAccepted(F.itemID)) { try decide(command, given: F.acceptedHistory) }
    }

    // MARK: Assigning

    @Test func `an open item is assigned to a lead and co-departments with a due date`() throws {
        let command = Item.Command.assign(
            date: day("2024-09-02"), lead: F.mzj, coDepartments: [F.fgw], dueDate: day("2024-11-30"))
        let events = try decide(command, given: F.openHistory)
        #expect(events == [F.assigned])
        let item = try #require(snapshot(F.openHistory + events))
        #expect(item.state == .assigned && item.departments == [F.mzj, F.fgw] && item.assignedOn == day("2024-09-02"))
    }

    @Test func `the first assignment needs a due date`() {
        #expect(throws: Item.Error.dueDateRequired(.assign)) {
            try decide(
                .assign(date: day("2024-09-02"), lead: F.mzj, coDepartments: [], dueDate: nil), given: F.openHistory)
        }
    }

    @Test func `re-assigning keeps the due date in force and refuses to move it`() throws {
        let keep = try decide(
            .assign(date: day("2024-09-10"), lead: F.kjj, coDepartments: [], dueDate: nil), given: F.assignedHistory)
        #expect(
            keep == [.assigned(date: day("2024-09-10"), lead: F.kjj, coDepartments: [], dueDate: day("2024-11-30"))])
        let same = try decide(
            .assign(date: day("2024-09-10"), lead: F.kjj, coDepartments: [], dueDate: day("2024-11-30")),
            given: F.assignedHistory)
        #expect(same == keep)
        #expect(throws: Item.Error.dueDateInForce(day("2024-11-30"))) {
            try decide(
                .assign(date: day("2024-09-10"), lead: F.kjj, coDepartments: [], dueDate: day("2025-03-31")),
                given: F.assignedHistory)
        }
    }

    @Test func `a reopened item may be re-assigned and stays reopened until answered`() throws {
        let events = try decide(
            .assign(date: day("2024-12-20"), lead: F.fgw, coDepartments: [F.mzj], dueDate: nil),
            given: F.reopenedHistory)
        let item = try #require(snapshot(F.reopenedHistory + events))
        #expect(item.state == .reopened)
        #expect(item.departments == [F.fgw, F.mzj])
    }

    @Test func `an answered item cannot be re-assigned`() {
        #expect(
            throws: Item.Error.wrongState(action: .assign, state: .answered, required: [.open, .assigned, .reopened])
        ) {
            try decide(
                .assign(date: day("2024-12-01"), lead: F.kjj, coDepartments: [], dueDate: nil),
                given: F.answeredHistory)
        }
    }

    @Test func `the departments of an assignment follow the same rules as at adding`() {
        let unknown = department("jtj")
        #expect(throws: Item.Error.unknownDepartment(unknown)) {
            try decide(
                .assign(date: day("2024-09-02"), lead: unknown, coDepartments: [], dueDate: day("2024-11-30")),
                given: F.openHistory)
        }
        #expect(throws: Item.Error.duplicateDepartment(F.kjj)) {
            try decide(
                .assign(
                    date: day("2024-09-02"), lead: F.mzj, coDepartments: [F.kjj, F.kjj], dueDate: day("2024-11-30")),
                given: F.openHistory)
        }
        #expect(throws: Item.Error.leadAlsoCo(F.mzj)) {
            try decide(
                .assign(date: day("2024-09-02"), lead: F.mzj, coDepartments: [F.mzj], dueDate: day("2024-11-30")),
                given: F.openHistory)
        }
    }

    @Test func `an assignment dated after today, before the item, or due before it is refused`() {
        #expect(throws: Item.Error.dateInFuture(day("2025-01-01"), today: day("2024-12-31"))) {
            try decide(
                .assign(date: day("2025-01-01"), lead: F.mzj, coDepartments: [], dueDate: day("2025-03-01")),
                given: F.openHistory)
        }
        #expect(throws: Item.Error.dateBeforeCreated(day("2024-08-29"), created: day("2024-08-30"))) {
            try decide(
                .assign(date: day("2024-08-29"), lead: F.mzj, coDepartments: [], dueDate: day("2024-11-30")),
                given: F.openHistory)
        }
        #expect(throws: Item.Error.dueDateNotAfterDate(dueDate: day("2024-09-02"), date: day("2024-09-02"))) {
            try decide(
                .assign(date: day("2024-09-02"), lead: F.mzj, coDepartments: [], dueDate: day("2024-09-02")),
                given: F.openHistory)
        }
    }

    // MARK: Answering

    @Test func `the lead and a co-department answer separately; the item is answered`() throws {
        let first = try decide(answer(), given: F.assignedHistory)
        #expect(first == [F.answered])
        let second = try decide(
            answer(F.fgw, "2024-11-25", claimed: .resolved, text: " 已安排专项资金 "), given: F.answeredHistory)
        #expect(
            second == [
                .answered(
                    Item.Answer(department: F.fgw, date: day("2024-11-25"), text: "已安排专项资金", claimed: .resolved))
            ])
        let item = try #require(snapshot(F.answeredHistory + second))
        #expect(item.state == .answered)
        #expect(item.answers.map(\.department) == [F.mzj, F.fgw])
        #expect(item.lastAnswerDate == day("2024-11-25"))
    }

    @Test func `the same department may answer again, e.g. from in-progress to resolved`() throws {
        let events = try decide(answer(F.mzj, "2024-11-28", claimed: .resolved), given: F.answeredHistory)
        #expect(snapshot(F.answeredHistory + events)?.answers.count == 2)
    }

    @Test func `a department not on the item cannot answer`() {
        #expect(throws: Item.Error.departmentNotOnItem(F.kjj, departments: [F.mzj, F.fgw])) {
            try decide(answer(F.kjj), given: F.assignedHistory)
        }
    }

    @Test func `an open item cannot be answered before it is assigned`() {
        #expect(
            throws: Item.Error.wrongState(action: .answer, state: .open, required: [.assigned, .answered, .reopened])
        ) {
            try decide(answer(), given: F.openHistory)
        }
    }

    @Test func `answering an accepted item is refused`() {
        #expect(throws: Item.Error.alreadyAccepted(F.itemID)) { try decide(answer(), given: F.acceptedHistory) }
    }

    @Test(arguments: [nil, "", "  "])
    func `cannot-resolve-now needs a reason`(reason: String?) {
        #expect(throws: Item.Error.reasonRequired(.answer)) {
            try decide(answer(claimed: .cannotResolveNow, reason: reason), given: F.assignedHistory)
        }
    }

    @Test func `cannot-resolve-now with a reason is recorded with the trimmed reason`() throws {
        let events = try decide(answer(claimed: .cannotResolveNow, reason: " 受财力所限 "), given: F.assignedHistory)
        #expect(
            events == [
                .answered(
                    Item.Answer(
                        department: F.mzj, date: day("2024-11-20"), text: "已完成12所敬老院改造", claimed: .cannotResolveNow,
                        reason: "受财力所限"))
            ])
    }

    @Test func `an answer needs a text of at most 2000 characters`() {
        #expect(throws: Item.Error.empty(.answer)) { try decide(answer(text: " "), given: F.assignedHistory) }
        #expect(throws: Item.Error.textTooLong(.answer, max: 2000)) {
            try decide(answer(text: String(repeating: "答", count: 2001)), given: F.assignedHistory)
        }
    }

    @Test func `an answer dated after today, before the assignment or before the reopening is refused`() {
        #expect(throws: Item.Error.dateInFuture(day("2025-01-02"), today: day("2024-12-31"))) {
            try decide(answer(F.mzj, "2025-01-02"), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.dateBeforePreviousStep(day("2024-09-01"), previous: day("2024-09-02"))) {
            try decide(answer(F.mzj, "2024-09-01"), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.dateBeforePreviousStep(day("2024-12-14"), previous: day("2024-12-15"))) {
            try decide(answer(F.mzj, "2024-12-14"), given: F.reopenedHistory)
        }
    }

    @Test func `a reopened item is answered again`() throws {
        let events = try decide(answer(F.fgw, "2024-12-20", claimed: .resolved), given: F.reopenedHistory)
        #expect(snapshot(F.reopenedHistory + events)?.state == .answered)
    }

    // MARK: Accepting

    @Test func `an answered item's implementation is accepted, with a trimmed note`() throws {
        #expect(try decide(.accept(date: day("2024-12-10"), note: "  "), given: F.answeredHistory) == [F.accepted])
        let events = try decide(.accept(date: day("2024-12-10"), note: " 现场核查 "), given: F.answeredHistory)
        #expect(events == [.accepted(date: day("2024-12-10"), note: "现场核查")])
        let item = try #require(snapshot(F.answeredHistory + events))
        #expect(item.state == .accepted && item.acceptedOn == day("2024-12-10"))
    }

    @Test(arguments: [ItemFixture.openHistory, ItemFixture.assignedHistory, ItemFixture.reopenedHistory])
    func `accepting before an answer since the last (re)opening is refused`(history: [Item.Event]) {
        #expect(throws: Item.Error.notAnswered(F.itemID)) {
            try decide(.accept(date: day("2024-12-20"), note: nil), given: history)
        }
    }

    @Test func `accepting twice is refused`() {
        #expect(throws: Item.Error.alreadyAccepted(F.itemID)) {
            try decide(.accept(date: day("2024-12-11"), note: nil), given: F.acceptedHistory)
        }
    }

    @Test func `an acceptance dated before the latest answer or after today is refused`() {
        #expect(throws: Item.Error.dateBeforePreviousStep(day("2024-11-19"), previous: day("2024-11-20"))) {
            try decide(.accept(date: day("2024-11-19"), note: nil), given: F.answeredHistory)
        }
        #expect(throws: Item.Error.dateInFuture(day("2024-12-10"), today: day("2024-12-09"))) {
            try decide(.accept(date: day("2024-12-10"), note: nil), given: F.answeredHistory, today: "2024-12-09")
        }
    }

    // MARK: Reopening

    @Test func `an accepted item is reopened with a reason, and counted`() throws {
        #expect(
            try decide(.reopen(date: day("2024-12-15"), reason: " 回访发现护理人员仍不足 "), given: F.acceptedHistory) == [
                F.reopened
            ])
        let item = try #require(snapshot(F.reopenedHistory))
        #expect(item.state == .reopened && item.reopenCount == 1 && item.acceptedOn == nil)
    }

    @Test func `an answered item is reopened when the answer is rejected, a second time counted again`() throws {
        let first = try decide(.reopen(date: day("2024-11-22"), reason: "答复不具体"), given: F.answeredHistory)
        let history = F.answeredHistory + first + [.answered(F.leadAnswer.with(date: "2024-11-25"))]
        let second = try decide(.reopen(date: day("2024-11-26"), reason: "仍不具体"), given: history)
        #expect(snapshot(history + second)?.reopenCount == 2)
    }

    @Test(arguments: ["", "  ", "\u{3000}"])
    func `reopening needs a reason`(reason: String) {
        #expect(throws: Item.Error.reasonRequired(.reopen)) {
            try decide(.reopen(date: day("2024-12-15"), reason: reason), given: F.acceptedHistory)
        }
    }

    @Test(arguments: [
        (ItemFixture.openHistory, ItemState.open), (ItemFixture.assignedHistory, .assigned),
        (ItemFixture.reopenedHistory, .reopened),
    ])
    func `only an answered or accepted item can be reopened`(history: [Item.Event], state: ItemState) {
        #expect(throws: Item.Error.wrongState(action: .reopen, state: state, required: [.answered, .accepted])) {
            try decide(.reopen(date: day("2024-12-20"), reason: "未落实"), given: history)
        }
    }

    @Test func `a reopening dated before the acceptance is refused`() {
        #expect(throws: Item.Error.dateBeforePreviousStep(day("2024-12-09"), previous: day("2024-12-10"))) {
            try decide(.reopen(date: day("2024-12-09"), reason: "未落实"), given: F.acceptedHistory)
        }
    }

    // MARK: Changing the due date

    @Test func `a due-date change records the new and previous date, the reason and the approver`() throws {
        let command = Item.Command.changeDueDate(
            date: day("2024-11-25"), dueDate: day("2025-01-31"), reason: " 涉及跨年度预算 ", approver: " 李主任 ")
        let events = try decide(command, given: F.assignedHistory)
        #expect(
            events == [
                .dueDateChanged(
                    date: day("2024-11-25"), dueDate: day("2025-01-31"), previous: day("2024-11-30"), reason: "涉及跨年度预算",
                    approver: "李主任")
            ])
        #expect(snapshot(F.assignedHistory + events)?.dueDate == day("2025-01-31"))
    }

    @Test func `a due-date change needs a due date in force, a new date, a reason and an approver`() {
        let change = { (due: String, reason: String, approver: String) in
            Item.Command.changeDueDate(date: day("2024-11-25"), dueDate: day(due), reason: reason, approver: approver)
        }
        #expect(throws: Item.Error.noDueDate(F.itemID)) {
            try decide(change("2025-01-31", "原因", "李主任"), given: F.openHistory)
        }
        #expect(throws: Item.Error.reasonRequired(.changeDueDate)) {
            try decide(change("2025-01-31", " ", "李主任"), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.empty(.approver)) {
            try decide(change("2025-01-31", "原因", ""), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.dueDateUnchanged(day("2024-11-30"))) {
            try decide(change("2024-11-30", "原因", "李主任"), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.dueDateNotAfterDate(dueDate: day("2024-11-25"), date: day("2024-11-25"))) {
            try decide(change("2024-11-25", "原因", "李主任"), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.dateInFuture(day("2024-11-25"), today: day("2024-11-24"))) {
            try decide(change("2025-01-31", "原因", "李主任"), given: F.assignedHistory, today: "2024-11-24")
        }
    }

    @Test func `an answered or reopened item's due date may change; an accepted item's may not`() throws {
        let command = Item.Command.changeDueDate(
            date: day("2024-12-20"), dueDate: day("2025-03-31"), reason: "整改需要时间", approver: "李主任")
        #expect(try decide(command, given: F.answeredHistory).count == 1)
        #expect(try decide(command, given: F.reopenedHistory).count == 1)
        #expect(throws: Item.Error.alreadyAccepted(F.itemID)) { try decide(command, given: F.acceptedHistory) }
    }

    // MARK: Escalating

    @Test func `escalation goes reminder, supervision notice, leader supervision, committee report`() throws {
        var history = F.assignedHistory
        let steps: [Item.Command] = [
            escalate(.reminder, "2024-12-01", note: "电话催办"),
            escalate(.supervisionNotice, "2024-12-05", due: "2025-01-15"),
            escalate(.leaderSupervision, "2024-12-10", leader: " 王副主任 "),
            escalate(.committeeReport, "2024-12-20"),
        ]
        for command in steps { history += try decide(command, given: history) }
        #expect(
            Array(history.suffix(4)) == [
                .escalated(Item.Escalation(step: .reminder, date: day("2024-12-01"), note: "电话催办")),
                .escalated(
                    Item.Escalation(step: .supervisionNotice, date: day("2024-12-05"), dueDate: day("2025-01-15"))),
                .escalated(Item.Escalation(step: .leaderSupervision, date: day("2024-12-10"), leader: "王副主任")),
                .escalated(Item.Escalation(step: .committeeReport, date: day("2024-12-20"))),
            ])
        let item = try #require(snapshot(history))
        #expect(item.escalation == .committeeReport)
        #expect(item.dueDate == day("2025-01-15"), "the supervision notice set a new due date")
        #expect(throws: Item.Error.escalationFinished(F.itemID)) {
            try decide(escalate(.committeeReport, "2024-12-21"), given: history)
        }
    }

    @Test func `an escalation step cannot be skipped`() {
        #expect(throws: Item.Error.escalationOutOfOrder(step: .supervisionNotice, expected: .reminder)) {
            try decide(escalate(.supervisionNotice, "2024-12-01", due: "2025-01-15"), given: F.assignedHistory)
        }
        let reminded = F.assignedHistory + [.escalated(Item.Escalation(step: .reminder, date: day("2024-12-01")))]
        #expect(throws: Item.Error.escalationOutOfOrder(step: .committeeReport, expected: .supervisionNotice)) {
            try decide(escalate(.committeeReport, "2024-12-02"), given: reminded)
        }
    }

    @Test func `an escalation step cannot be repeated or gone back to`() {
        let noticed =
            F.assignedHistory + [
                .escalated(Item.Escalation(step: .reminder, date: day("2024-12-01"))),
                .escalated(
                    Item.Escalation(step: .supervisionNotice, date: day("2024-12-05"), dueDate: day("2025-01-15"))),
            ]
        #expect(throws: Item.Error.escalationRepeated(.supervisionNotice)) {
            try decide(escalate(.supervisionNotice, "2024-12-06", due: "2025-01-20"), given: noticed)
        }
        #expect(throws: Item.Error.escalationRepeated(.reminder)) {
            try decide(escalate(.reminder, "2024-12-06"), given: noticed)
        }
    }

    @Test func `an open or accepted item is not escalated; an answered or reopened one is`() throws {
        #expect(
            throws: Item.Error.wrongState(action: .escalate, state: .open, required: [.assigned, .answered, .reopened])
        ) {
            try decide(escalate(.reminder, "2024-12-01"), given: F.openHistory)
        }
        #expect(throws: Item.Error.alreadyAccepted(F.itemID)) {
            try decide(escalate(.reminder, "2024-12-11"), given: F.acceptedHistory)
        }
        #expect(try decide(escalate(.reminder, "2024-12-01"), given: F.answeredHistory).count == 1)
        #expect(try decide(escalate(.reminder, "2024-12-20"), given: F.reopenedHistory).count == 1)
    }

    @Test func `a supervision notice needs a new due date after its date; other steps take none`() {
        let reminded = F.assignedHistory + [.escalated(Item.Escalation(step: .reminder, date: day("2024-12-01")))]
        #expect(throws: Item.Error.dueDateRequired(.escalate)) {
            try decide(escalate(.supervisionNotice, "2024-12-05"), given: reminded)
        }
        #expect(throws: Item.Error.dueDateNotAfterDate(dueDate: day("2024-12-05"), date: day("2024-12-05"))) {
            try decide(escalate(.supervisionNotice, "2024-12-05", due: "2024-12-05"), given: reminded)
        }
        #expect(throws: Item.Error.dueDateNotAllowed(.reminder)) {
            try decide(escalate(.reminder, "2024-12-01", due: "2025-01-15"), given: F.assignedHistory)
        }
    }

    @Test func `a leader supervision names the leader; other steps name none`() {
        let noticed =
            F.assignedHistory + [
                .escalated(Item.Escalation(step: .reminder, date: day("2024-12-01"))),
                .escalated(
                    Item.Escalation(step: .supervisionNotice, date: day("2024-12-05"), dueDate: day("2025-01-15"))),
            ]
        #expect(throws: Item.Error.empty(.leader)) {
            try decide(escalate(.leaderSupervision, "2024-12-10", leader: " "), given: noticed)
        }
        #expect(throws: Item.Error.leaderNotAllowed(.reminder)) {
            try decide(escalate(.reminder, "2024-12-01", leader: "王副主任"), given: F.assignedHistory)
        }
    }

    @Test func `an escalation dated before the previous step, the assignment, or after today is refused`() {
        let reminded = F.assignedHistory + [.escalated(Item.Escalation(step: .reminder, date: day("2024-12-01")))]
        #expect(throws: Item.Error.dateBeforePreviousStep(day("2024-11-30"), previous: day("2024-12-01"))) {
            try decide(escalate(.supervisionNotice, "2024-11-30", due: "2025-01-15"), given: reminded)
        }
        #expect(throws: Item.Error.dateBeforePreviousStep(day("2024-09-01"), previous: day("2024-09-02"))) {
            try decide(escalate(.reminder, "2024-09-01"), given: F.assignedHistory)
        }
        #expect(throws: Item.Error.dateInFuture(day("2025-01-01"), today: day("2024-12-31"))) {
            try decide(escalate(.reminder, "2025-01-01"), given: F.assignedHistory)
        }
    }

    // MARK: Overdue, derived

    @Test func `an item is overdue the day after its due date while nobody has answered`() throws {
        let item = try #require(snapshot(F.assignedHistory))
        #expect(!item.isOverdue(asOf: day("2024-11-30")))
        #expect(item.isOverdue(asOf: day("2024-12-01")))
    }

    @Test func `an item without a due date is never overdue`() throws {
        #expect(try #require(snapshot(F.openHistory)).isOverdue(asOf: day("2030-01-01")) == false)
    }

    @Test func `an answered or accepted item is not overdue; a reopened one is again`() throws {
        #expect(try #require(snapshot(F.answeredHistory)).isOverdue(asOf: day("2024-12-31")) == false)
        #expect(try #require(snapshot(F.acceptedHistory)).isOverdue(asOf: day("2024-12-31")) == false)
        #expect(try #require(snapshot(F.reopenedHistory)).isOverdue(asOf: day("2024-12-31")))
    }

    @Test func `a due-date change or a supervision notice moves the day an item becomes overdue`() throws {
        let changed =
            F.assignedHistory + [
                .dueDateChanged(
                    date: day("2024-11-25"), dueDate: day("2025-01-31"), previous: day("2024-11-30"), reason: "跨年度",
                    approver: "李主任")
            ]
        #expect(try #require(snapshot(changed)).isOverdue(asOf: day("2024-12-31")) == false)
        #expect(try #require(snapshot(changed)).isOverdue(asOf: day("2025-02-01")))
        let noticed =
            changed + [
                .escalated(Item.Escalation(step: .reminder, date: day("2024-12-01"))),
                .escalated(
                    Item.Escalation(step: .supervisionNotice, date: day("2024-12-05"), dueDate: day("2024-12-20"))),
            ]
        #expect(try #require(snapshot(noticed)).isOverdue(asOf: day("2024-12-21")))
    }

    // MARK: Messages

    @Test func `error descriptions are actionable sentences`() {
        #expect(
            Item.Error.departmentNotOnItem(F.kjj, departments: [F.mzj, F.fgw]).description
                == "Department \"kjj\" is not on the item (its departments are mzj, fgw); answer as one of them.")
        #expect(
            Item.Error.escalationOutOfOrder(step: .committeeReport, expected: .supervisionNotice).description.hasPrefix(
                "Cannot escalate to committee-report now; the next step is supervision-notice"))
        let all: [Item.Error] =
            [
                .notAdded, .alreadyAdded(F.itemID), .alreadyAccepted(F.itemID), .notAnswered(F.itemID),
                .wrongState(action: .answer, state: .open, required: [.assigned]), .yearOutOfRange(1999),
                .idYearMismatch(id: F.itemID, year: 2025), .textTooLong(.text, max: 2000),
                .unknownDepartment(F.fgw), .duplicateDepartment(F.fgw), .leadAlsoCo(F.mzj), .coWithoutLead,
                .departmentNotOnItem(F.kjj, departments: []), .departmentNotOnItem(F.kjj, departments: [F.mzj]),
                .dateInFuture(day("2025-01-01"), today: day("2024-12-31")),
                .dateBeforeCreated(day("2024-01-01"), created: day("2024-02-01")),
                .dateBeforePreviousStep(day("2024-01-01"), previous: day("2024-02-01")),
                .dueDateNotAfterDate(dueDate: day("2024-01-01"), date: day("2024-01-01")),
                .dueDateRequired(.assign), .dueDateRequired(.escalate), .dueDateInForce(day("2024-11-30")),
                .noDueDate(F.itemID), .dueDateUnchanged(day("2024-11-30")),
                .escalationOutOfOrder(step: .committeeReport, expected: .reminder),
                .escalationRepeated(.reminder), .escalationFinished(F.itemID), .dueDateNotAllowed(.reminder),
                .leaderNotAllowed(.reminder),
            ] + Item.Field.allCases.map { .empty($0) } + Item.Action.allCases.map { .reasonRequired($0) }
        for error in all {
            #expect(error.description.first?.isUppercase == true && error.description.hasSuffix("."), "\(error)")
            #expect(!error.description.contains("Optional("), "\(error)")
        }
        let distinct = all.filter {
            if case .reasonRequired(let action) = $0 { return [.answer, .reopen, .changeDueDate].contains(action) }
            return true
        }
        #expect(Set(distinct.map(\.description)).count == distinct.count)
    }
}

extension Item.Answer {
    /// The same answer on another day.
    fileprivate func with(date: String) -> Item.Answer {
        var copy = self
        copy.date = day(date)
        return copy
    }
}

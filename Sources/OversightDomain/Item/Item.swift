/// A tracked item (问题、意见建议、审议意见): a problem, recommendation or deliberation opinion of a topic, an
/// inquiry or a liaison station, followed until its implementation is accepted; the decider of the stream
/// "item-<id>".
///
/// Lifecycle:
/// ```
/// add ─▶ open ─(assign)─▶ assigned ─(answer)─▶ answered ─(accept)─▶ accepted
///   └──(with a lead)──────────▲                   │    ▲                 │
///                                         (reopen)▼    │(answer)         │(reopen)
///                                              reopened ◀────────────────┘
/// ```
/// - `add` records the item under an id the caller assigns, `open`, or `assigned` when it names a lead.
/// - `assign` names the lead department and the co-departments, and sets the due date (from `open`, `assigned`
///   or `reopened`; a reopened item stays `reopened` until answered again). When a due date is already in force,
///   assigning keeps it: moving it is a ``Command/changeDueDate(date:dueDate:reason:approver:)`` with a reason and
///   an approver, so that departments cannot quietly move their own target dates.
/// - `answer` by one department of the item (lead or co; each may answer separately, and again) with a text and
///   a claimed status; `cannot-resolve-now` needs a reason. Any answer makes the item `answered`.
/// - `accept` (accepted implementation, closed-implemented) needs an answer since the item was last (re)opened.
/// - `reopen` with a reason, from `answered` or `accepted`.
/// - `changeDueDate`: its own event, with the new date, the reason and who approved it.
/// - `escalate` (督办): reminder → supervision notice (with a new due date) → leader supervision (a named
///   leader) → committee report, in this order, each once; on an assigned, answered or reopened item.
/// - Being overdue is derived, never stored: ``Snapshot/isOverdue(asOf:)``.
///
/// Rules a clerk meets, checked in this order (the first broken rule is reported):
/// 1. State: a command other than `add` needs an added item (``Error/notAdded``); `add` needs a new id
///    (``Error/alreadyAdded(_:)``); nothing but `reopen` changes an accepted item (``Error/alreadyAccepted(_:)``);
///    `accept` needs an answer since the last (re)opening (``Error/notAnswered(_:)``); otherwise the command must
///    suit the state (``Error/wrongState(action:state:required:)``).
/// 2. Content: the created date's year is within ``years`` and is the id's year; aspect and text are not empty;
///    texts fit their ``Field/maxLength``; departments are registered (``DecisionContext/knownDepartments``),
///    listed once, the lead not also a co-department, and co-departments only with a lead; an answering department
///    is on the item; reasons and approvers are given; escalation steps come in order.
/// 3. Dates of things that happened are not later than ``DecisionContext/today`` and not before the item was
///    created; an answer is not dated before the assignment or the last reopening, an acceptance or reopening
///    not before the latest answer, an escalation not before the previous one. A due date is after the date it
///    is set on.
///
/// Texts are trimmed of surrounding white space (including the ideographic space); an optional text that is empty
/// becomes `nil`. Lengths count characters (grapheme clusters). Events carry the cleaned values.
///
/// Pure: no I/O, no clock, no random. Today arrives in the ``DecisionContext``.
public enum Item {
    /// The years an item may be created in.
    public static let years: ClosedRange<Int> = 2000...2100

    /// A new item as the clerk records it.
    public struct Draft: Sendable, Equatable {
        /// The topic, inquiry or liaison station it belongs to.
        public var parent: ItemParent
        /// Problem, recommendation or opinion.
        public var kind: ItemKind
        /// The aspect (方面) it is grouped under: items are counted "N aspects, M items".
        public var aspect: String
        /// What the problem, recommendation or opinion says.
        public var text: String
        /// The lead department (牵头单位), if already known.
        public var lead: DepartmentCode?
        /// The co-departments (配合单位), in the order given; only with a lead.
        public var coDepartments: [DepartmentCode]
        /// The day by which the departments must answer, if already set.
        public var dueDate: LocalDate?
        /// The day the item was drawn up; its year is the id's year.
        public var createdOn: LocalDate

        /// Creates a draft.
        public init(
            parent: ItemParent, kind: ItemKind, aspect: String, text: String, lead: DepartmentCode? = nil,
            coDepartments: [DepartmentCode] = [], dueDate: LocalDate? = nil, createdOn: LocalDate
        ) {
            self.parent = parent
            self.kind = kind
            self.aspect = aspect
            self.text = text
            self.lead = lead
            self.coDepartments = coDepartments
            self.dueDate = dueDate
            self.createdOn = createdOn
        }
    }

    /// A department's answer (反馈) to an item.
    public struct Answer: Sendable, Equatable {
        /// The answering department: the lead or a co-department of the item.
        public var department: DepartmentCode
        /// The day of the answer.
        public var date: LocalDate
        /// What the department answered.
        public var text: String
        /// The status the department claims.
        public var claimed: ClaimedStatus
        /// Why it cannot be resolved now; required for ``ClaimedStatus/cannotResolveNow``, optional otherwise.
        public var reason: String?

        /// Creates an answer.
        public init(
            department: DepartmentCode, date: LocalDate, text: String, claimed: ClaimedStatus, reason: String? = nil
        ) {
            self.department = department
            self.date = date
            self.text = text
            self.claimed = claimed
            self.reason = reason
        }
    }

    /// One escalation step (督办) taken on an item.
    public struct Escalation: Sendable, Equatable {
        /// Which step.
        public var step: EscalationStep
        /// The day it was taken.
        public var date: LocalDate
        /// The new due date a supervision notice sets; only on ``EscalationStep/supervisionNotice``.
        public var dueDate: LocalDate?
        /// The leader who supervises; only on ``EscalationStep/leaderSupervision``.
        public var leader: String?
        /// A note.
        public var note: String?

        /// Creates an escalation step.
        public init(
            step: EscalationStep, date: LocalDate, dueDate: LocalDate? = nil, leader: String? = nil,
            note: String? = nil
        ) {
            self.step = step
            self.date = date
            self.dueDate = dueDate
            self.leader = leader
            self.note = note
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Records a new item under the id the caller assigned.
        case add(id: ItemID, Draft)
        /// Names the lead and co-departments; `dueDate` is required unless one is in force, and may not move it.
        case assign(date: LocalDate, lead: DepartmentCode, coDepartments: [DepartmentCode], dueDate: LocalDate?)
        /// Records a department's answer.
        case answer(Answer)
        /// Accepts the implementation (closes the item).
        case accept(date: LocalDate, note: String?)
        /// Reopens an answered or accepted item.
        case reopen(date: LocalDate, reason: String)
        /// Moves the due date, with the reason and who approved it.
        case changeDueDate(date: LocalDate, dueDate: LocalDate, reason: String, approver: String)
        /// Takes the next escalation step.
        case escalate(Escalation)

        /// What the command does, for error messages.
        public var action: Action {
            switch self {
            case .add: .add
            case .assign: .assign
            case .answer: .answer
            case .accept: .accept
            case .reopen: .reopen
            case .changeDueDate: .changeDueDate
            case .escalate: .escalate
            }
        }
    }

    /// What happened to an item; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// The item was recorded.
        case added(id: ItemID, Draft)
        /// The item was assigned; `dueDate` is the due date in force afterwards.
        case assigned(date: LocalDate, lead: DepartmentCode, coDepartments: [DepartmentCode], dueDate: LocalDate)
        /// A department answered.
        case answered(Answer)
        /// The implementation was accepted.
        case accepted(date: LocalDate, note: String?)
        /// The item was reopened.
        case reopened(date: LocalDate, reason: String)
        /// The due date moved from `previous` to `dueDate`.
        case dueDateChanged(date: LocalDate, dueDate: LocalDate, previous: LocalDate, reason: String, approver: String)
        /// An escalation step was taken.
        case escalated(Escalation)
    }

    /// What the decider knows about an item.
    public enum State: Sendable, Equatable {
        /// Not added yet.
        case absent
        /// Added; everything known about it.
        case existing(Snapshot)
    }

    /// Everything the decider and the read models need about an item.
    public struct Snapshot: Sendable, Equatable {
        /// The item's id.
        public var id: ItemID
        /// The item as added.
        public var draft: Draft
        /// Where it stands.
        public var state: ItemState
        /// The lead department in force.
        public var lead: DepartmentCode?
        /// The co-departments in force.
        public var coDepartments: [DepartmentCode]
        /// The due date in force.
        public var dueDate: LocalDate?
        /// The day the departments in force were named.
        public var assignedOn: LocalDate?
        /// Every answer, in order.
        public var answers: [Answer]
        /// The latest date of an answer.
        public var lastAnswerDate: LocalDate?
        /// The day the implementation was accepted, while it is accepted.
        public var acceptedOn: LocalDate?
        /// The day of the latest reopening.
        public var reopenedOn: LocalDate?
        /// How often the item was reopened.
        public var reopenCount: Int
        /// The latest escalation step taken.
        public var escalation: EscalationStep?
        /// The day of the latest escalation step.
        public var escalatedOn: LocalDate?

        /// A freshly added item: `assigned` when the draft names a lead, else `open`.
        public init(id: ItemID, draft: Draft) {
            self.id = id
            self.draft = draft
            state = draft.lead == nil ? .open : .assigned
            lead = draft.lead
            coDepartments = draft.coDepartments
            dueDate = draft.dueDate
            assignedOn = draft.lead == nil ? nil : draft.createdOn
            answers = []
            reopenCount = 0
        }

        /// The departments on the item: the lead first, then the co-departments.
        public var departments: [DepartmentCode] {
            (lead.map { [$0] } ?? []) + coDepartments
        }

        /// Whether the item is overdue on `day`: not accepted, not answered since it was last (re)opened, and its
        /// due date is before `day`.
        public func isOverdue(asOf day: LocalDate) -> Bool {
            guard state != .accepted, state != .answered, let dueDate else { return false }
            return dueDate < day
        }
    }

    /// The commands by name, as used in error messages.
    public enum Action: String, Sendable, CaseIterable {
        /// ``Command/add(id:_:)``.
        case add
        /// ``Command/assign(date:lead:coDepartments:dueDate:)``.
        case assign
        /// ``Command/answer(_:)``.
        case answer
        /// ``Command/accept(date:note:)``.
        case accept
        /// ``Command/reopen(date:reason:)``.
        case reopen
        /// ``Command/changeDueDate(date:dueDate:reason:approver:)``.
        case changeDueDate = "change-due-date"
        /// ``Command/escalate(_:)``.
        case escalate

        /// The verb phrase for a sentence: "cannot <phrase> the item".
        public var phrase: String {
            switch self {
            case .add: "add"
            case .assign: "assign"
            case .answer: "answer"
            case .accept: "accept"
            case .reopen: "reopen"
            case .changeDueDate: "change the due date of"
            case .escalate: "escalate"
            }
        }
    }

    /// The texts of an item that have a length limit.
    public enum Field: String, Sendable, CaseIterable {
        /// The aspect (方面).
        case aspect
        /// The item's text.
        case text
        /// An answer's text.
        case answer
        /// A reason (of an answer, a reopening or a due-date change).
        case reason
        /// Who approved a due-date change.
        case approver
        /// The leader of a leader supervision.
        case leader
        /// A note of an acceptance or escalation.
        case note

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .aspect, .approver, .leader: 100
            case .text, .answer, .reason, .note: 2000
            }
        }
    }

    /// Why an item command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The item is not added yet, so only `add` is possible.
        case notAdded
        /// An item with this id is already added.
        case alreadyAdded(ItemID)
        /// The item's implementation is accepted; only a reopening changes it.
        case alreadyAccepted(ItemID)
        /// Accepting needs an answer since the item was assigned or last reopened.
        case notAnswered(ItemID)
        /// The command does not suit the item's state; `required` lists the states it needs.
        case wrongState(action: Action, state: ItemState, required: [ItemState])
        /// The created date's year is outside ``Item/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the year of the created date.
        case idYearMismatch(id: ItemID, year: Int)
        /// A required text is empty or only white space.
        case empty(Field)
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// A department is not registered.
        case unknownDepartment(DepartmentCode)
        /// A department is listed twice among the co-departments.
        case duplicateDepartment(DepartmentCode)
        /// The lead department is also listed as a co-department.
        case leadAlsoCo(DepartmentCode)
        /// Co-departments are named without a lead department.
        case coWithoutLead
        /// The answering department is not the lead or a co-department of the item.
        case departmentNotOnItem(DepartmentCode, departments: [DepartmentCode])
        /// A reason is required for this command (a reopening, a due-date change, a cannot-resolve-now answer).
        case reasonRequired(Action)
        /// A date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// A date is before the item was created.
        case dateBeforeCreated(LocalDate, created: LocalDate)
        /// A date is before the previous step it must follow.
        case dateBeforePreviousStep(LocalDate, previous: LocalDate)
        /// A due date is not after the date it was set on.
        case dueDateNotAfterDate(dueDate: LocalDate, date: LocalDate)
        /// A due date is needed: for a first assignment or a supervision notice.
        case dueDateRequired(Action)
        /// Assigning would move the due date in force; that needs a due-date change with reason and approver.
        case dueDateInForce(LocalDate)
        /// The item has no due date to change.
        case noDueDate(ItemID)
        /// The new due date is the one in force.
        case dueDateUnchanged(LocalDate)
        /// The escalation step is not the next one; `expected` is the next step.
        case escalationOutOfOrder(step: EscalationStep, expected: EscalationStep)
        /// The escalation step was already taken.
        case escalationRepeated(EscalationStep)
        /// Every escalation step was taken, up to the report to the committee.
        case escalationFinished(ItemID)
        /// A due date was given for an escalation step other than the supervision notice.
        case dueDateNotAllowed(EscalationStep)
        /// A leader was given for an escalation step other than the leader supervision.
        case leaderNotAllowed(EscalationStep)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .notAdded:
                "The item is not added yet; add it first."
            case .alreadyAdded(let id):
                "Item \(id) is already added; add a new item under the next free id."
            case .alreadyAccepted(let id):
                "Item \(id) is accepted (closed); reopen it first if its implementation is not accepted after all."
            case .notAnswered(let id):
                "Item \(id) has no answer since it was assigned or last reopened; record an answer before accepting."
            case .wrongState(let action, let state, let required):
                "Cannot \(action.phrase) the item while it is \(state.rawValue); it must be "
                    + required.map(\.rawValue).joined(separator: " or ") + "."
            case .yearOutOfRange(let year):
                "The year \(year) is out of range; use a created date from \(Item.years.lowerBound) to "
                    + "\(Item.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Item id \(id) does not belong to the year \(year) of the created date; use an id of the form "
                    + "I\(year)-NNN."
            case .empty(let field):
                switch field {
                case .aspect: "The aspect (方面) is empty; say which aspect the item belongs to."
                case .text: "The item's text is empty; say what the problem, recommendation or opinion is."
                case .answer: "The answer's text is empty; say what the department answered."
                case .reason: "The reason is empty; say why."
                case .approver: "The approver is empty; name who approved the due-date change."
                case .leader: "The leader is empty; name the leader who supervises the item."
                case .note: "The note is empty; write the note or leave it out."
                }
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .unknownDepartment(let code):
                "Department \"\(code)\" is not registered; add it first or correct the code."
            case .duplicateDepartment(let code):
                "Department \"\(code)\" is listed twice; list each department once."
            case .leadAlsoCo(let code):
                "Department \"\(code)\" is the lead department and cannot also be a co-department."
            case .coWithoutLead:
                "Co-departments are named without a lead department; name the lead department too."
            case .departmentNotOnItem(let code, let departments):
                "Department \"\(code)\" is not on the item"
                    + (departments.isEmpty
                        ? "; assign the item first."
                        : " (its departments are "
                            + departments.map(\.rawValue).joined(separator: ", ") + "); answer as one of them.")
            case .reasonRequired(let action):
                switch action {
                case .answer:
                    "An answer claiming cannot-resolve-now needs a reason; say why it cannot be resolved now."
                case .reopen: "Reopening needs a reason; say why the answer or implementation is not accepted."
                case .changeDueDate: "A due-date change needs a reason; say why the due date moves."
                default: "Cannot \(action.phrase) the item without a reason; say why."
                }
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only what has happened."
            case .dateBeforeCreated(let date, let created):
                "The date \(date) is before the item was created on \(created); check the date."
            case .dateBeforePreviousStep(let date, let previous):
                "The date \(date) is before the item's previous step on \(previous); check the date."
            case .dueDateNotAfterDate(let dueDate, let date):
                "The due date \(dueDate) is not after \(date); give a later due date."
            case .dueDateRequired(let action):
                action == .escalate
                    ? "A supervision notice sets a new due date; give one."
                    : "The item has no due date yet; give one to \(action.phrase) the item."
            case .dueDateInForce(let dueDate):
                "The item is due \(dueDate); assigning keeps that date. Change it as a due-date change, "
                    + "with the reason and who approved it."
            case .noDueDate(let id):
                "Item \(id) has no due date to change; set one by assigning the item."
            case .dueDateUnchanged(let dueDate):
                "The item is already due \(dueDate); nothing to change."
            case .escalationOutOfOrder(let step, let expected):
                "Cannot escalate to \(step.rawValue) now; the next step is \(expected.rawValue) "
                    + "(reminder, supervision-notice, leader-supervision, committee-report, in this order)."
            case .escalationRepeated(let step):
                "The \(step.rawValue) step was already taken; take the next step instead."
            case .escalationFinished(let id):
                "Item \(id) was already reported to the committee, the last escalation step; nothing is left to take."
            case .dueDateNotAllowed(let step):
                "A new due date belongs to the supervision notice, not to the \(step.rawValue) step; leave it out."
            case .leaderNotAllowed(let step):
                "A leader belongs to the leader-supervision step, not to the \(step.rawValue) step; leave it out."
            }
        }
    }

    /// The state of an item stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to an item; refuses only with an ``Item/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The item's state, folded from its stream.
    ///   - context: Today and the registered departments.
    /// - Returns: The events to record (one per accepted command).
    /// - Throws: ``Item/Error``, the first rule the command breaks (see the rules on ``Item``).
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        switch (command, state) {
        case (.add(let id, let draft), .absent):
            return [.added(id: id, try validated(draft, id: id, context))]
        case (.add, .existing(let item)):
            throw .alreadyAdded(item.id)
        case (_, .absent):
            throw .notAdded

        case (.assign(let date, let lead, let coDepartments, let dueDate), .existing(let item)):
            try item.require(.assign, in: [.open, .assigned, .reopened])
            try checkDepartments(lead: lead, coDepartments: coDepartments, context)
            try item.checkDate(date, context)
            let due: LocalDate
            switch (dueDate, item.dueDate) {
            case (let given?, let current?):
                guard given == current else { throw .dueDateInForce(current) }
                due = current
            case (let given?, nil):
                guard given > date else { throw .dueDateNotAfterDate(dueDate: given, date: date) }
                due = given
            case (nil, let current?):
                due = current
            case (nil, nil):
                throw .dueDateRequired(.assign)
            }
            return [.assigned(date: date, lead: lead, coDepartments: coDepartments, dueDate: due)]

        case (.answer(let answer), .existing(let item)):
            try item.require(.answer, in: [.assigned, .answered, .reopened])
            guard item.departments.contains(answer.department) else {
                throw .departmentNotOnItem(answer.department, departments: item.departments)
            }
            let text = try requiredText(answer.text, .answer)
            let reason = try optionalText(answer.reason, .reason)
            if answer.claimed == .cannotResolveNow, reason == nil { throw .reasonRequired(.answer) }
            try item.checkDate(answer.date, context)
            try checkAfter(answer.date, item.assignedOn, item.reopenedOn)
            return [
                .answered(
                    Answer(
                        department: answer.department, date: answer.date, text: text, claimed: answer.claimed,
                        reason: reason))
            ]

        case (.accept(let date, let note), .existing(let item)):
            guard item.state != .accepted else { throw .alreadyAccepted(item.id) }
            guard item.state == .answered else { throw .notAnswered(item.id) }
            let note = try optionalText(note, .note)
            try item.checkDate(date, context)
            try checkAfter(date, item.lastAnswerDate)
            return [.accepted(date: date, note: note)]

        case (.reopen(let date, let reason), .existing(let item)):
            guard [ItemState.answered, .accepted].contains(item.state) else {
                throw .wrongState(action: .reopen, state: item.state, required: [.answered, .accepted])
            }
            guard let reason = try optionalText(reason, .reason) else { throw .reasonRequired(.reopen) }
            try item.checkDate(date, context)
            try checkAfter(date, item.lastAnswerDate, item.acceptedOn)
            return [.reopened(date: date, reason: reason)]

        case (.changeDueDate(let date, let dueDate, let reason, let approver), .existing(let item)):
            try item.require(.changeDueDate, in: [.open, .assigned, .answered, .reopened])
            guard let current = item.dueDate else { throw .noDueDate(item.id) }
            guard let reason = try optionalText(reason, .reason) else { throw .reasonRequired(.changeDueDate) }
            let approver = try requiredText(approver, .approver)
            try item.checkDate(date, context)
            guard dueDate != current else { throw .dueDateUnchanged(current) }
            guard dueDate > date else { throw .dueDateNotAfterDate(dueDate: dueDate, date: date) }
            return [
                .dueDateChanged(date: date, dueDate: dueDate, previous: current, reason: reason, approver: approver)
            ]

        case (.escalate(let escalation), .existing(let item)):
            try item.require(.escalate, in: [.assigned, .answered, .reopened])
            let expected: EscalationStep
            if let taken = item.escalation {
                guard let next = taken.next else { throw .escalationFinished(item.id) }
                guard escalation.step > taken else { throw .escalationRepeated(escalation.step) }
                expected = next
            } else {
                expected = .reminder
            }
            guard escalation.step == expected else {
                throw .escalationOutOfOrder(step: escalation.step, expected: expected)
            }
            let leader = try optionalText(escalation.leader, .leader)
            let note = try optionalText(escalation.note, .note)
            switch escalation.step {
            case .supervisionNotice:
                guard escalation.dueDate != nil else { throw .dueDateRequired(.escalate) }
            default:
                guard escalation.dueDate == nil else { throw .dueDateNotAllowed(escalation.step) }
            }
            switch escalation.step {
            case .leaderSupervision:
                guard leader != nil else { throw .empty(.leader) }
            default:
                guard leader == nil else { throw .leaderNotAllowed(escalation.step) }
            }
            try item.checkDate(escalation.date, context)
            try checkAfter(escalation.date, item.assignedOn, item.escalatedOn)
            if let dueDate = escalation.dueDate, dueDate <= escalation.date {
                throw .dueDateNotAfterDate(dueDate: dueDate, date: escalation.date)
            }
            return [
                .escalated(
                    Escalation(
                        step: escalation.step, date: escalation.date, dueDate: escalation.dueDate, leader: leader,
                        note: note))
            ]
        }
    }

    /// Applies one recorded event; never fails, because history is already decided.
    ///
    /// An event that cannot follow the state (which a decided history never holds) leaves the state unchanged.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch (state, event) {
        case (.absent, .added(let id, let draft)):
            return .existing(Snapshot(id: id, draft: draft))
        case (.absent, _), (.existing, .added):
            return state
        case (.existing(var item), .assigned(let date, let lead, let coDepartments, let dueDate)):
            item.lead = lead
            item.coDepartments = coDepartments
            item.dueDate = dueDate
            item.assignedOn = date
            if item.state == .open { item.state = .assigned }
            return .existing(item)
        case (.existing(var item), .answered(let answer)):
            item.answers.append(answer)
            item.lastAnswerDate = max(item.lastAnswerDate ?? answer.date, answer.date)
            item.state = .answered
            return .existing(item)
        case (.existing(var item), .accepted(let date, _)):
            item.state = .accepted
            item.acceptedOn = date
            return .existing(item)
        case (.existing(var item), .reopened(let date, _)):
            item.state = .reopened
            item.acceptedOn = nil
            item.reopenedOn = date
            item.reopenCount += 1
            return .existing(item)
        case (.existing(var item), .dueDateChanged(_, let dueDate, _, _, _)):
            item.dueDate = dueDate
            return .existing(item)
        case (.existing(var item), .escalated(let escalation)):
            item.escalation = escalation.step
            item.escalatedOn = escalation.date
            if let dueDate = escalation.dueDate { item.dueDate = dueDate }
            return .existing(item)
        }
    }

    /// The stream that holds an item's events: "item-<id>".
    public static func stream(_ id: ItemID) -> StreamID {
        id.stream
    }

    // MARK: Validation

    private static func validated(_ draft: Draft, id: ItemID, _ context: DecisionContext) throws(Error) -> Draft {
        let year = draft.createdOn.year
        guard years.contains(year) else { throw .yearOutOfRange(year) }
        guard id.year == year else { throw .idYearMismatch(id: id, year: year) }
        let aspect = try requiredText(draft.aspect, .aspect)
        let text = try requiredText(draft.text, .text)
        if let lead = draft.lead {
            try checkDepartments(lead: lead, coDepartments: draft.coDepartments, context)
        } else if !draft.coDepartments.isEmpty {
            throw .coWithoutLead
        }
        guard draft.createdOn <= context.today else { throw .dateInFuture(draft.createdOn, today: context.today) }
        if let dueDate = draft.dueDate, dueDate <= draft.createdOn {
            throw .dueDateNotAfterDate(dueDate: dueDate, date: draft.createdOn)
        }
        var cleaned = draft
        cleaned.aspect = aspect
        cleaned.text = text
        return cleaned
    }

    /// Checks the departments of an assignment: registered, listed once, the lead not also a co-department.
    private static func checkDepartments(
        lead: DepartmentCode, coDepartments: [DepartmentCode], _ context: DecisionContext
    ) throws(Error) {
        guard context.knownDepartments.contains(lead) else { throw .unknownDepartment(lead) }
        var seen: Set<DepartmentCode> = []
        for code in coDepartments {
            guard context.knownDepartments.contains(code) else { throw .unknownDepartment(code) }
            guard code != lead else { throw .leadAlsoCo(code) }
            guard seen.insert(code).inserted else { throw .duplicateDepartment(code) }
        }
    }

    /// Refuses a date before any of the given earlier steps.
    private static func checkAfter(_ date: LocalDate, _ previous: LocalDate?...) throws(Error) {
        for case let step? in previous where date < step {
            throw .dateBeforePreviousStep(date, previous: step)
        }
    }

    /// The trimmed text; refuses one that is empty or longer than the field allows.
    private static func requiredText(_ text: String, _ field: Field) throws(Error) -> String {
        guard let text = try optionalText(text, field) else { throw .empty(field) }
        return text
    }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }
}

extension Item: Decider {}

extension Item.Snapshot {
    /// Refuses a command on an accepted item or in a state the command does not accept.
    fileprivate func require(_ action: Item.Action, in allowed: [ItemState]) throws(Item.Error) {
        guard state != .accepted else { throw .alreadyAccepted(id) }
        guard allowed.contains(state) else { throw .wrongState(action: action, state: state, required: allowed) }
    }

    /// Checks the date of something that happened: not after today, not before the item was created.
    fileprivate func checkDate(_ date: LocalDate, _ context: DecisionContext) throws(Item.Error) {
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        guard date >= draft.createdOn else { throw .dateBeforeCreated(date, created: draft.createdOn) }
    }
}

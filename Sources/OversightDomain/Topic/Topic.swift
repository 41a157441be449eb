/// A supervision topic (监督议题) of the annual supervision plan, from planning to closing: the decider of the
/// stream "topic-<id>".
///
/// Lifecycle:
/// ```
/// plan ─▶ planned ─(first activity)─▶ under-way ─▶ deliberated ─▶ opinions-transferred ─▶ handling-reported ─▶ closed
///            └──────────(deliberate)──────────────────▲                    ▲                      │
///                                                                          └──────(send back)─────┘
/// ```
/// - `plan` creates the topic in `planned`. Its id is assigned by the caller.
/// - `recordActivity` (field visit, inspection, research, symposium) is allowed in every status but `closed`;
///   the first one moves `planned` to `under-way`, later ones leave the status alone.
/// - `deliberate` (at a numbered committee session) from `planned` or `under-way`.
/// - `transferOpinions` from `deliberated`, with a due date for the handling report.
/// - `receiveHandlingReport` from `opinions-transferred`; a late report is accepted (being overdue is derived
///   from the due date, never stored).
/// - `sendBack` (限期整改、再次报告, after a failed evaluation) from `handling-reported`: back to
///   `opinions-transferred` with a new due date, in the next rectification round.
/// - `close` from `handling-reported`.
///
/// Rules a clerk meets, checked in this order (the first broken rule is reported):
/// 1. State: a command other than `plan` needs a planned topic (``Error/notPlanned``); `plan` needs a new id
///    (``Error/alreadyPlanned(_:)``); nothing changes a closed topic (``Error/alreadyClosed(_:)``); otherwise the
///    command must suit the status (``Error/wrongStatus(action:status:required:)``).
/// 2. Plan: the year is within ``years``; the id's year is the plan's year; the title is not empty; every text
///    fits its ``Field/maxLength``; departments are registered (``DecisionContext/knownDepartments``) and listed
///    once. A topic may name no department at all.
/// 3. Dates of things that happened (activities, sessions, transfers, reports, send-backs, closing) are not later
///    than ``DecisionContext/today`` and not before 1 January of the plan year. Lifecycle steps (deliberation,
///    transfer, report, send-back, close) are not dated before the previous step. Activities may be recorded
///    late and out of order, so they are not held to the steps' order.
/// 4. A due date is after the date of its transfer or send-back. A send-back gives a reason. A session number
///    (and a term, if given) is 1 or more; a number of people met is 0 or more.
///
/// Texts are trimmed of surrounding white space (including the ideographic space); an optional text that is
/// empty becomes `nil`; empty places and units are dropped. Lengths count characters (grapheme clusters).
/// Events carry the cleaned values.
///
/// Pure: no I/O, no clock, no random. Today arrives in the ``DecisionContext``.
public enum Topic {
    /// The plan years a topic may belong to.
    public static let years: ClosedRange<Int> = 2000...2100

    /// An item of the annual supervision plan (年度监督工作计划).
    public struct Plan: Sendable, Equatable, Codable {
        /// The plan year, such as 2024.
        public var year: Int
        /// The kind of supervision.
        public var kind: TopicKind
        /// The title, such as "《河南省创新驱动高质量发展条例》执法检查".
        public var title: String
        /// The responsible working committee, such as "教科文卫委".
        public var committee: String?
        /// The leader in charge, by name.
        public var leader: String?
        /// The departments under supervision, in the order given.
        public var departments: [DepartmentCode]
        /// The linked industry chain or theme, such as "尼龙新材料产业链".
        public var theme: String?

        /// Creates a plan item.
        public init(
            year: Int, kind: TopicKind, title: String, committee: String? = nil, leader: String? = nil,
            departments: [DepartmentCode] = [], theme: String? = nil
        ) {
            self.year = year
            self.kind = kind
            self.title = title
            self.committee = committee
            self.leader = leader
            self.departments = departments
            self.theme = theme
        }
    }

    /// Something done for a topic: a field visit, an inspection, research, a symposium.
    public struct Activity: Sendable, Equatable, Codable {
        /// What kind of activity.
        public var kind: ActivityKind
        /// The day it took place.
        public var date: LocalDate
        /// Places visited, such as counties ("舞钢市").
        public var places: [String]
        /// Units visited: departments, institutions, firms.
        public var units: [String]
        /// How many people were met or heard, if counted.
        public var peopleMet: Int?
        /// A short account.
        public var summary: String?

        /// Creates an activity record.
        public init(
            kind: ActivityKind, date: LocalDate, places: [String] = [], units: [String] = [], peopleMet: Int? = nil,
            summary: String? = nil
        ) {
            self.kind = kind
            self.date = date
            self.places = places
            self.units = units
            self.peopleMet = peopleMet
            self.summary = summary
        }
    }

    /// A standing committee session: "12th committee, 13th session, 2024-08-19" (市十二届人大常委会第十三次会议).
    public struct Session: Sendable, Equatable, Codable {
        /// The committee's term (届), such as 12, if recorded.
        public var term: Int?
        /// The session number within the term (第N次会议), 1 or more.
        public var number: Int
        /// The day of the session.
        public var date: LocalDate

        /// Creates a session reference.
        public init(term: Int? = nil, number: Int, date: LocalDate) {
            self.term = term
            self.number = number
            self.date = date
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Puts a topic in the annual plan under a caller-assigned id.
        case plan(id: TopicID, Plan)
        /// Records a field visit, inspection, research or symposium.
        case recordActivity(Activity)
        /// Records that the topic was heard and deliberated at a committee session.
        case deliberate(Session)
        /// Records that the deliberation opinions went to the government, with the due date of its report.
        case transferOpinions(date: LocalDate, dueDate: LocalDate, summary: String?)
        /// Records the government's report on how it handled the opinions.
        case receiveHandlingReport(date: LocalDate, summary: String?)
        /// Sends the topic back for re-rectification with a new due date (限期整改、再次报告).
        case sendBack(date: LocalDate, dueDate: LocalDate, reason: String)
        /// Closes the topic.
        case close(date: LocalDate, note: String?)

        /// What the command does, for error messages and mapping.
        public var action: Action {
            switch self {
            case .plan: .plan
            case .recordActivity: .recordActivity
            case .deliberate: .deliberate
            case .transferOpinions: .transferOpinions
            case .receiveHandlingReport: .receiveHandlingReport
            case .sendBack: .sendBack
            case .close: .close
            }
        }
    }

    /// What happened to a topic; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// The topic was put in the plan.
        case planned(id: TopicID, Plan)
        /// An activity was recorded.
        case activityRecorded(Activity)
        /// The topic was deliberated at a session.
        case deliberated(Session)
        /// The opinions were transferred, the report due on `dueDate`.
        case opinionsTransferred(date: LocalDate, dueDate: LocalDate, summary: String?)
        /// The handling report was received.
        case handlingReported(date: LocalDate, summary: String?)
        /// The topic was sent back; `round` is the rectification round that starts (2 for the first send-back).
        case sentBack(date: LocalDate, dueDate: LocalDate, reason: String, round: Int)
        /// The topic was closed.
        case closed(date: LocalDate, note: String?)
    }

    /// What the decider knows about a topic.
    public enum State: Sendable, Equatable {
        /// Not planned yet.
        case absent
        /// Planned; everything known about it.
        case existing(Snapshot)
    }

    /// Everything the decider and the read models need about a planned topic.
    public struct Snapshot: Sendable, Equatable {
        /// The topic's id.
        public var id: TopicID
        /// The plan item, as recorded.
        public var plan: Plan
        /// Where the topic stands.
        public var status: TopicStatus
        /// How many activities are recorded.
        public var activities: Int
        /// The latest date of a recorded activity.
        public var lastActivityDate: LocalDate?
        /// The session that deliberated the topic.
        public var session: Session?
        /// The day the opinions were first transferred.
        public var opinionsTransferredOn: LocalDate?
        /// The current due date of the handling report (moved by a send-back).
        public var dueDate: LocalDate?
        /// The rectification round: 0 before the opinions are transferred, 1 after, plus one per send-back.
        public var round: Int
        /// The date of the latest lifecycle step (deliberation, transfer, report, send-back, closing).
        public var lastStepDate: LocalDate?
        /// The day the topic was closed.
        public var closedOn: LocalDate?

        /// A freshly planned topic.
        public init(id: TopicID, plan: Plan) {
            self.id = id
            self.plan = plan
            status = .planned
            activities = 0
            round = 0
        }

        /// The latest date the topic's record carries (its "last activity" on a board), if any.
        public var lastDate: LocalDate? {
            switch (lastActivityDate, lastStepDate) {
            case (let activity?, let step?): max(activity, step)
            case (let date?, nil), (nil, let date?): date
            case (nil, nil): nil
            }
        }

        /// Whether the government's handling report is overdue on `day`: opinions are transferred (or the topic
        /// sent back), and the due date has passed.
        public func isOverdue(on day: LocalDate) -> Bool {
            guard status == .opinionsTransferred, let dueDate else { return false }
            return dueDate < day
        }
    }

    /// The commands by name, as used in error messages.
    public enum Action: String, Sendable, CaseIterable {
        /// ``Command/plan(id:_:)``.
        case plan
        /// ``Command/recordActivity(_:)``.
        case recordActivity = "record-activity"
        /// ``Command/deliberate(_:)``.
        case deliberate
        /// ``Command/transferOpinions(date:dueDate:summary:)``.
        case transferOpinions = "transfer-opinions"
        /// ``Command/receiveHandlingReport(date:summary:)``.
        case receiveHandlingReport = "receive-handling-report"
        /// ``Command/sendBack(date:dueDate:reason:)``.
        case sendBack = "send-back"
        /// ``Command/close(date:note:)``.
        case close

        /// The verb phrase for a sentence: "cannot <phrase> the topic".
        public var phrase: String {
            switch self {
            case .plan: "plan"
            case .recordActivity: "record an activity on"
            case .deliberate: "deliberate"
            case .transferOpinions: "transfer the opinions on"
            case .receiveHandlingReport: "receive a handling report on"
            case .sendBack: "send back"
            case .close: "close"
            }
        }
    }

    /// The texts of a topic that have a length limit.
    public enum Field: String, Sendable, CaseIterable {
        /// The plan's title.
        case title
        /// The plan's working committee.
        case committee
        /// The plan's leader.
        case leader
        /// The plan's theme.
        case theme
        /// One place of an activity.
        case place
        /// One unit of an activity.
        case unit
        /// An activity's, transfer's or report's summary.
        case summary
        /// A send-back's reason.
        case reason
        /// A closing note.
        case note

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .title, .theme, .place, .unit: 200
            case .committee, .leader: 100
            case .summary, .reason, .note: 2000
            }
        }
    }

    /// Why a topic command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The topic is not planned yet, so only `plan` is possible.
        case notPlanned
        /// A topic with this id is already planned.
        case alreadyPlanned(TopicID)
        /// The topic is closed; nothing more can be recorded.
        case alreadyClosed(TopicID)
        /// The command does not suit the topic's status; `required` lists the statuses it needs.
        case wrongStatus(action: Action, status: TopicStatus, required: [TopicStatus])
        /// The plan year is outside ``Topic/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the plan's year.
        case idYearMismatch(id: TopicID, year: Int)
        /// The title is empty or only white space.
        case emptyTitle
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// The plan names a department that is not registered.
        case unknownDepartment(DepartmentCode)
        /// The plan names a department twice.
        case duplicateDepartment(DepartmentCode)
        /// A date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// A date is before 1 January of the plan year.
        case dateBeforePlanYear(LocalDate, year: Int)
        /// A lifecycle step is dated before the previous step.
        case dateBeforePreviousStep(LocalDate, previous: LocalDate)
        /// A due date is not after the date it was set on.
        case dueDateNotAfterDate(dueDate: LocalDate, date: LocalDate)
        /// A send-back has no reason.
        case emptyReason
        /// A session number is below 1.
        case invalidSessionNumber(Int)
        /// A committee term is below 1.
        case invalidTerm(Int)
        /// A number of people met is negative.
        case negativePeopleMet(Int)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .notPlanned:
                "The topic is not planned yet; plan it first."
            case .alreadyPlanned(let id):
                "Topic \(id) is already planned; plan a new topic under the next free id."
            case .alreadyClosed(let id):
                "Topic \(id) is closed; nothing more can be recorded on it."
            case .wrongStatus(let action, let status, let required):
                "Cannot \(action.phrase) the topic while it is \(status.rawValue); it must be "
                    + required.map(\.rawValue).joined(separator: " or ") + "."
            case .yearOutOfRange(let year):
                "The plan year \(year) is out of range; use a year from \(Topic.years.lowerBound) to "
                    + "\(Topic.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Topic id \(id) does not belong to plan year \(year); use an id of the form T\(year)-NNN."
            case .emptyTitle:
                "The title is empty; give the topic a title."
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .unknownDepartment(let code):
                "Department \"\(code)\" is not registered; add it first or correct the code."
            case .duplicateDepartment(let code):
                "Department \"\(code)\" is listed twice; list each department once."
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only what has happened."
            case .dateBeforePlanYear(let date, let year):
                "The date \(date) is before the plan year \(year); check the date."
            case .dateBeforePreviousStep(let date, let previous):
                "The date \(date) is before the topic's previous step on \(previous); check the date."
            case .dueDateNotAfterDate(let dueDate, let date):
                "The due date \(dueDate) is not after \(date); give a later due date."
            case .emptyReason:
                "The reason is empty; say why the topic is sent back."
            case .invalidSessionNumber(let number):
                "The session number \(number) is invalid; use 1 or more."
            case .invalidTerm(let term):
                "The committee term \(term) is invalid; use 1 or more."
            case .negativePeopleMet(let count):
                "The number of people met (\(count)) is negative; use 0 or more, or leave it out."
            }
        }
    }

    /// The state of a topic stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to a topic; refuses only with a ``Topic/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The topic's state, folded from its stream.
    ///   - context: Today and the registered departments.
    /// - Returns: The events to record (one per accepted command).
    /// - Throws: ``Topic/Error``, the first rule the command breaks (see the rules on ``Topic``).
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        switch (command, state) {
        case (.plan(let id, let plan), .absent):
            return [.planned(id: id, try validated(plan, id: id, context))]
        case (.plan, .existing(let topic)):
            throw .alreadyPlanned(topic.id)
        case (.recordActivity, .absent), (.deliberate, .absent), (.transferOpinions, .absent),
            (.receiveHandlingReport, .absent), (.sendBack, .absent), (.close, .absent):
            throw .notPlanned

        case (.recordActivity(let activity), .existing(let topic)):
            try topic.require(
                .recordActivity, in: [.planned, .underWay, .deliberated, .opinionsTransferred, .handlingReported])
            return [.activityRecorded(try validated(activity, topic, context))]

        case (.deliberate(let session), .existing(let topic)):
            try topic.require(.deliberate, in: [.planned, .underWay])
            guard session.number >= 1 else { throw .invalidSessionNumber(session.number) }
            if let term = session.term, term < 1 { throw .invalidTerm(term) }
            try topic.checkStep(session.date, context)
            return [.deliberated(session)]

        case (.transferOpinions(let date, let dueDate, let summary), .existing(let topic)):
            try topic.require(.transferOpinions, in: [.deliberated])
            try topic.checkStep(date, context)
            guard dueDate > date else { throw .dueDateNotAfterDate(dueDate: dueDate, date: date) }
            let summary = try optionalText(summary, .summary)
            return [.opinionsTransferred(date: date, dueDate: dueDate, summary: summary)]

        case (.receiveHandlingReport(let date, let summary), .existing(let topic)):
            try topic.require(.receiveHandlingReport, in: [.opinionsTransferred])
            try topic.checkStep(date, context)
            return [.handlingReported(date: date, summary: try optionalText(summary, .summary))]

        case (.sendBack(let date, let dueDate, let reason), .existing(let topic)):
            try topic.require(.sendBack, in: [.handlingReported])
            try topic.checkStep(date, context)
            guard dueDate > date else { throw .dueDateNotAfterDate(dueDate: dueDate, date: date) }
            guard let reason = try optionalText(reason, .reason) else { throw .emptyReason }
            return [.sentBack(date: date, dueDate: dueDate, reason: reason, round: topic.round + 1)]

        case (.close(let date, let note), .existing(let topic)):
            try topic.require(.close, in: [.handlingReported])
            try topic.checkStep(date, context)
            return [.closed(date: date, note: try optionalText(note, .note))]
        }
    }

    /// Applies one recorded event; never fails, because history is already decided.
    ///
    /// An event that cannot follow the state (which a decided history never holds) leaves the state unchanged.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch (state, event) {
        case (.absent, .planned(let id, let plan)):
            return .existing(Snapshot(id: id, plan: plan))
        case (.absent, .activityRecorded), (.absent, .deliberated), (.absent, .opinionsTransferred),
            (.absent, .handlingReported), (.absent, .sentBack), (.absent, .closed), (.existing, .planned):
            return state
        case (.existing(var topic), .activityRecorded(let activity)):
            topic.activities += 1
            topic.lastActivityDate = max(topic.lastActivityDate ?? activity.date, activity.date)
            if topic.status == .planned { topic.status = .underWay }
            return .existing(topic)
        case (.existing(var topic), .deliberated(let session)):
            topic.status = .deliberated
            topic.session = session
            topic.lastStepDate = session.date
            return .existing(topic)
        case (.existing(var topic), .opinionsTransferred(let date, let dueDate, _)):
            topic.status = .opinionsTransferred
            topic.opinionsTransferredOn = date
            topic.dueDate = dueDate
            topic.round = 1
            topic.lastStepDate = date
            return .existing(topic)
        case (.existing(var topic), .handlingReported(let date, _)):
            topic.status = .handlingReported
            topic.lastStepDate = date
            return .existing(topic)
        case (.existing(var topic), .sentBack(let date, let dueDate, _, let round)):
            topic.status = .opinionsTransferred
            topic.dueDate = dueDate
            topic.round = round
            topic.lastStepDate = date
            return .existing(topic)
        case (.existing(var topic), .closed(let date, _)):
            topic.status = .closed
            topic.closedOn = date
            topic.lastStepDate = date
            return .existing(topic)
        }
    }

    /// The stream that holds a topic's events: "topic-<id>".
    public static func stream(_ id: TopicID) -> StreamID {
        StreamID(category: "topic", id: id.rawValue)
    }

    // MARK: Validation

    private static func validated(_ plan: Plan, id: TopicID, _ context: DecisionContext) throws(Error) -> Plan {
        guard years.contains(plan.year) else { throw .yearOutOfRange(plan.year) }
        guard id.year == plan.year else { throw .idYearMismatch(id: id, year: plan.year) }
        let title = plan.title.trimmed
        guard !title.isEmpty else { throw .emptyTitle }
        guard title.count <= Field.title.maxLength else { throw .textTooLong(.title, max: Field.title.maxLength) }
        var seen: Set<DepartmentCode> = []
        for code in plan.departments {
            guard context.knownDepartments.contains(code) else { throw .unknownDepartment(code) }
            guard seen.insert(code).inserted else { throw .duplicateDepartment(code) }
        }
        return Plan(
            year: plan.year, kind: plan.kind, title: title, committee: try optionalText(plan.committee, .committee),
            leader: try optionalText(plan.leader, .leader), departments: plan.departments,
            theme: try optionalText(plan.theme, .theme))
    }

    private static func validated(
        _ activity: Activity, _ topic: Snapshot, _ context: DecisionContext
    ) throws(Error) -> Activity {
        try topic.checkDate(activity.date, context)
        if let count = activity.peopleMet, count < 0 { throw .negativePeopleMet(count) }
        return Activity(
            kind: activity.kind, date: activity.date, places: try texts(activity.places, .place),
            units: try texts(activity.units, .unit), peopleMet: activity.peopleMet,
            summary: try optionalText(activity.summary, .summary))
    }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }

    /// The trimmed, non-empty texts of a list, in order.
    private static func texts(_ list: [String], _ field: Field) throws(Error) -> [String] {
        var result: [String] = []
        for text in list {
            if let text = try optionalText(text, field) { result.append(text) }
        }
        return result
    }
}

extension Topic: Decider {}

extension Topic.Snapshot {
    /// Refuses a command on a closed topic or in a status the command does not accept.
    fileprivate func require(_ action: Topic.Action, in allowed: [TopicStatus]) throws(Topic.Error) {
        guard status != .closed else { throw .alreadyClosed(id) }
        guard allowed.contains(status) else { throw .wrongStatus(action: action, status: status, required: allowed) }
    }

    /// Checks the date of something that happened: not after today, not before the plan year.
    fileprivate func checkDate(_ date: LocalDate, _ context: DecisionContext) throws(Topic.Error) {
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        guard date.year >= plan.year else { throw .dateBeforePlanYear(date, year: plan.year) }
    }

    /// Checks the date of a lifecycle step: as ``checkDate(_:_:)``, and not before the previous step.
    fileprivate func checkStep(_ date: LocalDate, _ context: DecisionContext) throws(Topic.Error) {
        try checkDate(date, context)
        if let previous = lastStepDate, date < previous { throw .dateBeforePreviousStep(date, previous: previous) }
    }
}

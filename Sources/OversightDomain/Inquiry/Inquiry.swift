/// A special inquiry (专题询问) held at a standing committee session, from scheduling to the transfer of its
/// deliberation opinions: the decider of the stream "inquiry-<id>".
///
/// Lifecycle:
/// ```
/// schedule ─▶ scheduled ─(first round)─▶ held ─(more rounds)─▶ held ─▶ concluded ─▶ transferred
/// ```
/// - `schedule` creates the inquiry in `scheduled`, at a numbered session on a subject, optionally linked to a
///   supervision topic (whose existence the caller checks). Its id is assigned by the caller. The session may be in
///   the future: scheduling records a plan, not something that happened.
/// - `recordRound` (a member asks, a department head answers) from `scheduled` or `held`; rounds are numbered
///   1, 2, 3… in the order recorded; the first moves the inquiry to `held`.
/// - `conclude` from `held` (an inquiry without rounds cannot be concluded).
/// - `transfer` (the deliberation opinions and the problem list go to the government, 交办) from `concluded`,
///   with a due date for the government's answer.
///
/// The on-the-spot rating of each round and the problem list are other aggregates (evaluations whose subject is
/// "Q2024-001/2", tracked items whose parent is the inquiry); this decider only numbers the rounds they refer to.
///
/// Rules a clerk meets, checked in this order (the first broken rule is reported):
/// 1. State: a command other than `schedule` needs a scheduled inquiry (``Error/notScheduled``); `schedule` needs a
///    new id (``Error/alreadyScheduled(_:)``); nothing changes a transferred inquiry
///    (``Error/alreadyTransferred(_:)``); concluding needs a round (``Error/noRounds(_:)``); otherwise the command
///    must suit the status (``Error/wrongStatus(action:status:required:)``).
/// 2. Schedule: the session's year is within ``years`` and is the id's year; the session number (and the term,
///    if given) is 1 or more; the subject is not empty; every text fits its ``Field/maxLength``.
/// 3. Round: questioner, respondent and question are not empty; texts fit; the respondent's department is
///    registered (``DecisionContext/knownDepartments``). The round's date (the session's date when not given) is
///    not before the session, not before the previous round, and not later than ``DecisionContext/today``.
/// 4. Conclusion and transfer are dated not later than today and not before the previous step (the last round,
///    the conclusion); the transfer's due date is after the transfer.
///
/// Texts are trimmed of surrounding white space (including the ideographic space); an optional text that is
/// empty becomes `nil`. Lengths count characters (grapheme clusters). Events carry the cleaned values.
///
/// Pure: no I/O, no clock, no random. Today arrives in the ``DecisionContext``.
public enum Inquiry {
    /// The years an inquiry's session may fall in.
    public static let years: ClosedRange<Int> = 2000...2100

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

    /// What is put on a session's agenda.
    public struct Schedule: Sendable, Equatable, Codable {
        /// The subject, such as "《河南省养老服务条例》贯彻实施情况".
        public var subject: String
        /// The session the inquiry is held at.
        public var session: Session
        /// The supervision topic the inquiry belongs to, if any.
        public var topicID: TopicID?
        /// The responsible working committee, such as "社会建设委".
        public var committee: String?

        /// Creates a schedule.
        public init(subject: String, session: Session, topicID: TopicID? = nil, committee: String? = nil) {
            self.subject = subject
            self.session = session
            self.topicID = topicID
            self.committee = committee
        }
    }

    /// One round (轮次): a committee member asks, a department head answers.
    public struct Round: Sendable, Equatable, Codable {
        /// The member who asks (询问人), by name.
        public var questioner: String
        /// The head who answers (应询人), by name.
        public var respondent: String
        /// The respondent's department, by code.
        public var department: DepartmentCode
        /// The question asked.
        public var question: String
        /// The answer in brief, if recorded.
        public var answerSummary: String?

        /// Creates a round.
        public init(
            questioner: String, respondent: String, department: DepartmentCode, question: String,
            answerSummary: String? = nil
        ) {
            self.questioner = questioner
            self.respondent = respondent
            self.department = department
            self.question = question
            self.answerSummary = answerSummary
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Schedules an inquiry at a session under a caller-assigned id.
        case schedule(id: InquiryID, Schedule)
        /// Records the next round; `date` defaults to the session's date.
        case recordRound(Round, date: LocalDate?)
        /// Records that the questioning is over.
        case conclude(date: LocalDate, note: String?)
        /// Records that the deliberation opinions and the problem list went to the government, due on `dueDate`.
        case transfer(date: LocalDate, dueDate: LocalDate, summary: String?)

        /// What the command does, for error messages and mapping.
        public var action: Action {
            switch self {
            case .schedule: .schedule
            case .recordRound: .recordRound
            case .conclude: .conclude
            case .transfer: .transfer
            }
        }
    }

    /// What happened to an inquiry; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// The inquiry was scheduled.
        case scheduled(id: InquiryID, Schedule)
        /// Round number `round` (1-based) was held on `date`.
        case roundRecorded(round: Int, date: LocalDate, Round)
        /// The questioning was concluded.
        case concluded(date: LocalDate, note: String?)
        /// The opinions were transferred, the government's answer due on `dueDate`.
        case transferred(date: LocalDate, dueDate: LocalDate, summary: String?)
    }

    /// What the decider knows about an inquiry.
    public enum State: Sendable, Equatable {
        /// Not scheduled yet.
        case absent
        /// Scheduled; everything known about it.
        case existing(Snapshot)
    }

    /// Everything the decider needs about a scheduled inquiry.
    public struct Snapshot: Sendable, Equatable {
        /// The inquiry's id.
        public var id: InquiryID
        /// The schedule, as recorded.
        public var schedule: Schedule
        /// Where the inquiry stands.
        public var status: InquiryStatus
        /// How many rounds are recorded (the number of the last one).
        public var rounds: Int
        /// The date of the last round.
        public var lastRoundDate: LocalDate?
        /// The day the questioning was concluded.
        public var concludedOn: LocalDate?
        /// The day the opinions were transferred.
        public var transferredOn: LocalDate?
        /// The due date of the government's answer.
        public var dueDate: LocalDate?

        /// A freshly scheduled inquiry.
        public init(id: InquiryID, schedule: Schedule) {
            self.id = id
            self.schedule = schedule
            status = .scheduled
            rounds = 0
        }

        /// The date of the latest step, against which the next step's date is checked.
        var lastStepDate: LocalDate? { transferredOn ?? concludedOn ?? lastRoundDate }
    }

    /// The commands by name, as used in error messages.
    public enum Action: String, Sendable, CaseIterable {
        /// ``Command/schedule(id:_:)``.
        case schedule
        /// ``Command/recordRound(_:date:)``.
        case recordRound = "record-round"
        /// ``Command/conclude(date:note:)``.
        case conclude
        /// ``Command/transfer(date:dueDate:summary:)``.
        case transfer

        /// The verb phrase for a sentence: "cannot <phrase> the inquiry".
        public var phrase: String {
            switch self {
            case .schedule: "schedule"
            case .recordRound: "record a round of"
            case .conclude: "conclude"
            case .transfer: "transfer the opinions of"
            }
        }
    }

    /// The texts of an inquiry that are required or have a length limit.
    public enum Field: String, Sendable, CaseIterable {
        /// The schedule's subject.
        case subject
        /// The schedule's working committee.
        case committee
        /// A round's questioner.
        case questioner
        /// A round's respondent.
        case respondent
        /// A round's question.
        case question
        /// A round's answer summary.
        case answerSummary = "answer summary"
        /// A conclusion's note.
        case note
        /// A transfer's summary of the opinions.
        case summary

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .subject: 200
            case .committee, .questioner, .respondent: 100
            case .question, .answerSummary, .note, .summary: 2000
            }
        }
    }

    /// Why an inquiry command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The inquiry is not scheduled yet, so only `schedule` is possible.
        case notScheduled
        /// An inquiry with this id is already scheduled.
        case alreadyScheduled(InquiryID)
        /// The inquiry's opinions are transferred; nothing more can be recorded.
        case alreadyTransferred(InquiryID)
        /// The command does not suit the inquiry's status; `required` lists the statuses it needs.
        case wrongStatus(action: Action, status: InquiryStatus, required: [InquiryStatus])
        /// The inquiry has no round, so it cannot be concluded.
        case noRounds(InquiryID)
        /// The session's year is outside ``Inquiry/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the session's year.
        case idYearMismatch(id: InquiryID, year: Int)
        /// A required text is empty or only white space.
        case emptyText(Field)
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// A round names a department that is not registered.
        case unknownDepartment(DepartmentCode)
        /// A session number is below 1.
        case invalidSessionNumber(Int)
        /// A committee term is below 1.
        case invalidTerm(Int)
        /// A date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// A round is dated before the session.
        case dateBeforeSession(LocalDate, session: LocalDate)
        /// A step is dated before the previous step (the previous round, the conclusion).
        case dateBeforePreviousStep(LocalDate, previous: LocalDate)
        /// A due date is not after the date it was set on.
        case dueDateNotAfterDate(dueDate: LocalDate, date: LocalDate)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .notScheduled:
                "The inquiry is not scheduled yet; schedule it first."
            case .alreadyScheduled(let id):
                "Inquiry \(id) is already scheduled; schedule a new inquiry under the next free id."
            case .alreadyTransferred(let id):
                "The opinions of inquiry \(id) are already transferred; nothing more can be recorded on it."
            case .wrongStatus(let action, let status, let required):
                "Cannot \(action.phrase) the inquiry while it is \(status.rawValue); it must be "
                    + required.map(\.rawValue).joined(separator: " or ") + "."
            case .noRounds(let id):
                "Inquiry \(id) has no round yet; record at least one round before concluding it."
            case .yearOutOfRange(let year):
                "The session year \(year) is out of range; use a year from \(Inquiry.years.lowerBound) to "
                    + "\(Inquiry.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Inquiry id \(id) does not belong to the session year \(year); use an id of the form Q\(year)-NNN."
            case .emptyText(let field):
                "The \(field.rawValue) is empty; give the \(field.rawValue)."
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .unknownDepartment(let code):
                "Department \"\(code)\" is not registered; add it first or correct the code."
            case .invalidSessionNumber(let number):
                "The session number \(number) is invalid; use 1 or more."
            case .invalidTerm(let term):
                "The committee term \(term) is invalid; use 1 or more."
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only what has happened."
            case .dateBeforeSession(let date, let session):
                "The date \(date) is before the inquiry's session on \(session); a round is held at the session."
            case .dateBeforePreviousStep(let date, let previous):
                "The date \(date) is before the inquiry's previous step on \(previous); check the date."
            case .dueDateNotAfterDate(let dueDate, let date):
                "The due date \(dueDate) is not after \(date); give a later due date."
            }
        }
    }

    /// The state of an inquiry stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to an inquiry; refuses only with an ``Inquiry/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The inquiry's state, folded from its stream.
    ///   - context: Today and the registered departments.
    /// - Returns: The events to record (one per accepted command).
    /// - Throws: ``Inquiry/Error``, the first rule the command breaks (see the rules on ``Inquiry``).
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        switch (command, state) {
        case (.schedule(let id, let schedule), .absent):
            return [.scheduled(id: id, try validated(schedule, id: id))]
        case (.schedule, .existing(let inquiry)):
            throw .alreadyScheduled(inquiry.id)
        case (.recordRound, .absent), (.conclude, .absent), (.transfer, .absent):
            throw .notScheduled

        case (.recordRound(let round, let date), .existing(let inquiry)):
            try inquiry.require(.recordRound, in: [.scheduled, .held])
            let round = try validated(round, context)
            let sessionDate = inquiry.schedule.session.date
            let date = date ?? sessionDate
            guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
            guard date >= sessionDate else { throw .dateBeforeSession(date, session: sessionDate) }
            if let previous = inquiry.lastRoundDate, date < previous {
                throw .dateBeforePreviousStep(date, previous: previous)
            }
            return [.roundRecorded(round: inquiry.rounds + 1, date: date, round)]

        case (.conclude(let date, let note), .existing(let inquiry)):
            guard inquiry.status != .scheduled else { throw .noRounds(inquiry.id) }
            try inquiry.require(.conclude, in: [.held])
            try inquiry.checkStep(date, context)
            return [.concluded(date: date, note: try optionalText(note, .note))]

        case (.transfer(let date, let dueDate, let summary), .existing(let inquiry)):
            try inquiry.require(.transfer, in: [.concluded])
            try inquiry.checkStep(date, context)
            guard dueDate > date else { throw .dueDateNotAfterDate(dueDate: dueDate, date: date) }
            return [.transferred(date: date, dueDate: dueDate, summary: try optionalText(summary, .summary))]
        }
    }

    /// Applies one recorded event; never fails, because history is already decided.
    ///
    /// An event that cannot follow the state (which a decided history never holds) leaves the state unchanged.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch (state, event) {
        case (.absent, .scheduled(let id, let schedule)):
            return .existing(Snapshot(id: id, schedule: schedule))
        case (.absent, .roundRecorded), (.absent, .concluded), (.absent, .transferred), (.existing, .scheduled):
            return state
        case (.existing(var inquiry), .roundRecorded(let round, let date, _)):
            inquiry.rounds = round
            inquiry.lastRoundDate = date
            inquiry.status = .held
            return .existing(inquiry)
        case (.existing(var inquiry), .concluded(let date, _)):
            inquiry.status = .concluded
            inquiry.concludedOn = date
            return .existing(inquiry)
        case (.existing(var inquiry), .transferred(let date, let dueDate, _)):
            inquiry.status = .transferred
            inquiry.transferredOn = date
            inquiry.dueDate = dueDate
            return .existing(inquiry)
        }
    }

    /// The stream that holds an inquiry's events: "inquiry-<id>".
    public static func stream(_ id: InquiryID) -> StreamID {
        id.stream
    }

    // MARK: Validation

    private static func validated(_ schedule: Schedule, id: InquiryID) throws(Error) -> Schedule {
        let session = schedule.session
        guard years.contains(session.date.year) else { throw .yearOutOfRange(session.date.year) }
        guard id.year == session.date.year else { throw .idYearMismatch(id: id, year: session.date.year) }
        guard session.number >= 1 else { throw .invalidSessionNumber(session.number) }
        if let term = session.term, term < 1 { throw .invalidTerm(term) }
        return Schedule(
            subject: try requiredText(schedule.subject, .subject), session: session, topicID: schedule.topicID,
            committee: try optionalText(schedule.committee, .committee))
    }

    private static func validated(_ round: Round, _ context: DecisionContext) throws(Error) -> Round {
        let questioner = try requiredText(round.questioner, .questioner)
        let respondent = try requiredText(round.respondent, .respondent)
        guard context.knownDepartments.contains(round.department) else { throw .unknownDepartment(round.department) }
        return Round(
            questioner: questioner, respondent: respondent, department: round.department,
            question: try requiredText(round.question, .question),
            answerSummary: try optionalText(round.answerSummary, .answerSummary))
    }

    /// The trimmed text; refuses an empty text or one longer than the field allows.
    private static func requiredText(_ text: String, _ field: Field) throws(Error) -> String {
        guard let text = try optionalText(text, field) else { throw .emptyText(field) }
        return text
    }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }
}

extension Inquiry: Decider {}

extension Inquiry.Snapshot {
    /// Refuses a command on a transferred inquiry or in a status the command does not accept.
    fileprivate func require(_ action: Inquiry.Action, in allowed: [InquiryStatus]) throws(Inquiry.Error) {
        guard status != .transferred else { throw .alreadyTransferred(id) }
        guard allowed.contains(status) else { throw .wrongStatus(action: action, status: status, required: allowed) }
    }

    /// Checks the date of a lifecycle step: not after today, not before the previous step.
    fileprivate func checkStep(_ date: LocalDate, _ context: DecisionContext) throws(Inquiry.Error) {
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        if let previous = lastStepDate, date < previous { throw .dateBeforePreviousStep(date, previous: previous) }
    }
}

/// A satisfaction evaluation (满意度测评) of a department, an inquiry round's answer, a topic's handling report or a
/// suggestion's reply: the decider of the stream "evaluation-<id>".
///
/// Two ways to record one:
/// ```
/// record (whole tally) ─────────────────────────────▶ closed, with a verdict
/// open (entitled, present) ─▶ cast × present ─▶ close ─▶ closed, with a verdict
/// ```
/// - `record` takes the clerk's tally (from the voting devices) and decides the verdict at once.
/// - `open` starts an evaluation whose ballots are cast one by one (a deputy rating the reply to their own
///   suggestion, members rating on paper); `cast` adds one anonymous ballot; `close` decides the verdict.
///
/// Rules, checked in this order (the first broken rule is reported):
/// 1. State: `record` and `open` need a new id (``Error/alreadyExists(_:)``); `cast` and `close` need an evaluation
///    (``Error/notRecorded``) that is still open (``Error/alreadyClosed(_:)``; a recorded tally is closed at once).
/// 2. The id's year is the year of the evaluation's date, within ``years``; no date is later than today; a close is
///    not dated before the opening.
/// 3. Subject: a department (evaluated, or answering an inquiry round or a suggestion) is registered; an inquiry
///    round number is 1 or more. Whether the inquiry round, topic or suggestion exists is checked by the caller
///    against the log with ``checkSubject(_:date:found:)``.
/// 4. Counts: 1 to ``maximumEntitled`` members entitled; no count is negative; present ≤ entitled; satisfied +
///    basically satisfied + dissatisfied + not voting = present (a tally that does not add up is refused); a quorum
///    is present (more than half of those entitled): an evaluation without quorum is refused, never recorded as
///    invalid. A ballot beyond the number present is refused; closing needs one ballot per member present.
/// 5. A re-rectification due date (for a failed handling report) only goes with a handling-report evaluation and
///    is after the evaluation's (or closing's) date. Without one, the topic is due ``reRectificationDays`` later.
/// 6. The note fits ``Field/maxLength``.
///
/// The verdict follows the evaluation's ``VerdictRule`` (default ``VerdictRule/majorityOfEntitled``), recorded
/// with it so that a later change of local rules never changes an old verdict.
///
/// Pure: no I/O, no clock, no random. Today and the registered departments arrive in the ``DecisionContext``.
public enum Evaluation {
    /// The years an evaluation may be dated in.
    public static let years: ClosedRange<Int> = 2000...2100
    /// The largest number of members entitled to vote (the National People's Congress has under 3,000 deputies).
    public static let maximumEntitled = 10_000
    /// Days from a failed handling-report evaluation to the re-rectification due date, unless another is given.
    public static let reRectificationDays = 90

    /// The kinds of things evaluated, by their stored names.
    public enum SubjectKind: String, Sendable, CaseIterable {
        /// A department's work.
        case department
        /// A department head's answer in one round of a special inquiry (每轮现场满意度测评).
        case inquiryRound = "inquiry-round"
        /// The government's handling report on a topic's deliberation opinions.
        case handlingReport = "handling-report"
        /// The reply to a deputy's suggestion.
        case suggestionReply = "suggestion-reply"
    }

    /// What is evaluated.
    public enum Subject: Sendable, Hashable {
        /// A department's work, by code.
        case department(DepartmentCode)
        /// One round of a special inquiry (1-based), with the answering department when known.
        case inquiryRound(InquiryID, round: Int, department: DepartmentCode?)
        /// A topic's handling report; a failed evaluation sends the topic back.
        case handlingReport(TopicID)
        /// A suggestion's reply, with the lead unit when known.
        case suggestionReply(SuggestionID, department: DepartmentCode?)

        /// The kind of subject.
        public var kind: SubjectKind {
            switch self {
            case .department: .department
            case .inquiryRound: .inquiryRound
            case .handlingReport: .handlingReport
            case .suggestionReply: .suggestionReply
            }
        }

        /// The subject as one text: "fgw", "Q2024-001/2", "T2024-002", "S2024-001".
        public var text: String {
            switch self {
            case .department(let code): code.rawValue
            case .inquiryRound(let id, let round, _): "\(id.rawValue)/\(round)"
            case .handlingReport(let id): id.rawValue
            case .suggestionReply(let id, _): id.rawValue
            }
        }

        /// The department evaluated or answering, when there is one.
        public var department: DepartmentCode? {
            switch self {
            case .department(let code): code
            case .inquiryRound(_, _, let department): department
            case .handlingReport: nil
            case .suggestionReply(_, let department): department
            }
        }
    }

    /// The counts of an evaluation: members entitled (应到) and present (实到), and the votes.
    ///
    /// A complete tally adds up: satisfied + basically satisfied + dissatisfied + not voting = present ≤ entitled.
    public struct Tally: Sendable, Hashable {
        /// Members entitled to vote.
        public var entitled: Int
        /// Members present.
        public var present: Int
        /// Votes "satisfied" (满意).
        public var satisfied: Int
        /// Votes "basically satisfied" (基本满意).
        public var basicallySatisfied: Int
        /// Votes "dissatisfied" (不满意).
        public var dissatisfied: Int
        /// Members present who did not vote, or abstained.
        public var notVoting: Int

        /// Creates a tally.
        public init(
            entitled: Int, present: Int, satisfied: Int = 0, basicallySatisfied: Int = 0, dissatisfied: Int = 0,
            notVoting: Int = 0
        ) {
            self.entitled = entitled
            self.present = present
            self.satisfied = satisfied
            self.basicallySatisfied = basicallySatisfied
            self.dissatisfied = dissatisfied
            self.notVoting = notVoting
        }

        /// The ballots counted: satisfied + basically satisfied + dissatisfied + not voting.
        public var cast: Int { satisfied + basicallySatisfied + dissatisfied + notVoting }

        /// Whether more than half of those entitled are present.
        public var isQuorate: Bool { present * 2 > entitled }

        /// The tally with one more ballot.
        public func adding(_ ballot: Ballot) -> Tally {
            var tally = self
            switch ballot {
            case .rating(.satisfied): tally.satisfied += 1
            case .rating(.basicallySatisfied): tally.basicallySatisfied += 1
            case .rating(.dissatisfied): tally.dissatisfied += 1
            case .notVoting: tally.notVoting += 1
            }
            return tally
        }
    }

    /// One anonymous ballot: a rating, or not voting.
    ///
    /// Stored as "satisfied", "basically-satisfied", "dissatisfied" or "not-voting".
    public enum Ballot: Sendable, Hashable, CaseIterable {
        /// A rating.
        case rating(Rating)
        /// Present, but not voting (or abstaining).
        case notVoting

        /// Every ballot, in the order of the scale.
        public static let allCases: [Ballot] = Rating.allCases.map(Ballot.rating) + [.notVoting]

        /// Reads a stored ballot name.
        public init?(rawValue: String) {
            if rawValue == "not-voting" {
                self = .notVoting
            } else if let rating = Rating(rawValue: rawValue) {
                self = .rating(rating)
            } else {
                return nil
            }
        }

        /// The stored name.
        public var rawValue: String {
            switch self {
            case .rating(let rating): rating.rawValue
            case .notVoting: "not-voting"
            }
        }
    }

    /// An evaluation recorded with its whole tally.
    public struct Record: Sendable, Equatable {
        /// What is evaluated.
        public var subject: Subject
        /// The day of the vote.
        public var date: LocalDate
        /// The counts.
        public var tally: Tally
        /// How the verdict is decided.
        public var rule: VerdictRule
        /// A note, such as the session the vote took place at.
        public var note: String?

        /// Creates a record.
        public init(
            subject: Subject, date: LocalDate, tally: Tally, rule: VerdictRule = .majorityOfEntitled,
            note: String? = nil
        ) {
            self.subject = subject
            self.date = date
            self.tally = tally
            self.rule = rule
            self.note = note
        }
    }

    /// An evaluation opened for ballots cast one by one.
    public struct Opening: Sendable, Equatable {
        /// What is evaluated.
        public var subject: Subject
        /// The day the evaluation opens (its date).
        public var date: LocalDate
        /// Members entitled to vote.
        public var entitled: Int
        /// Members present, who may each cast one ballot.
        public var present: Int
        /// How the verdict is decided.
        public var rule: VerdictRule
        /// A note.
        public var note: String?

        /// Creates an opening.
        public init(
            subject: Subject, date: LocalDate, entitled: Int, present: Int, rule: VerdictRule = .majorityOfEntitled,
            note: String? = nil
        ) {
            self.subject = subject
            self.date = date
            self.entitled = entitled
            self.present = present
            self.rule = rule
            self.note = note
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Records an evaluation with its whole tally under a caller-assigned id; `reRectificationDueDate` is the due
        /// date of a failed handling report (default: ``reRectificationDays`` after the date).
        case record(id: EvaluationID, Record, reRectificationDueDate: LocalDate? = nil)
        /// Opens an evaluation for ballots, under a caller-assigned id.
        case open(id: EvaluationID, Opening)
        /// Casts one ballot.
        case cast(Ballot)
        /// Closes the ballots and decides the verdict.
        case close(date: LocalDate, reRectificationDueDate: LocalDate? = nil)

        /// What the command does, for error messages.
        public var action: Action {
            switch self {
            case .record: .record
            case .open: .open
            case .cast: .cast
            case .close: .close
            }
        }
    }

    /// What happened to an evaluation; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// An evaluation was recorded with its whole tally and decided.
        case recorded(id: EvaluationID, Record, verdict: Rating)
        /// An evaluation was opened for ballots.
        case opened(id: EvaluationID, Opening)
        /// One ballot was cast.
        case ballotCast(Ballot)
        /// The ballots were closed with this tally and verdict.
        case closed(date: LocalDate, tally: Tally, verdict: Rating)
    }

    /// Where an evaluation stands.
    public enum Status: String, Sendable, CaseIterable {
        /// Ballots are being cast.
        case open
        /// Decided: a recorded tally, or closed ballots.
        case closed
    }

    /// What the decider knows about an evaluation.
    public enum State: Sendable, Equatable {
        /// Nothing recorded yet.
        case absent
        /// Recorded or opened.
        case existing(Snapshot)
    }

    /// Everything known about a recorded or opened evaluation.
    public struct Snapshot: Sendable, Equatable {
        /// The evaluation's id.
        public var id: EvaluationID
        /// What is evaluated.
        public var subject: Subject
        /// The day of the vote (the opening day for ballots).
        public var date: LocalDate
        /// The counts so far (complete once closed).
        public var tally: Tally
        /// How the verdict is decided.
        public var rule: VerdictRule
        /// The note.
        public var note: String?
        /// Open or closed.
        public var status: Status
        /// The verdict, once closed.
        public var verdict: Rating?
        /// The day the ballots were closed (the date itself for a recorded tally).
        public var closedOn: LocalDate?

        /// The satisfaction rate under the rule, once closed.
        public var rate: Double? { status == .closed ? rule.rate(of: tally) : nil }
    }

    /// The commands by name, as used in error messages.
    public enum Action: String, Sendable, CaseIterable {
        /// ``Command/record(id:_:reRectificationDueDate:)``.
        case record
        /// ``Command/open(id:_:)``.
        case open
        /// ``Command/cast(_:)``.
        case cast
        /// ``Command/close(date:reRectificationDueDate:)``.
        case close
    }

    /// The counts, by name, for error messages.
    public enum Count: String, Sendable, CaseIterable {
        /// Members entitled.
        case entitled
        /// Members present.
        case present
        /// Satisfied votes.
        case satisfied
        /// Basically satisfied votes.
        case basicallySatisfied = "basically satisfied"
        /// Dissatisfied votes.
        case dissatisfied
        /// Members not voting.
        case notVoting = "not voting"
    }

    /// The texts of an evaluation that have a length limit.
    public enum Field: String, Sendable, CaseIterable {
        /// The note.
        case note

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .note: 2000
            }
        }
    }

    /// Why an evaluation command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The evaluation is not recorded or opened yet, so no ballot can be cast and nothing closed.
        case notRecorded
        /// An evaluation with this id already exists.
        case alreadyExists(EvaluationID)
        /// The evaluation is closed (or was recorded with its tally); nothing more can be cast or closed.
        case alreadyClosed(EvaluationID)
        /// The evaluation's year is outside ``Evaluation/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the year of the evaluation's date.
        case idYearMismatch(id: EvaluationID, year: Int)
        /// A date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// The ballots are closed on a day before they were opened.
        case closedBeforeOpened(LocalDate, opened: LocalDate)
        /// A department is not registered.
        case unknownDepartment(DepartmentCode)
        /// An inquiry round number is below 1.
        case invalidRound(Int)
        /// The number entitled is below 1 or above ``Evaluation/maximumEntitled``.
        case entitledOutOfRange(Int)
        /// A count is negative.
        case negativeCount(Count, Int)
        /// More members are present than are entitled.
        case presentExceedsEntitled(present: Int, entitled: Int)
        /// The votes and the members not voting do not add up to the members present.
        case tallyDoesNotAddUp(Tally)
        /// Not more than half of those entitled are present.
        case noQuorum(present: Int, entitled: Int)
        /// Every member present has already cast a ballot.
        case tooManyBallots(present: Int)
        /// Fewer ballots were cast than members are present.
        case ballotsMissing(cast: Int, present: Int)
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// The inquiry has no record in the log.
        case inquiryNotFound(InquiryID)
        /// The inquiry has no recorded round with this number.
        case inquiryRoundNotRecorded(InquiryID, round: Int)
        /// The inquiry round already has its on-the-spot evaluation.
        case roundAlreadyEvaluated(InquiryID, round: Int)
        /// The department named is not the one that answered the round.
        case roundAnsweredByAnotherDepartment(InquiryID, round: Int, answered: DepartmentCode, given: DepartmentCode)
        /// The topic's current handling report already has an evaluation.
        case handlingReportAlreadyEvaluated(TopicID)
        /// The topic has no record in the log.
        case topicNotFound(TopicID)
        /// The topic's handling report is not the step awaiting evaluation.
        case handlingReportNotPending(TopicID, status: TopicStatus)
        /// The evaluation is dated before the handling report it evaluates.
        case dateBeforeHandlingReport(LocalDate, reported: LocalDate)
        /// The suggestion has no record in the log.
        case suggestionNotFound(SuggestionID)
        /// The suggestion has no reply to evaluate.
        case suggestionNotReplied(SuggestionID)
        /// A re-rectification due date was given for a subject other than a handling report.
        case reRectificationNotApplicable(SubjectKind)
        /// The re-rectification due date is not after the evaluation's date.
        case reRectificationDueNotAfterDate(dueDate: LocalDate, date: LocalDate)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .notRecorded:
                "The evaluation is not recorded yet; record or open it first."
            case .alreadyExists(let id):
                "Evaluation \(id) already exists; record a new evaluation under the next free id."
            case .alreadyClosed(let id):
                "Evaluation \(id) is closed; nothing more can be cast or closed."
            case .yearOutOfRange(let year):
                "The year \(year) is out of range; date the evaluation from \(Evaluation.years.lowerBound) to "
                    + "\(Evaluation.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Evaluation id \(id) does not belong to \(year), the year of its date; use an id of the form "
                    + "E\(year)-NNN."
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only what has happened."
            case .closedBeforeOpened(let date, let opened):
                "The closing date \(date) is before the evaluation opened on \(opened); check the date."
            case .unknownDepartment(let code):
                "Department \"\(code)\" is not registered; add it first or correct the code."
            case .invalidRound(let round):
                "The inquiry round \(round) is invalid; rounds are numbered from 1."
            case .entitledOutOfRange(let entitled):
                "The number of members entitled (\(entitled)) is out of range; use 1 to \(Evaluation.maximumEntitled)."
            case .negativeCount(let count, let value):
                "The number \(count.rawValue) (\(value)) is negative; use 0 or more."
            case .presentExceedsEntitled(let present, let entitled):
                "\(present) members present exceed the \(entitled) entitled; check the counts."
            case .tallyDoesNotAddUp(let tally):
                "The tally does not add up: satisfied \(tally.satisfied) + basically satisfied "
                    + "\(tally.basicallySatisfied) + dissatisfied \(tally.dissatisfied) + not voting "
                    + "\(tally.notVoting) = \(tally.cast), but \(tally.present) members are present; check the counts."
            case .noQuorum(let present, let entitled):
                "No quorum: \(present) of \(entitled) members present, more than half (at least "
                    + "\(entitled / 2 + 1)) are needed; the evaluation cannot be held."
            case .tooManyBallots(let present):
                "All \(present) members present have cast their ballots; close the evaluation."
            case .ballotsMissing(let cast, let present):
                "Only \(cast) of \(present) members present have cast their ballots; cast the missing "
                    + "\(present - cast) (as not voting if they did not vote), then close."
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .inquiryNotFound(let id):
                "Inquiry \(id) is not recorded; check the id."
            case .inquiryRoundNotRecorded(let id, let round):
                "Inquiry \(id) has no round \(round) recorded; record the round first or correct the number."
            case .roundAlreadyEvaluated(let id, let round):
                "Round \(round) of inquiry \(id) already has its on-the-spot evaluation; each round is evaluated once."
            case .roundAnsweredByAnotherDepartment(let id, let round, let answered, let given):
                "Round \(round) of inquiry \(id) was answered by \(answered), not \(given); name \(answered) or leave the "
                    + "department out."
            case .handlingReportAlreadyEvaluated(let id):
                "The handling report of topic \(id) is already evaluated; a new report must be received before "
                    + "another evaluation."
            case .topicNotFound(let id):
                "Topic \(id) is not planned; check the id."
            case .handlingReportNotPending(let id, let status):
                "Topic \(id) is \(status.rawValue), not handling-reported; only a received handling report can be "
                    + "evaluated."
            case .dateBeforeHandlingReport(let date, let reported):
                "The date \(date) is before the handling report was received on \(reported); check the date."
            case .suggestionNotFound(let id):
                "Suggestion \(id) is not recorded; check the id."
            case .suggestionNotReplied(let id):
                "Suggestion \(id) has no reply yet; only a reply can be evaluated."
            case .reRectificationNotApplicable(let kind):
                "A re-rectification due date only applies to a handling report, not to a \(kind.rawValue) "
                    + "evaluation; leave it out."
            case .reRectificationDueNotAfterDate(let dueDate, let date):
                "The re-rectification due date \(dueDate) is not after \(date); give a later due date."
            }
        }
    }

    /// The state of an evaluation stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to an evaluation; refuses only with an ``Evaluation/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The evaluation's state, folded from its stream.
    ///   - context: Today and the registered departments.
    /// - Returns: The events to record (one per accepted command).
    /// - Throws: ``Evaluation/Error``, the first rule the command breaks (see the rules on ``Evaluation``).
    public static func decide(
        _ command: Command, _ state: State, _ context: DecisionContext
    ) throws(Error) -> [Event] {
        switch (command, state) {
        case (.record(let id, let record, let dueDate), .absent):
            let subject = try checkHeader(id: id, subject: record.subject, date: record.date, context)
            try check(record.tally, complete: true)
            try checkReRectification(dueDate, subject: subject, date: record.date)
            var record = record
            record.note = try optionalText(record.note, .note)
            return [.recorded(id: id, record, verdict: record.rule.verdict(of: record.tally))]
        case (.open(let id, let opening), .absent):
            _ = try checkHeader(id: id, subject: opening.subject, date: opening.date, context)
            try check(Tally(entitled: opening.entitled, present: opening.present), complete: false)
            var opening = opening
            opening.note = try optionalText(opening.note, .note)
            return [.opened(id: id, opening)]
        case (.record, .existing(let evaluation)), (.open, .existing(let evaluation)):
            throw .alreadyExists(evaluation.id)
        case (.cast, .absent), (.close, .absent):
            throw .notRecorded

        case (.cast(let ballot), .existing(let evaluation)):
            guard evaluation.status == .open else { throw .alreadyClosed(evaluation.id) }
            guard evaluation.tally.cast < evaluation.tally.present else {
                throw .tooManyBallots(present: evaluation.tally.present)
            }
            return [.ballotCast(ballot)]

        case (.close(let date, let dueDate), .existing(let evaluation)):
            guard evaluation.status == .open else { throw .alreadyClosed(evaluation.id) }
            guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
            guard date >= evaluation.date else { throw .closedBeforeOpened(date, opened: evaluation.date) }
            let tally = evaluation.tally
            guard tally.cast == tally.present else { throw .ballotsMissing(cast: tally.cast, present: tally.present) }
            try checkReRectification(dueDate, subject: evaluation.subject, date: date)
            return [.closed(date: date, tally: tally, verdict: evaluation.rule.verdict(of: tally))]
        }
    }

    /// Applies one recorded event; never fails, because history is already decided.
    ///
    /// An event that cannot follow the state (which a decided history never holds) leaves the state unchanged.
    public static func evolve(_ state: State, _ event: Event) -> State {
        switch (state, event) {
        case (.absent, .recorded(let id, let record, let verdict)):
            return .existing(
                Snapshot(
                    id: id, subject: record.subject, date: record.date, tally: record.tally, rule: record.rule,
                    note: record.note, status: .closed, verdict: verdict, closedOn: record.date))
        case (.absent, .opened(let id, let opening)):
            return .existing(
                Snapshot(
                    id: id, subject: opening.subject, date: opening.date,
                    tally: Tally(entitled: opening.entitled, present: opening.present), rule: opening.rule,
                    note: opening.note, status: .open))
        case (.absent, .ballotCast), (.absent, .closed), (.existing, .recorded), (.existing, .opened):
            return state
        case (.existing(var evaluation), .ballotCast(let ballot)):
            evaluation.tally = evaluation.tally.adding(ballot)
            return .existing(evaluation)
        case (.existing(var evaluation), .closed(let date, let tally, let verdict)):
            evaluation.tally = tally
            evaluation.status = .closed
            evaluation.verdict = verdict
            evaluation.closedOn = date
            return .existing(evaluation)
        }
    }

    /// The stream that holds an evaluation's events: "evaluation-<id>".
    public static func stream(_ id: EvaluationID) -> StreamID {
        id.stream
    }

    // MARK: Validation

    /// Checks the id, date and subject of a new evaluation; returns the subject.
    private static func checkHeader(
        id: EvaluationID, subject: Subject, date: LocalDate, _ context: DecisionContext
    ) throws(Error) -> Subject {
        guard years.contains(date.year) else { throw .yearOutOfRange(date.year) }
        guard id.year == date.year else { throw .idYearMismatch(id: id, year: date.year) }
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        if case .inquiryRound(_, let round, _) = subject, round < 1 { throw .invalidRound(round) }
        if let department = subject.department, !context.knownDepartments.contains(department) {
            throw .unknownDepartment(department)
        }
        return subject
    }

    /// Checks the counts; a complete tally must add up.
    private static func check(_ tally: Tally, complete: Bool) throws(Error) {
        guard (1...maximumEntitled).contains(tally.entitled) else { throw .entitledOutOfRange(tally.entitled) }
        let counts: [(Count, Int)] = [
            (.present, tally.present), (.satisfied, tally.satisfied), (.basicallySatisfied, tally.basicallySatisfied),
            (.dissatisfied, tally.dissatisfied), (.notVoting, tally.notVoting),
        ]
        for (count, value) in counts where value < 0 { throw .negativeCount(count, value) }
        guard tally.present <= tally.entitled else {
            throw .presentExceedsEntitled(present: tally.present, entitled: tally.entitled)
        }
        if complete, tally.cast != tally.present { throw .tallyDoesNotAddUp(tally) }
        guard tally.isQuorate else { throw .noQuorum(present: tally.present, entitled: tally.entitled) }
    }

    /// Checks a re-rectification due date: only for a handling report, and after `date`.
    private static func checkReRectification(
        _ dueDate: LocalDate?, subject: Subject, date: LocalDate
    ) throws(Error) {
        guard let dueDate else { return }
        guard case .handlingReport = subject else { throw .reRectificationNotApplicable(subject.kind) }
        guard dueDate > date else { throw .reRectificationDueNotAfterDate(dueDate: dueDate, date: date) }
    }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }
}

extension Evaluation: Decider {}

/// A deputy's suggestion (代表建议), from submission to its reply, the deputy's rating and closing: the decider of
/// the stream "suggestion-<id>".
///
/// Lifecycle (see ``SuggestionStatus``):
/// - `submit` records the suggestion (session, number, lead deputy and co-signers, title, text) in `unassigned`.
/// - `assign` (交办) to a registered lead unit and co-units, from `unassigned`: the reply is due 3 months after the
///   assignment, 6 months when the suggestion is marked complex. Starts round 1.
/// - `returnAssignment` (退回): an assigned unit sends a wrongly assigned suggestion back within 7 working days of
///   the assignment (``DecisionContext/calendar``), from `assigned`; back to `unassigned` for reassignment.
/// - `markKey` (重点建议): a supervising leader (领办/督办) is named, in every status but `closed`.
/// - `reply` (答复), from `assigned` or `rehandling`: a category letter of the list version in force (passed in by
///   the caller), a text, and a reason when the category requires one (C). The reply records the letter, the list
///   reference ("national@1") and the meaning, so it keeps its meaning when the list changes.
/// - `rate` by the deputy, from `replied`: satisfied or basically satisfied → `rated`; dissatisfied → the rating and
///   the start of re-handling (重新办理) in the next round, reply due 1 month after the rating day.
/// - `close`, from `replied` or `rated`.
///
/// Rules, checked in this order (the first broken rule is reported):
/// 1. State: `submit` needs a new id; every other command a submitted suggestion; nothing changes a closed one;
///    replying needs an assignment (``Error/notAssigned(_:)``), rating a reply (``Error/notReplied(_:)``).
/// 2. Input: texts are trimmed and fit their ``Field/maxLength``; required texts are not empty; departments are
///    registered and listed once; the returning unit is one of the assigned units; the category is in the list; a
///    category that requires a reason has one.
/// 3. Dates: not later than today; not before the previous step (submission, assignment, return, reply, rating);
///    a return not later than the 7th working day after the assignment.
///
/// Pure: no I/O, no clock. Today and the working calendar arrive in the ``DecisionContext``.
public enum Suggestion {
    /// The years a suggestion may be submitted in.
    public static let years: ClosedRange<Int> = 2000...2100
    /// Months from assignment to the reply's due date.
    public static let replyMonths = 3
    /// Months from assignment to the reply's due date for a complex suggestion.
    public static let complexReplyMonths = 6
    /// Months from a dissatisfied rating to the re-handled reply's due date.
    public static let rehandlingMonths = 1
    /// Working days after the assignment within which a unit may return a wrongly assigned suggestion.
    public static let returnWorkingDays = 7

    /// A suggestion as a deputy submits it.
    public struct Submission: Sendable, Equatable {
        /// The congress session it belongs to, such as "十二届二次" (the 2nd session of the 12th congress).
        public var session: String
        /// The number, unique within the session, such as "0123" (第0123号).
        public var number: String
        /// The title.
        public var title: String
        /// The lead deputy (领衔代表).
        public var leadDeputy: String
        /// The co-signing deputies (附议代表), in order.
        public var coSigners: [String]
        /// The text, if recorded.
        public var text: String?
        /// The day it was submitted.
        public var date: LocalDate

        /// Creates a submission.
        public init(
            session: String, number: String, title: String, leadDeputy: String, coSigners: [String] = [],
            text: String? = nil, date: LocalDate
        ) {
            self.session = session
            self.number = number
            self.title = title
            self.leadDeputy = leadDeputy
            self.coSigners = coSigners
            self.text = text
            self.date = date
        }
    }

    /// A recorded reply: what the unit answered, with the category meaning in force when it was recorded.
    public struct Reply: Sendable, Equatable {
        /// The day of the reply.
        public var date: LocalDate
        /// The category letter, such as "A".
        public var category: String
        /// The list version the letter belongs to, such as "national@1".
        public var categoryList: String
        /// What the letter meant in that version, such as "已解决或基本解决".
        public var categoryMeaning: String
        /// The reply in brief.
        public var text: String
        /// Why it cannot be solved now (required by categories such as C).
        public var reason: String?
        /// The handling round the reply closes: 1 for the first, 2 after one re-handling, ...
        public var round: Int

        /// Creates a recorded reply.
        public init(
            date: LocalDate, category: String, categoryList: String, categoryMeaning: String, text: String,
            reason: String? = nil, round: Int
        ) {
            self.date = date
            self.category = category
            self.categoryList = categoryList
            self.categoryMeaning = categoryMeaning
            self.text = text
            self.reason = reason
            self.round = round
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Records a submitted suggestion under a caller-assigned id.
        case submit(id: SuggestionID, Submission)
        /// Assigns the suggestion to a lead unit and co-units (交办); `complex` doubles the time to reply.
        case assign(date: LocalDate, leadUnit: DepartmentCode, coUnits: [DepartmentCode], complex: Bool)
        /// Makes it a key suggestion supervised by a leader (重点建议, 领办).
        case markKey(date: LocalDate, leader: String)
        /// An assigned unit returns it as wrongly assigned (退回).
        case returnAssignment(date: LocalDate, unit: DepartmentCode, reason: String)
        /// Records the reply with a category letter of `list`, the list version in force on `date`.
        case reply(date: LocalDate, category: String, text: String, reason: String?, list: SuggestionCategoryList)
        /// Records the deputy's rating of the reply.
        case rate(date: LocalDate, rating: Rating, comment: String?)
        /// Closes the suggestion.
        case close(date: LocalDate, note: String?)

        /// What the command does, for error messages.
        public var action: Action {
            switch self {
            case .submit: .submit
            case .assign: .assign
            case .markKey: .markKey
            case .returnAssignment: .returnAssignment
            case .reply: .reply
            case .rate: .rate
            case .close: .close
            }
        }
    }

    /// What happened to a suggestion; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// The suggestion was submitted.
        case submitted(id: SuggestionID, Submission)
        /// It was assigned; the reply is due on `dueDate`.
        case assigned(
            date: LocalDate, leadUnit: DepartmentCode, coUnits: [DepartmentCode], complex: Bool, dueDate: LocalDate)
        /// It became a key suggestion supervised by `leader`.
        case markedKey(date: LocalDate, leader: String)
        /// `unit` returned it as wrongly assigned; it could until `deadline` (the 7th working day).
        case returned(date: LocalDate, unit: DepartmentCode, reason: String, deadline: LocalDate)
        /// The unit replied.
        case replied(Reply)
        /// The deputy rated the reply of `round`.
        case rated(date: LocalDate, rating: Rating, comment: String?, round: Int)
        /// After a dissatisfied rating the suggestion is handled again in `round`, reply due on `dueDate`.
        case rehandlingStarted(date: LocalDate, dueDate: LocalDate, round: Int)
        /// It was closed.
        case closed(date: LocalDate, note: String?)
    }

    /// What the decider knows about a suggestion.
    public enum State: Sendable, Equatable {
        /// Not submitted yet.
        case absent
        /// Submitted; everything known about it.
        case existing(Snapshot)
    }

    /// Everything the decider and the read models need about a submitted suggestion.
    public struct Snapshot: Sendable, Equatable {
        /// The suggestion's id.
        public var id: SuggestionID
        /// The submission, as recorded.
        public var submission: Submission
        /// Where it stands.
        public var status: SuggestionStatus
        /// The lead unit of the current assignment.
        public var leadUnit: DepartmentCode?
        /// The co-units of the current assignment.
        public var coUnits: [DepartmentCode]
        /// Whether the current assignment is marked complex.
        public var complex: Bool
        /// The day of the current assignment.
        public var assignedOn: LocalDate?
        /// The due date of the current round's reply.
        public var dueDate: LocalDate?
        /// The supervising leader, once it is a key suggestion.
        public var supervisingLeader: String?
        /// The handling round: 0 before the first assignment, 1 after, plus one per re-handling.
        public var round: Int
        /// The latest reply.
        public var lastReply: Reply?
        /// The latest rating.
        public var rating: Rating?
        /// How many times it was returned as wrongly assigned.
        public var returns: Int
        /// The date of the latest step (submission, assignment, return, reply, rating, re-handling, closing).
        public var lastStepDate: LocalDate

        /// A freshly submitted suggestion.
        public init(id: SuggestionID, submission: Submission) {
            self.id = id
            self.submission = submission
            status = .unassigned
            coUnits = []
            complex = false
            round = 0
            returns = 0
            lastStepDate = submission.date
        }

        /// Whether it is a key suggestion.
        public var isKey: Bool { supervisingLeader != nil }

        /// The last day an assigned unit may return it, while it is assigned.
        public func returnDeadline(_ calendar: WorkingCalendar) -> LocalDate? {
            guard status == .assigned, let assignedOn else { return nil }
            return calendar.addingWorkingDays(Suggestion.returnWorkingDays, to: assignedOn)
        }
    }

    /// The commands by name, as used in error messages.
    public enum Action: String, Sendable, CaseIterable {
        /// ``Command/submit(id:_:)``.
        case submit
        /// ``Command/assign(date:leadUnit:coUnits:complex:)``.
        case assign
        /// ``Command/markKey(date:leader:)``.
        case markKey = "mark-key"
        /// ``Command/returnAssignment(date:unit:reason:)``.
        case returnAssignment = "return"
        /// ``Command/reply(date:category:text:reason:list:)``.
        case reply
        /// ``Command/rate(date:rating:comment:)``.
        case rate
        /// ``Command/close(date:note:)``.
        case close

        /// The verb phrase for a sentence: "cannot <phrase> the suggestion".
        public var phrase: String {
            switch self {
            case .submit: "submit"
            case .assign: "assign"
            case .markKey: "mark as key"
            case .returnAssignment: "return"
            case .reply: "reply to"
            case .rate: "rate the reply to"
            case .close: "close"
            }
        }
    }

    /// The texts of a suggestion, with their length limits.
    public enum Field: String, Sendable, CaseIterable {
        /// The session, such as "十二届二次".
        case session
        /// The number, such as "0123".
        case number
        /// The title.
        case title
        /// The lead deputy's name.
        case leadDeputy = "lead deputy"
        /// One co-signer's name.
        case coSigner = "co-signer"
        /// The suggestion's text.
        case text
        /// The supervising leader's name.
        case leader
        /// A return's reason, or a reply's reason.
        case reason
        /// The reply's text.
        case replyText = "reply text"
        /// The deputy's comment on the reply.
        case comment
        /// A closing note.
        case note

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .number: 20
            case .session, .leadDeputy, .coSigner, .leader: 100
            case .title: 200
            case .reason, .comment, .note: 2000
            case .text, .replyText: 10_000
            }
        }
    }

    /// Why a suggestion command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// The suggestion is not submitted yet.
        case notSubmitted
        /// A suggestion with this id is already submitted.
        case alreadySubmitted(SuggestionID)
        /// The suggestion is closed.
        case alreadyClosed(SuggestionID)
        /// The command does not suit the status; `required` lists the statuses it needs.
        case wrongStatus(action: Action, status: SuggestionStatus, required: [SuggestionStatus])
        /// A reply before the suggestion is assigned (or after it was returned).
        case notAssigned(SuggestionID)
        /// A rating without a reply to rate.
        case notReplied(SuggestionID)
        /// A second reply in the same round, before the deputy rated the first.
        case alreadyReplied(round: Int)
        /// A second rating of the same reply.
        case alreadyRated(Rating)
        /// The submission year is outside ``Suggestion/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the submission's year.
        case idYearMismatch(id: SuggestionID, year: Int)
        /// A required text is empty.
        case emptyField(Field)
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// The number contains white space.
        case invalidNumber(String)
        /// Another suggestion of the session has the number (checked by the caller, which knows them all).
        case duplicateNumber(session: String, number: String, existing: SuggestionID)
        /// A co-signer is listed twice.
        case duplicateCoSigner(String)
        /// The lead deputy is also listed as a co-signer.
        case coSignerIsLeadDeputy(String)
        /// A unit is not a registered department.
        case unknownDepartment(DepartmentCode)
        /// A unit is listed twice (or as lead and co-unit).
        case duplicateDepartment(DepartmentCode)
        /// The returning unit is not one of the assigned units.
        case notAnAssignedUnit(DepartmentCode)
        /// The return comes after the 7th working day after the assignment.
        case returnTooLate(date: LocalDate, deadline: LocalDate, assignedOn: LocalDate)
        /// The category letter is not in the list version in force.
        case unknownCategory(String, list: String, letters: [String])
        /// The category requires a reason and none was given.
        case reasonRequired(category: String, meaning: String)
        /// The list has no version in force on the reply's day (checked by the caller, which loads the list).
        case noCategoryListInForce(name: String, date: LocalDate)
        /// The suggestion is already key with this supervising leader.
        case keyUnchanged(leader: String)
        /// A date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// A date is before the previous step.
        case dateBeforePreviousStep(LocalDate, previous: LocalDate)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .notSubmitted:
                "The suggestion is not submitted yet; submit it first."
            case .alreadySubmitted(let id):
                "Suggestion \(id) is already submitted; submit a new suggestion under the next free id."
            case .alreadyClosed(let id):
                "Suggestion \(id) is closed; nothing more can be recorded on it."
            case .wrongStatus(let action, let status, let required):
                "Cannot \(action.phrase) the suggestion while it is \(status.rawValue); it must be "
                    + required.map(\.rawValue).joined(separator: " or ") + "."
            case .notAssigned(let id):
                "Suggestion \(id) is not assigned to a unit; assign it before recording a reply."
            case .notReplied(let id):
                "Suggestion \(id) has no reply to rate; record the unit's reply first."
            case .alreadyReplied(let round):
                "The reply of round \(round) is already recorded; the deputy rates it next."
            case .alreadyRated(let rating):
                "The reply is already rated (\(rating.rawValue)); close the suggestion or wait for a new reply."
            case .yearOutOfRange(let year):
                "The year \(year) is out of range; use a year from \(Suggestion.years.lowerBound) to "
                    + "\(Suggestion.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Suggestion id \(id) does not belong to \(year); use an id of the form S\(year)-NNN."
            case .emptyField(let field):
                "The \(field.rawValue) is empty; give one."
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .invalidNumber(let number):
                "The number \"\(number.prefix(40))\" contains spaces; write it as one word, such as 0123."
            case .duplicateNumber(let session, let number, let existing):
                "Suggestion number \(number) of session \(session) is already recorded as \(existing); "
                    + "check the number."
            case .duplicateCoSigner(let name):
                "Co-signer \(name) is listed twice; list each deputy once."
            case .coSignerIsLeadDeputy(let name):
                "\(name) is the lead deputy and cannot also be a co-signer."
            case .unknownDepartment(let code):
                "Department \"\(code)\" is not registered; add it first or correct the code."
            case .duplicateDepartment(let code):
                "Department \"\(code)\" is listed twice; list each unit once (the lead unit is not a co-unit)."
            case .notAnAssignedUnit(let code):
                "Department \"\(code)\" is not assigned this suggestion; only an assigned unit may return it."
            case .returnTooLate(let date, let deadline, let assignedOn):
                "The return on \(date) is too late: a wrongly assigned suggestion goes back within "
                    + "\(Suggestion.returnWorkingDays) working days of its assignment on \(assignedOn), "
                    + "that is by \(deadline)."
            case .unknownCategory(let letter, let list, let letters):
                "Category \"\(letter.prefix(20))\" is not in the list \(list); use one of "
                    + letters.joined(separator: ", ") + "."
            case .reasonRequired(let category, let meaning):
                "Category \(category) (\(meaning)) needs a reason; say why."
            case .noCategoryListInForce(let name, let date):
                "The category list \"\(name)\" has no version in force on \(date); define one or use another list."
            case .keyUnchanged(let leader):
                "The suggestion is already a key suggestion supervised by \(leader)."
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only what has happened."
            case .dateBeforePreviousStep(let date, let previous):
                "The date \(date) is before the suggestion's previous step on \(previous); check the date."
            }
        }
    }

    /// The state of a suggestion stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does to a suggestion; refuses only with a ``Suggestion/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The suggestion's state, folded from its stream.
    ///   - context: Today, the registered departments and the working calendar.
    /// - Returns: The events to record.
    /// - Throws: ``Suggestion/Error``, the first rule the command breaks (see the rules on ``Suggestion``).
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        guard case .existing(let suggestion) = state else {
            guard case .submit(let id, let submission) = command else { throw .notSubmitted }
            return [.submitted(id: id, try validated(submission, id: id, context))]
        }
        if case .submit = command { throw .alreadySubmitted(suggestion.id) }
        guard suggestion.status != .closed else { throw .alreadyClosed(suggestion.id) }

        switch command {
        case .submit:
            throw .alreadySubmitted(suggestion.id)

        case .assign(let date, let leadUnit, let coUnits, let complex):
            try suggestion.require(.assign, in: [.unassigned])
            var seen: Set<DepartmentCode> = []
            for code in [leadUnit] + coUnits {
                guard context.knownDepartments.contains(code) else { throw .unknownDepartment(code) }
                guard seen.insert(code).inserted else { throw .duplicateDepartment(code) }
            }
            try suggestion.checkStep(date, context)
            let months = complex ? complexReplyMonths : replyMonths
            return [
                .assigned(
                    date: date, leadUnit: leadUnit, coUnits: coUnits, complex: complex,
                    dueDate: adding(months: months, to: date))
            ]

        case .markKey(let date, let leader):
            guard let leader = try optionalText(leader, .leader) else { throw .emptyField(.leader) }
            if suggestion.supervisingLeader == leader { throw .keyUnchanged(leader: leader) }
            try suggestion.checkDate(date, context)
            return [.markedKey(date: date, leader: leader)]

        case .returnAssignment(let date, let unit, let reason):
            try suggestion.require(.returnAssignment, in: [.assigned])
            guard unit == suggestion.leadUnit || suggestion.coUnits.contains(unit) else {
                throw .notAnAssignedUnit(unit)
            }
            guard let reason = try optionalText(reason, .reason) else { throw .emptyField(.reason) }
            try suggestion.checkStep(date, context)
            guard let assignedOn = suggestion.assignedOn, let deadline = suggestion.returnDeadline(context.calendar)
            else { throw .notAssigned(suggestion.id) }
            guard date <= deadline else { throw .returnTooLate(date: date, deadline: deadline, assignedOn: assignedOn) }
            return [.returned(date: date, unit: unit, reason: reason, deadline: deadline)]

        case .reply(let date, let letter, let text, let reason, let list):
            switch suggestion.status {
            case .unassigned: throw .notAssigned(suggestion.id)
            case .replied: throw .alreadyReplied(round: suggestion.round)
            case .assigned, .rehandling: break
            case .rated, .closed:
                throw .wrongStatus(action: .reply, status: suggestion.status, required: [.assigned, .rehandling])
            }
            let letter = letter.trimmed
            guard let category = list.category(letter) else {
                throw .unknownCategory(letter, list: list.reference, letters: list.letters)
            }
            let reason = try optionalText(reason, .reason)
            if category.reasonRequired, reason == nil {
                throw .reasonRequired(category: category.letter, meaning: category.meaning)
            }
            guard let text = try optionalText(text, .replyText) else { throw .emptyField(.replyText) }
            try suggestion.checkStep(date, context)
            return [
                .replied(
                    Reply(
                        date: date, category: category.letter, categoryList: list.reference,
                        categoryMeaning: category.meaning, text: text, reason: reason, round: suggestion.round))
            ]

        case .rate(let date, let rating, let comment):
            switch suggestion.status {
            case .replied: break
            case .rated: throw .alreadyRated(suggestion.rating ?? rating)
            case .unassigned, .assigned, .rehandling, .closed: throw .notReplied(suggestion.id)
            }
            let comment = try optionalText(comment, .comment)
            try suggestion.checkStep(date, context)
            let rated = Event.rated(date: date, rating: rating, comment: comment, round: suggestion.round)
            guard rating == .dissatisfied else { return [rated] }
            return [
                rated,
                .rehandlingStarted(
                    date: date, dueDate: adding(months: rehandlingMonths, to: date), round: suggestion.round + 1),
            ]

        case .close(let date, let note):
            try suggestion.require(.close, in: [.replied, .rated])
            let note = try optionalText(note, .note)
            try suggestion.checkStep(date, context)
            return [.closed(date: date, note: note)]
        }
    }

    /// Applies one recorded event; never fails, because history is already decided.
    ///
    /// An event that cannot follow the state (which a decided history never holds) leaves the state unchanged.
    public static func evolve(_ state: State, _ event: Event) -> State {
        guard case .existing(var suggestion) = state else {
            if case .submitted(let id, let submission) = event {
                return .existing(Snapshot(id: id, submission: submission))
            }
            return state
        }
        switch event {
        case .submitted:
            return state
        case .assigned(let date, let leadUnit, let coUnits, let complex, let dueDate):
            suggestion.status = .assigned
            suggestion.leadUnit = leadUnit
            suggestion.coUnits = coUnits
            suggestion.complex = complex
            suggestion.assignedOn = date
            suggestion.dueDate = dueDate
            suggestion.round = 1
            suggestion.lastStepDate = date
        case .markedKey(_, let leader):
            suggestion.supervisingLeader = leader
        case .returned(let date, _, _, _):
            suggestion.status = .unassigned
            suggestion.leadUnit = nil
            suggestion.coUnits = []
            suggestion.complex = false
            suggestion.assignedOn = nil
            suggestion.dueDate = nil
            suggestion.round = 0
            suggestion.returns += 1
            suggestion.lastStepDate = date
        case .replied(let reply):
            suggestion.status = .replied
            suggestion.lastReply = reply
            suggestion.rating = nil
            suggestion.lastStepDate = reply.date
        case .rated(let date, let rating, _, _):
            suggestion.status = .rated
            suggestion.rating = rating
            suggestion.lastStepDate = date
        case .rehandlingStarted(let date, let dueDate, let round):
            suggestion.status = .rehandling
            suggestion.dueDate = dueDate
            suggestion.round = round
            suggestion.lastStepDate = date
        case .closed(let date, _):
            suggestion.status = .closed
            suggestion.lastStepDate = date
        }
        return .existing(suggestion)
    }

    /// The day `months` calendar months after `date`, on the last day of the month when it is shorter
    /// (31 August + 3 months is 30 November).
    public static func adding(months: Int, to date: LocalDate) -> LocalDate {
        let total = date.year * 12 + (date.month - 1) + months
        let year = total / 12
        let month = total % 12 + 1
        let day = min(date.day, LocalDate.daysIn(month: month, year: year))
        return LocalDate(year: year, month: month, day: day) ?? (months >= 0 ? .latest : .earliest)
    }

    // MARK: Validation

    private static func validated(
        _ submission: Submission, id: SuggestionID, _ context: DecisionContext
    ) throws(Error) -> Submission {
        let year = submission.date.year
        guard years.contains(year) else { throw .yearOutOfRange(year) }
        guard id.year == year else { throw .idYearMismatch(id: id, year: year) }
        guard let session = try optionalText(submission.session, .session) else { throw .emptyField(.session) }
        guard let number = try optionalText(submission.number, .number) else { throw .emptyField(.number) }
        guard !number.contains(where: \.isWhitespace) else { throw .invalidNumber(number) }
        guard let title = try optionalText(submission.title, .title) else { throw .emptyField(.title) }
        guard let lead = try optionalText(submission.leadDeputy, .leadDeputy) else { throw .emptyField(.leadDeputy) }
        var coSigners: [String] = []
        for name in submission.coSigners {
            guard let name = try optionalText(name, .coSigner) else { continue }
            guard name != lead else { throw .coSignerIsLeadDeputy(name) }
            guard !coSigners.contains(name) else { throw .duplicateCoSigner(name) }
            coSigners.append(name)
        }
        let text = try optionalText(submission.text, .text)
        guard submission.date <= context.today else { throw .dateInFuture(submission.date, today: context.today) }
        return Submission(
            session: session, number: number, title: title, leadDeputy: lead, coSigners: coSigners, text: text,
            date: submission.date)
    }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }
}

extension Suggestion: Decider {}

extension Suggestion.Snapshot {
    /// Refuses a command in a status it does not accept.
    fileprivate func require(_ action: Suggestion.Action, in allowed: [SuggestionStatus]) throws(Suggestion.Error) {
        guard allowed.contains(status) else { throw .wrongStatus(action: action, status: status, required: allowed) }
    }

    /// Checks the date of something that happened: not after today, not before the submission.
    fileprivate func checkDate(_ date: LocalDate, _ context: DecisionContext) throws(Suggestion.Error) {
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        guard date >= submission.date else { throw .dateBeforePreviousStep(date, previous: submission.date) }
    }

    /// Checks the date of a lifecycle step: as ``checkDate(_:_:)``, and not before the previous step.
    fileprivate func checkStep(_ date: LocalDate, _ context: DecisionContext) throws(Suggestion.Error) {
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
        guard date >= lastStepDate else { throw .dateBeforePreviousStep(date, previous: lastStepDate) }
    }
}

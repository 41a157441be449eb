/// A vote (表决): the decider of the stream "vote-<id>", recorded once with its computed result.
///
/// Two kinds of vote:
/// - A resolution or decision (决议、决定) voted for / against / abstain by the members entitled. It is adopted when
///   its rule is met: by default "for" exceeds half of those entitled (``VoteRule/majorityOfEntitled``); another
///   rule (two thirds of those entitled, a majority of those voting, …) is recorded with the vote.
/// - A differential vote on livelihood projects (民生实事项目票决): more candidates than places, a number of "for"
///   votes per candidate. A candidate reaches the threshold when its votes meet the rule (by default more than half
///   of the voters, ``VoteRule/majorityOfVoting``). The chosen are the top candidates that reach the threshold, up
///   to the number of places. When candidates tied at the boundary would compete for the last places, none of them
///   is chosen: they are reported as tied (a run-off is a new vote), and the places they compete for stay unfilled.
///
/// The result is computed here, never taken from the caller. A caller may state the result announced at the
/// meeting (`declaredAdopted`, `declaredChosen`); it is checked against the computed one and a mismatch is refused,
/// so that a mistyped tally is caught before it is recorded.
///
/// Rules, checked in this order (the first broken rule is reported):
/// 1. State: a vote is recorded once (``Error/alreadyRecorded(_:)``); a correction is not supported.
/// 2. Kind: a resolution or decision is recorded with ``Command/record(id:_:declaredAdopted:)``; the livelihood
///    kind only with ``Command/recordDifferential(id:_:declaredChosen:)``.
/// 3. Date: the vote's year (its date's year) is within ``years`` and is the id's year; the date is not later than
///    ``DecisionContext/today``.
/// 4. Texts: the title is not empty; texts fit their ``Field/maxLength``. A session number (and term) is 1 or more.
/// 5. Counts: 1 <= entitled <= ``maxEntitled``; every count is 0 or more; for + against + abstain <= entitled;
///    voters <= entitled.
/// 6. Rule: a proper fraction (``VoteRule/isValid``).
/// 7. Candidates (differential): 2 to ``maxCandidates`` names, none empty, none twice; places from 1 to
///    candidates − 1 (more candidates than places); each candidate's votes <= voters; all votes together <=
///    voters × places (a ballot marks at most as many candidates as there are places).
/// 8. Declared result: no more chosen than places; only candidates on the ballot; equal to the computed result.
///
/// Texts are trimmed (including the ideographic space); an optional text that is empty becomes `nil`.
/// Pure: no I/O, no clock.
public enum Vote {
    /// The years a vote may be dated in.
    public static let years: ClosedRange<Int> = 2000...2100
    /// The largest number of people entitled to vote (a national congress has about 3,000 deputies).
    public static let maxEntitled = 100_000
    /// The largest number of candidates of a differential vote.
    public static let maxCandidates = 500

    /// The standing committee session (or congress session) at which a vote was taken.
    public struct Session: Sendable, Equatable {
        /// The committee's term (届), such as 12, if recorded.
        public var term: Int?
        /// The session number (第N次会议), 1 or more.
        public var number: Int

        /// Creates a session reference.
        public init(term: Int? = nil, number: Int) {
            self.term = term
            self.number = number
        }
    }

    /// A resolution or decision put to the vote, with its tally.
    public struct Resolution: Sendable, Equatable {
        /// ``VoteKind/resolution`` or ``VoteKind/decision``.
        public var kind: VoteKind
        /// What was voted on, such as "关于推进两城建设的决议".
        public var title: String
        /// The day of the vote.
        public var date: LocalDate
        /// The session it was taken at, if recorded.
        public var session: Session?
        /// Members entitled to vote (全体组成人员).
        public var entitled: Int
        /// Votes for (赞成).
        public var forVotes: Int
        /// Votes against (反对).
        public var against: Int
        /// Abstentions (弃权).
        public var abstain: Int
        /// What it takes to adopt it.
        public var rule: VoteRule
        /// A note.
        public var note: String?

        /// Creates a resolution vote; the rule defaults to "for" exceeding half of those entitled.
        public init(
            kind: VoteKind = .resolution, title: String, date: LocalDate, session: Session? = nil, entitled: Int,
            forVotes: Int, against: Int, abstain: Int, rule: VoteRule = .majorityOfEntitled, note: String? = nil
        ) {
            self.kind = kind
            self.title = title
            self.date = date
            self.session = session
            self.entitled = entitled
            self.forVotes = forVotes
            self.against = against
            self.abstain = abstain
            self.rule = rule
            self.note = note
        }

        /// Those who voted: for + against + abstain.
        public var voting: Int { forVotes + against + abstain }

        /// Whether the rule is met (for a valid vote; the decider checks validity first).
        public var isAdopted: Bool {
            rule.isMet(by: forVotes, base: rule.base == .entitled ? entitled : voting)
        }
    }

    /// A candidate of a differential vote and the "for" votes it received.
    public struct Candidate: Sendable, Equatable {
        /// The project's name, such as "老旧小区改造".
        public var name: String
        /// The votes for it.
        public var votes: Int

        /// Creates a candidate with its votes.
        public init(_ name: String, votes: Int) {
            self.name = name
            self.votes = votes
        }
    }

    /// A differential vote on livelihood projects (民生实事项目票决).
    public struct Differential: Sendable, Equatable {
        /// What was voted on, such as "2025年民生实事项目票决".
        public var title: String
        /// The day of the vote.
        public var date: LocalDate
        /// The session it was taken at, if recorded.
        public var session: Session?
        /// Deputies entitled to vote.
        public var entitled: Int
        /// Ballots cast (参加投票).
        public var voters: Int
        /// How many projects are to be chosen; fewer than the candidates.
        public var places: Int
        /// The candidates in ballot order, with their votes.
        public var candidates: [Candidate]
        /// The threshold a candidate must reach.
        public var rule: VoteRule
        /// A note.
        public var note: String?

        /// Creates a differential vote; the threshold defaults to more than half of the voters.
        public init(
            title: String, date: LocalDate, session: Session? = nil, entitled: Int, voters: Int, places: Int,
            candidates: [Candidate], rule: VoteRule = .majorityOfVoting, note: String? = nil
        ) {
            self.title = title
            self.date = date
            self.session = session
            self.entitled = entitled
            self.voters = voters
            self.places = places
            self.candidates = candidates
            self.rule = rule
            self.note = note
        }

        /// Whether `votes` reach the threshold.
        public func reachesThreshold(_ votes: Int) -> Bool {
            rule.isMet(by: votes, base: rule.base == .entitled ? entitled : voters)
        }

        /// The result: the chosen and the tied candidates (for a valid vote; the decider checks validity first).
        public var selection: Selection {
            let ranked = candidates.enumerated()
                .filter { reachesThreshold($0.element.votes) }
                .sorted { ($0.element.votes, -$0.offset) > ($1.element.votes, -$1.offset) }
                .map(\.element)
            guard ranked.count > places, places >= 1 else { return Selection(chosen: ranked.map(\.name), tied: []) }
            let boundary = ranked[places - 1].votes
            guard ranked[places].votes == boundary else {
                return Selection(chosen: ranked.prefix(places).map(\.name), tied: [])
            }
            // A tie across the last place: the tied are reported, none of them chosen.
            let ballotOrder = candidates.filter { reachesThreshold($0.votes) && $0.votes == boundary }
            return Selection(
                chosen: ranked.filter { $0.votes > boundary }.map(\.name), tied: ballotOrder.map(\.name))
        }
    }

    /// The result of a differential vote.
    public struct Selection: Sendable, Equatable {
        /// The chosen projects, most votes first (ballot order among equals).
        public var chosen: [String]
        /// Projects that reached the threshold but are tied across the last place, in ballot order; not chosen.
        public var tied: [String]

        /// Creates a result.
        public init(chosen: [String], tied: [String] = []) {
            self.chosen = chosen
            self.tied = tied
        }
    }

    /// What a clerk asks for.
    public enum Command: Sendable, Equatable {
        /// Records a resolution or decision vote under a caller-assigned id; `declaredAdopted` is the announced
        /// result, checked against the computed one when given.
        case record(id: VoteID, Resolution, declaredAdopted: Bool? = nil)
        /// Records a differential livelihood vote under a caller-assigned id; `declaredChosen` is the announced
        /// list of chosen projects, checked against the computed one when given.
        case recordDifferential(id: VoteID, Differential, declaredChosen: [String]? = nil)
    }

    /// What happened; the only thing recorded.
    public enum Event: Sendable, Equatable {
        /// A resolution or decision vote was recorded with its result.
        case recorded(id: VoteID, Resolution, adopted: Bool)
        /// A differential vote was recorded with its result.
        case differentialRecorded(id: VoteID, Differential, Selection)
    }

    /// What the decider knows about a vote.
    public enum State: Sendable, Equatable {
        /// Not recorded yet.
        case absent
        /// Recorded under this id.
        case recorded(VoteID)
    }

    /// The texts of a vote that have a length limit.
    public enum Field: String, Sendable, CaseIterable {
        /// The title.
        case title
        /// A candidate project's name.
        case candidate
        /// The note.
        case note

        /// The maximum length in characters.
        public var maxLength: Int {
            switch self {
            case .title, .candidate: 200
            case .note: 2000
            }
        }
    }

    /// The counts of a vote, as named in messages.
    public enum Count: String, Sendable, CaseIterable {
        /// Members entitled.
        case entitled
        /// Votes for.
        case forVotes = "for"
        /// Votes against.
        case against
        /// Abstentions.
        case abstain
        /// Ballots cast.
        case voters
    }

    /// Why a vote command was refused; `description` is sent to the caller as it is.
    public enum Error: Swift.Error, Sendable, Equatable, CustomStringConvertible {
        /// A vote is already recorded under this id; votes are recorded once.
        case alreadyRecorded(VoteID)
        /// The kind does not suit the command (a livelihood vote recorded as a resolution).
        case wrongKind(VoteKind)
        /// The vote's year is outside ``Vote/years``.
        case yearOutOfRange(Int)
        /// The id's year is not the year of the vote's date.
        case idYearMismatch(id: VoteID, year: Int)
        /// The date is later than today.
        case dateInFuture(LocalDate, today: LocalDate)
        /// The title is empty or only white space.
        case emptyTitle
        /// A text is longer than its field allows.
        case textTooLong(Field, max: Int)
        /// A session number is below 1.
        case invalidSessionNumber(Int)
        /// A committee term is below 1.
        case invalidTerm(Int)
        /// The number entitled is below 1 or above ``Vote/maxEntitled``.
        case entitledOutOfRange(Int)
        /// A count is negative.
        case negativeCount(Count, Int)
        /// For + against + abstain is more than the number entitled.
        case tallyExceedsEntitled(voting: Int, entitled: Int)
        /// More ballots than people entitled.
        case votersExceedEntitled(voters: Int, entitled: Int)
        /// The rule's fraction is not a proper fraction with a denominator up to 100.
        case invalidRule(VoteRule)
        /// Fewer than two candidates.
        case tooFewCandidates(Int)
        /// More than ``Vote/maxCandidates`` candidates.
        case tooManyCandidates(Int, max: Int)
        /// A candidate's name is empty.
        case emptyCandidateName
        /// A candidate is listed twice.
        case duplicateCandidate(String)
        /// The places are not from 1 to one fewer than the candidates.
        case placesOutOfRange(places: Int, candidates: Int)
        /// A candidate has negative votes.
        case negativeCandidateVotes(candidate: String, votes: Int)
        /// A candidate has more votes than there were ballots.
        case candidateVotesExceedVoters(candidate: String, votes: Int, voters: Int)
        /// All votes together are more than the ballots could carry (voters × places).
        case votesExceedBallots(total: Int, max: Int)
        /// The declared result names more chosen projects than there are places.
        case moreChosenThanPlaces(chosen: Int, places: Int)
        /// The declared result names a project that is not a candidate.
        case unknownCandidate(String)
        /// The declared result names a project twice.
        case duplicateDeclaredCandidate(String)
        /// The declared adoption is not what the tally and rule give.
        case adoptionMismatch(declared: Bool, computed: Bool, rule: VoteRule)
        /// The declared chosen projects are not what the tallies and threshold give.
        case selectionMismatch(declared: [String], computed: Selection)

        /// A sentence saying what is wrong and what to do.
        public var description: String {
            switch self {
            case .alreadyRecorded(let id):
                "Vote \(id) is already recorded; a vote is recorded once. Record a new vote instead."
            case .wrongKind(let kind):
                kind == .livelihood
                    ? "A livelihood-project vote is a differential vote; record it with candidates and places."
                    : "A \(kind.rawValue) vote is voted for / against / abstain; record it as a resolution or decision."
            case .yearOutOfRange(let year):
                "The vote's year \(year) is out of range; use a date from \(Vote.years.lowerBound) to "
                    + "\(Vote.years.upperBound)."
            case .idYearMismatch(let id, let year):
                "Vote id \(id) does not belong to \(year), the year of the vote's date; use an id of the form "
                    + "V\(year)-NNN."
            case .dateInFuture(let date, let today):
                "The date \(date) is after today (\(today)); record only votes that have been taken."
            case .emptyTitle:
                "The title is empty; say what was voted on."
            case .textTooLong(let field, let max):
                "The \(field.rawValue) is too long; use at most \(max) characters."
            case .invalidSessionNumber(let number):
                "The session number \(number) is invalid; use 1 or more."
            case .invalidTerm(let term):
                "The committee term \(term) is invalid; use 1 or more."
            case .entitledOutOfRange(let count):
                "The number entitled to vote (\(count)) is out of range; use 1 to \(Vote.maxEntitled)."
            case .negativeCount(let count, let value):
                "The \(count.rawValue) count (\(value)) is negative; use 0 or more."
            case .tallyExceedsEntitled(let voting, let entitled):
                "For + against + abstain is \(voting), more than the \(entitled) entitled to vote; "
                    + "the tally does not add up."
            case .votersExceedEntitled(let voters, let entitled):
                "There are \(voters) voters but only \(entitled) entitled to vote; the tally does not add up."
            case .invalidRule(let rule):
                "The rule \(rule) is not a proper fraction; use a fraction n/d with 1 <= n < d <= "
                    + "\(VoteRule.maxDenominator), such as more-than-1/2-of-entitled."
            case .tooFewCandidates(let count):
                "A differential vote needs at least 2 candidates; \(count) given."
            case .tooManyCandidates(let count, let max):
                "\(count) candidates are too many; use at most \(max)."
            case .emptyCandidateName:
                "A candidate's name is empty; name every candidate project."
            case .duplicateCandidate(let name):
                "The candidate \"\(name)\" is listed twice; list each candidate once."
            case .placesOutOfRange(let places, let candidates):
                "\(places) places for \(candidates) candidates is not a differential vote; there must be more "
                    + "candidates than places and at least 1 place (1 to \(max(candidates - 1, 1)))."
            case .negativeCandidateVotes(let candidate, let votes):
                "The candidate \"\(candidate)\" has a negative number of votes (\(votes)); use 0 or more."
            case .candidateVotesExceedVoters(let candidate, let votes, let voters):
                "The candidate \"\(candidate)\" has \(votes) votes but only \(voters) ballots were cast; "
                    + "the tally does not add up."
            case .votesExceedBallots(let total, let max):
                "The candidates have \(total) votes together, more than the ballots can carry (\(max): voters × "
                    + "places); the tally does not add up."
            case .moreChosenThanPlaces(let chosen, let places):
                "\(chosen) projects are declared chosen but there are only \(places) places."
            case .unknownCandidate(let name):
                "\"\(name)\" is declared chosen but is not a candidate of this vote."
            case .duplicateDeclaredCandidate(let name):
                "\"\(name)\" is declared chosen twice; name each chosen project once."
            case .adoptionMismatch(let declared, let computed, let rule):
                "The vote is declared \(declared ? "adopted" : "not adopted") but the tally gives "
                    + "\(computed ? "adopted" : "not adopted") under the rule \(rule.sentence); check the tally "
                    + "and the rule."
            case .selectionMismatch(let declared, let computed):
                "The declared chosen projects (\(Self.list(declared))) are not the computed ones "
                    + "(\(Self.list(computed.chosen)))"
                    + (computed.tied.isEmpty
                        ? ""
                        : "; \(Self.list(computed.tied)) are tied across the last place and a tie is not broken "
                            + "silently: record the run-off as a new vote")
                    + "; check the tallies and the threshold."
            }
        }

        private static func list(_ names: [String]) -> String {
            names.isEmpty ? "none" : names.joined(separator: "、")
        }
    }

    /// The state of a vote stream before any event.
    public static let initial: State = .absent

    /// Decides what a command does; refuses only with a ``Vote/Error``.
    ///
    /// - Parameters:
    ///   - command: What the clerk asks for.
    ///   - state: The vote's state, folded from its stream.
    ///   - context: Today.
    /// - Returns: The one event to record.
    /// - Throws: ``Vote/Error``, the first rule the command breaks (see the rules on ``Vote``).
    public static func decide(_ command: Command, _ state: State, _ context: DecisionContext) throws(Error) -> [Event] {
        if case .recorded(let id) = state { throw .alreadyRecorded(id) }
        switch command {
        case .record(let id, let resolution, let declared):
            let resolution = try validated(resolution, id: id, context)
            let adopted = resolution.isAdopted
            if let declared, declared != adopted {
                throw .adoptionMismatch(declared: declared, computed: adopted, rule: resolution.rule)
            }
            return [.recorded(id: id, resolution, adopted: adopted)]
        case .recordDifferential(let id, let differential, let declared):
            let differential = try validated(differential, id: id, context)
            let selection = differential.selection
            if let declared { try check(declared, against: selection, of: differential) }
            return [.differentialRecorded(id: id, differential, selection)]
        }
    }

    /// Applies one recorded event; never fails.
    public static func evolve(_ state: State, _ event: Event) -> State {
        guard case .absent = state else { return state }
        switch event {
        case .recorded(let id, _, _), .differentialRecorded(let id, _, _): return .recorded(id)
        }
    }

    /// The stream that holds a vote's event: "vote-<id>".
    public static func stream(_ id: VoteID) -> StreamID { id.stream }

    // MARK: Validation

    private static func validated(
        _ resolution: Resolution, id: VoteID, _ context: DecisionContext
    ) throws(Error) -> Resolution {
        guard resolution.kind != .livelihood else { throw .wrongKind(.livelihood) }
        try checkDate(resolution.date, id: id, context)
        let title = try title(resolution.title)
        try check(resolution.session)
        try checkEntitled(resolution.entitled)
        for (count, value) in [
            (Count.forVotes, resolution.forVotes), (.against, resolution.against), (.abstain, resolution.abstain),
        ] where value < 0 {
            throw .negativeCount(count, value)
        }
        guard resolution.voting <= resolution.entitled else {
            throw .tallyExceedsEntitled(voting: resolution.voting, entitled: resolution.entitled)
        }
        guard resolution.rule.isValid else { throw .invalidRule(resolution.rule) }
        var cleaned = resolution
        cleaned.title = title
        cleaned.note = try optionalText(resolution.note, .note)
        return cleaned
    }

    private static func validated(
        _ differential: Differential, id: VoteID, _ context: DecisionContext
    ) throws(Error) -> Differential {
        try checkDate(differential.date, id: id, context)
        let title = try title(differential.title)
        try check(differential.session)
        try checkEntitled(differential.entitled)
        guard differential.voters >= 0 else { throw .negativeCount(.voters, differential.voters) }
        guard differential.voters <= differential.entitled else {
            throw .votersExceedEntitled(voters: differential.voters, entitled: differential.entitled)
        }
        guard differential.rule.isValid else { throw .invalidRule(differential.rule) }
        let count = differential.candidates.count
        guard count >= 2 else { throw .tooFewCandidates(count) }
        guard count <= maxCandidates else { throw .tooManyCandidates(count, max: maxCandidates) }
        var candidates: [Candidate] = []
        var seen: Set<String> = []
        var total = 0
        for candidate in differential.candidates {
            guard let name = try optionalText(candidate.name, .candidate) else { throw .emptyCandidateName }
            guard seen.insert(name).inserted else { throw .duplicateCandidate(name) }
            guard candidate.votes >= 0 else { throw .negativeCandidateVotes(candidate: name, votes: candidate.votes) }
            guard candidate.votes <= differential.voters else {
                throw .candidateVotesExceedVoters(candidate: name, votes: candidate.votes, voters: differential.voters)
            }
            total += candidate.votes
            candidates.append(Candidate(name, votes: candidate.votes))
        }
        guard (1..<count).contains(differential.places) else {
            throw .placesOutOfRange(places: differential.places, candidates: count)
        }
        let ballots = differential.voters * differential.places
        guard total <= ballots else { throw .votesExceedBallots(total: total, max: ballots) }
        var cleaned = differential
        cleaned.title = title
        cleaned.candidates = candidates
        cleaned.note = try optionalText(differential.note, .note)
        return cleaned
    }

    /// Checks a declared list of chosen projects against the computed selection.
    private static func check(
        _ declared: [String], against selection: Selection, of differential: Differential
    ) throws(Error) {
        let names = declared.compactMap { Optional($0).trimmedOrNil }
        guard names.count <= differential.places else {
            throw .moreChosenThanPlaces(chosen: names.count, places: differential.places)
        }
        let candidates = Set(differential.candidates.map(\.name))
        var seen: Set<String> = []
        for name in names {
            guard candidates.contains(name) else { throw .unknownCandidate(name) }
            guard seen.insert(name).inserted else { throw .duplicateDeclaredCandidate(name) }
        }
        guard seen == Set(selection.chosen) else { throw .selectionMismatch(declared: names, computed: selection) }
    }

    private static func checkDate(_ date: LocalDate, id: VoteID, _ context: DecisionContext) throws(Error) {
        guard years.contains(date.year) else { throw .yearOutOfRange(date.year) }
        guard id.year == date.year else { throw .idYearMismatch(id: id, year: date.year) }
        guard date <= context.today else { throw .dateInFuture(date, today: context.today) }
    }

    private static func title(_ text: String) throws(Error) -> String {
        guard let title = try optionalText(text, .title) else { throw .emptyTitle }
        return title
    }

    private static func check(_ session: Session?) throws(Error) {
        guard let session else { return }
        guard session.number >= 1 else { throw .invalidSessionNumber(session.number) }
        if let term = session.term, term < 1 { throw .invalidTerm(term) }
    }

    private static func checkEntitled(_ entitled: Int) throws(Error) {
        guard (1...maxEntitled).contains(entitled) else { throw .entitledOutOfRange(entitled) }
    }

    /// The trimmed text, `nil` if absent or empty; refuses a text longer than the field allows.
    private static func optionalText(_ text: String?, _ field: Field) throws(Error) -> String? {
        guard let text = text.trimmedOrNil else { return nil }
        guard text.count <= field.maxLength else { throw .textTooLong(field, max: field.maxLength) }
        return text
    }
}

extension Vote: Decider {}

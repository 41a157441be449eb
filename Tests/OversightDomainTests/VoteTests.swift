import OversightDomain
import Testing

/// Demo votes after the seed: the 58-0-0 two-city resolution and a livelihood-project differential vote.
enum VoteDemo {
    static func id(_ text: String) -> VoteID {
        guard let id = VoteID(text) else { preconditionFailure("invalid test vote id \(text)") }
        return id
    }

    static let resolutionID = id("V2024-001")
    static let differentialID = id("V2024-002")
    /// The standing committee's members entitled (invented: the seed gives only the tally).
    static let twoCity = Vote.Resolution(
        title: "关于加快推进“两城”建设的决议", date: day("2024-06-27"), session: Vote.Session(term: 12, number: 11),
        entitled: 62, forVotes: 58, against: 0, abstain: 0)
    static let twoCityRecorded = Vote.Event.recorded(id: resolutionID, twoCity, adopted: true)

    /// Five candidates for three places (invented figures).
    static let livelihood = Vote.Differential(
        title: "2025年宝丰县民生实事项目票决", date: day("2024-12-20"), session: Vote.Session(term: 11, number: 4),
        entitled: 150, voters: 140, places: 3,
        candidates: [
            Vote.Candidate("老旧小区改造", votes: 130), Vote.Candidate("农村供水提升", votes: 120),
            Vote.Candidate("城区停车场建设", votes: 90), Vote.Candidate("社区养老服务站", votes: 60),
            Vote.Candidate("学校食堂改造", votes: 20),
        ])
    static let livelihoodRecorded = Vote.Event.differentialRecorded(
        id: differentialID, livelihood, Vote.Selection(chosen: ["老旧小区改造", "农村供水提升", "城区停车场建设"]))

    /// A context on 31 December 2024.
    static let context = DecisionContext(today: day("2024-12-31"))
}

/// Given events, when a vote command, then the recorded vote with its result or the exact refusal.
struct VoteTests {
    func decide(
        _ command: Vote.Command, given history: [Vote.Event] = [], today: String = "2024-12-31"
    )
        throws(Vote.Error) -> [Vote.Event]
    {
        try Vote.decide(command, given: history, DecisionContext(today: day(today)))
    }

    func resolution(_ change: (inout Vote.Resolution) -> Void = { _ in }, declared: Bool? = nil) -> Vote.Command {
        var resolution = VoteDemo.twoCity
        change(&resolution)
        return .record(id: VoteDemo.resolutionID, resolution, declaredAdopted: declared)
    }

    func differential(
        _ change: (inout Vote.Differential) -> Void = { _ in }, declared: [String]? = nil
    )
        -> Vote.Command
    {
        var differential = VoteDemo.livelihood
        change(&differential)
        return .recordDifferential(id: VoteDemo.differentialID, differential, declaredChosen: declared)
    }

    /// The adoption computed for a tally under a rule.
    func adopted(
        entitled: Int, _ forVotes: Int, _ against: Int, _ abstain: Int, rule: VoteRule = .majorityOfEntitled
    ) throws -> Bool {
        let events = try decide(
            resolution {
                $0.entitled = entitled
                $0.forVotes = forVotes
                $0.against = against
                $0.abstain = abstain
                $0.rule = rule
            })
        guard case .recorded(_, _, let adopted) = events.first, events.count == 1 else {
            Issue.record("expected one VoteRecorded event, got \(events)")
            return false
        }
        return adopted
    }

    /// The selection computed for candidates' votes.
    func selection(
        places: Int, voters: Int = 100, entitled: Int = 120, rule: VoteRule = .majorityOfVoting, _ votes: [Int]
    ) throws -> Vote.Selection? {
        let candidates = votes.enumerated().map { Vote.Candidate("项目\($0.offset + 1)", votes: $0.element) }
        let events = try decide(
            differential {
                $0.places = places
                $0.voters = voters
                $0.entitled = entitled
                $0.rule = rule
                $0.candidates = candidates
            })
        guard case .differentialRecorded(_, _, let selection) = events.first, events.count == 1 else {
            Issue.record("expected one VoteDifferentialRecorded event, got \(events)")
            return nil
        }
        return selection
    }

    // MARK: Resolutions and decisions

    @Test func `the seed's two-city resolution, 58 for, 0 against, 0 abstain, is recorded as adopted`() throws {
        #expect(try decide(resolution()) == [VoteDemo.twoCityRecorded])
        #expect(try decide(resolution(declared: true)) == [VoteDemo.twoCityRecorded])
    }

    @Test func `a decision is recorded with its kind`() throws {
        let events = try decide(resolution { $0.kind = .decision })
        var expected = VoteDemo.twoCity
        expected.kind = .decision
        #expect(events == [.recorded(id: VoteDemo.resolutionID, expected, adopted: true)])
    }

    @Test func `by default "for" must exceed half of those entitled, not of those voting`() throws {
        #expect(try adopted(entitled: 62, 32, 0, 0) == true)
        #expect(try adopted(entitled: 62, 31, 0, 0) == false, "exactly half is not more than half")
        #expect(try adopted(entitled: 61, 31, 0, 0) == true)
        #expect(try adopted(entitled: 61, 30, 0, 0) == false)
        #expect(try adopted(entitled: 62, 30, 2, 1) == false, "30 of 33 voting is a majority of voting only")
    }

    @Test func `another rule is recorded with the vote and decides the result`() throws {
        let twoThirds = VoteRule.twoThirdsOfEntitled
        #expect(try adopted(entitled: 60, 40, 0, 0, rule: twoThirds) == true, "exactly two thirds is enough")
        #expect(try adopted(entitled: 60, 39, 0, 0, rule: twoThirds) == false)
        #expect(try adopted(entitled: 62, 30, 20, 5, rule: .majorityOfVoting) == true)
        #expect(try adopted(entitled: 62, 25, 20, 5, rule: .majorityOfVoting) == false, "25 of 50 is not more")
        let events = try decide(resolution { $0.rule = twoThirds })
        guard case .recorded(_, let recorded, _) = events.first else {
            Issue.record("no VoteRecorded event")
            return
        }
        #expect(recorded.rule == twoThirds)
    }

    @Test func `nothing is adopted without a vote for it, even under an at-least rule of those voting`() throws {
        #expect(try adopted(entitled: 62, 0, 0, 0, rule: VoteRule(.atLeast, 1, 2, of: .voting)) == false)
        #expect(try adopted(entitled: 62, 0, 0, 0) == false)
    }

    @Test func `a vote that is not adopted is recorded as not adopted`() throws {
        let events = try decide(resolution { $0.forVotes = 20 })
        var expected = VoteDemo.twoCity
        expected.forVotes = 20
        #expect(events == [.recorded(id: VoteDemo.resolutionID, expected, adopted: false)])
    }

    @Test func `texts are trimmed and an empty note becomes nil`() throws {
        let events = try decide(
            resolution {
                $0.title = "\u{3000} 关于加快推进“两城”建设的决议 \n"
                $0.note = "  "
            })
        #expect(events == [VoteDemo.twoCityRecorded])
    }

    @Test func `a session is optional`() throws {
        let events = try decide(resolution { $0.session = nil })
        var expected = VoteDemo.twoCity
        expected.session = nil
        #expect(events == [.recorded(id: VoteDemo.resolutionID, expected, adopted: true)])
    }

    @Test func `a vote is recorded once: recording it again is refused`() {
        #expect(throws: Vote.Error.alreadyRecorded(VoteDemo.resolutionID)) {
            try decide(resolution(), given: [VoteDemo.twoCityRecorded])
        }
        #expect(throws: Vote.Error.alreadyRecorded(VoteDemo.resolutionID)) {
            try decide(differential(), given: [VoteDemo.twoCityRecorded])
        }
    }

    @Test func `a livelihood vote cannot be recorded as a resolution`() {
        #expect(throws: Vote.Error.wrongKind(.livelihood)) { try decide(resolution { $0.kind = .livelihood }) }
    }

    @Test func `a date after today is refused, today is accepted`() throws {
        #expect(throws: Vote.Error.dateInFuture(day("2024-06-27"), today: day("2024-06-26"))) {
            try decide(resolution(), today: "2024-06-26")
        }
        #expect(try decide(resolution(), today: "2024-06-27").count == 1)
    }

    @Test func `the id must be of the vote's year, and the year within range`() {
        #expect(throws: Vote.Error.idYearMismatch(id: VoteDemo.resolutionID, year: 2023)) {
            try decide(resolution { $0.date = day("2023-12-28") })
        }
        var old = VoteDemo.twoCity
        old.date = day("1999-06-27")
        #expect(throws: Vote.Error.yearOutOfRange(1999)) { try decide(.record(id: VoteDemo.id("V1999-001"), old)) }
    }

    @Test(arguments: ["", "  ", "\u{3000}"])
    func `an empty title is refused`(title: String) {
        #expect(throws: Vote.Error.emptyTitle) { try decide(resolution { $0.title = title }) }
    }

    @Test func `titles and notes have length limits`() {
        #expect(throws: Vote.Error.textTooLong(.title, max: 200)) {
            try decide(resolution { $0.title = String(repeating: "决", count: 201) })
        }
        #expect(throws: Vote.Error.textTooLong(.note, max: 2000)) {
            try decide(resolution { $0.note = String(repeating: "注", count: 2001) })
        }
    }

    @Test func `a session number and term below 1 are refused`() {
        #expect(throws: Vote.Error.invalidSessionNumber(0)) {
            try decide(resolution { $0.session = Vote.Session(number: 0) })
        }
        #expect(throws: Vote.Error.invalidTerm(0)) {
            try decide(resolution { $0.session = Vote.Session(term: 0, number: 11) })
        }
    }

    @Test(arguments: [0, -1, 100_001])
    func `entitled out of 1...100000 is refused`(entitled: Int) {
        #expect(throws: Vote.Error.entitledOutOfRange(entitled)) {
            try decide(
                resolution {
                    $0.entitled = entitled
                    $0.forVotes = 0
                })
        }
    }

    @Test func `negative counts are refused by name`() {
        #expect(throws: Vote.Error.negativeCount(.forVotes, -1)) { try decide(resolution { $0.forVotes = -1 }) }
        #expect(throws: Vote.Error.negativeCount(.against, -2)) { try decide(resolution { $0.against = -2 }) }
        #expect(throws: Vote.Error.negativeCount(.abstain, -3)) { try decide(resolution { $0.abstain = -3 }) }
    }

    @Test func `a tally over the number entitled is refused; equal to it is accepted`() throws {
        #expect(throws: Vote.Error.tallyExceedsEntitled(voting: 63, entitled: 62)) {
            try decide(
                resolution {
                    $0.against = 3
                    $0.abstain = 2
                })
        }
        #expect(try adopted(entitled: 62, 58, 3, 1) == true)
    }

    @Test(arguments: [
        VoteRule(.moreThan, 0, 2, of: .entitled), VoteRule(.moreThan, 2, 2, of: .entitled),
        VoteRule(.atLeast, 3, 2, of: .voting), VoteRule(.moreThan, 1, 101, of: .entitled),
        VoteRule(.moreThan, -1, 2, of: .entitled),
    ])
    func `a rule that is not a proper fraction is refused`(rule: VoteRule) {
        #expect(throws: Vote.Error.invalidRule(rule)) { try decide(resolution { $0.rule = rule }) }
    }

    @Test func `a declared result that the tally does not give is refused`() {
        #expect(throws: Vote.Error.adoptionMismatch(declared: false, computed: true, rule: .majorityOfEntitled)) {
            try decide(resolution(declared: false))
        }
        #expect(throws: Vote.Error.adoptionMismatch(declared: true, computed: false, rule: .majorityOfEntitled)) {
            try decide(resolution({ $0.forVotes = 31 }, declared: true))
        }
    }

    // MARK: Differential votes

    @Test func `the top candidates that reach the threshold are chosen, up to the places`() throws {
        #expect(try decide(differential()) == [VoteDemo.livelihoodRecorded])
        #expect(
            try decide(differential(declared: ["城区停车场建设", "老旧小区改造", "农村供水提升"])) == [VoteDemo.livelihoodRecorded],
            "the declared list may be in any order")
    }

    @Test func `chosen projects are ordered by votes, ballot order among equals`() throws {
        #expect(try selection(places: 3, [55, 90, 60, 90, 5]) == Vote.Selection(chosen: ["项目2", "项目4", "项目3"]))
    }

    @Test func `by default a candidate must have more than half of the voters`() throws {
        #expect(try selection(places: 3, voters: 100, [51, 50, 49, 90]) == Vote.Selection(chosen: ["项目4", "项目1"]))
    }

    @Test func `places stay unfilled when too few candidates reach the threshold`() throws {
        #expect(try selection(places: 2, [10, 20, 30]) == Vote.Selection(chosen: []))
    }

    @Test func `another threshold is recorded with the vote and decides who is chosen`() throws {
        let ofEntitled = try selection(
            places: 3, voters: 100, entitled: 120, rule: .majorityOfEntitled, [61, 60, 70, 80])
        #expect(ofEntitled == Vote.Selection(chosen: ["项目4", "项目3", "项目1"]))
        let twoThirds = try selection(
            places: 3, voters: 90, rule: VoteRule(.atLeast, 2, 3, of: .voting), [60, 59, 90, 1])
        #expect(twoThirds == Vote.Selection(chosen: ["项目3", "项目1"]))
    }

    @Test func `a tie across the last place is reported and none of the tied is chosen`() throws {
        #expect(
            try selection(places: 2, [90, 55, 55, 0]) == Vote.Selection(chosen: ["项目1"], tied: ["项目2", "项目3"]))
        #expect(
            try selection(places: 1, rule: VoteRule(.atLeast, 1, 3, of: .voting), [40, 20, 40])
                == Vote.Selection(chosen: [], tied: ["项目1", "项目3"]))
        #expect(
            try selection(places: 3, [52, 70, 52, 70, 52])
                == Vote.Selection(chosen: ["项目2", "项目4"], tied: ["项目1", "项目3", "项目5"]))
    }

    @Test func `a tie that does not decide who is chosen is no tie`() throws {
        #expect(try selection(places: 2, [70, 70, 40]) == Vote.Selection(chosen: ["项目1", "项目2"]))
        #expect(
            try selection(places: 2, rule: VoteRule(.atLeast, 1, 4, of: .voting), [80, 50, 30, 30])
                == Vote.Selection(chosen: ["项目1", "项目2"]))
        #expect(
            try selection(places: 3, [70, 70, 20, 20]) == Vote.Selection(chosen: ["项目1", "项目2"]), "below threshold")
    }

    @Test func `declaring a tied candidate chosen is refused: a tie is not broken silently`() {
        let candidates = [
            Vote.Candidate("甲", votes: 100), Vote.Candidate("乙", votes: 80), Vote.Candidate("丙", votes: 80),
        ]
        let command = differential(
            {
                $0.places = 2
                $0.candidates = candidates
            }, declared: ["甲", "乙"])
        #expect(
            throws: Vote.Error.selectionMismatch(
                declared: ["甲", "乙"], computed: Vote.Selection(chosen: ["甲"], tied: ["乙", "丙"]))
        ) { try decide(command) }
    }

    @Test func `declaring more chosen than places is refused`() {
        #expect(throws: Vote.Error.moreChosenThanPlaces(chosen: 4, places: 3)) {
            try decide(differential(declared: ["老旧小区改造", "农村供水提升", "城区停车场建设", "社区养老服务站"]))
        }
    }

    @Test func `declaring a project that is not a candidate, or one twice, is refused`() {
        #expect(throws: Vote.Error.unknownCandidate("公园建设")) {
            try decide(differential(declared: ["老旧小区改造", "公园建设"]))
        }
        #expect(throws: Vote.Error.duplicateDeclaredCandidate("老旧小区改造")) {
            try decide(differential(declared: ["老旧小区改造", " 老旧小区改造"]))
        }
    }

    @Test func `declaring other chosen projects than the tallies give is refused`() {
        #expect(
            throws: Vote.Error.selectionMismatch(
                declared: ["老旧小区改造", "社区养老服务站"],
                computed: Vote.Selection(chosen: ["老旧小区改造", "农村供水提升", "城区停车场建设"]))
        ) { try decide(differential(declared: ["老旧小区改造", "社区养老服务站"])) }
    }

    @Test(arguments: [0, 1])
    func `fewer than two candidates are refused`(count: Int) {
        #expect(throws: Vote.Error.tooFewCandidates(count)) {
            try decide(differential { $0.candidates = Array($0.candidates.prefix(count)) })
        }
    }

    @Test func `more than 500 candidates are refused`() {
        let many = (1...501).map { Vote.Candidate("项目\($0)", votes: 0) }
        #expect(throws: Vote.Error.tooManyCandidates(501, max: 500)) {
            try decide(differential { $0.candidates = many })
        }
    }

    @Test func `a candidate named twice, even with other spacing, is refused`() {
        #expect(throws: Vote.Error.duplicateCandidate("老旧小区改造")) {
            try decide(differential { $0.candidates.append(Vote.Candidate(" 老旧小区改造\u{3000}", votes: 1)) })
        }
    }

    @Test func `a candidate with an empty or too long name is refused`() {
        #expect(throws: Vote.Error.emptyCandidateName) {
            try decide(differential { $0.candidates[1] = Vote.Candidate("  ", votes: 1) })
        }
        #expect(throws: Vote.Error.textTooLong(.candidate, max: 200)) {
            try decide(differential { $0.candidates[1] = Vote.Candidate(String(repeating: "项", count: 201), votes: 1) })
        }
    }

    @Test(arguments: [0, 5, 6, -1])
    func `places must be fewer than the candidates and at least one`(places: Int) {
        #expect(throws: Vote.Error.placesOutOfRange(places: places, candidates: 5)) {
            try decide(differential { $0.places = places })
        }
    }

    @Test func `a candidate's votes over the voters, or negative, are refused`() {
        #expect(throws: Vote.Error.candidateVotesExceedVoters(candidate: "农村供水提升", votes: 141, voters: 140)) {
            try decide(differential { $0.candidates[1].votes = 141 })
        }
        #expect(throws: Vote.Error.negativeCandidateVotes(candidate: "农村供水提升", votes: -1)) {
            try decide(differential { $0.candidates[1].votes = -1 })
        }
    }

    @Test func `votes over what the ballots can carry are refused`() throws {
        let full = [140, 140, 140, 0, 0]
        #expect(
            try decide(
                differential { $0.candidates = zip($0.candidates, full).map { Vote.Candidate($0.name, votes: $1) } }
            )
            .count == 1)
        #expect(throws: Vote.Error.votesExceedBallots(total: 421, max: 420)) {
            try decide(
                differential {
                    $0.candidates = zip($0.candidates, [140, 140, 140, 1, 0]).map { Vote.Candidate($0.name, votes: $1) }
                })
        }
    }

    @Test func `voters over the number entitled, or negative, are refused`() {
        #expect(throws: Vote.Error.votersExceedEntitled(voters: 151, entitled: 150)) {
            try decide(differential { $0.voters = 151 })
        }
        #expect(throws: Vote.Error.negativeCount(.voters, -1)) { try decide(differential { $0.voters = -1 }) }
    }

    @Test func `a differential vote checks its date, title, entitled and rule like a resolution`() {
        #expect(throws: Vote.Error.dateInFuture(day("2024-12-20"), today: day("2024-12-19"))) {
            try decide(differential(), today: "2024-12-19")
        }
        #expect(throws: Vote.Error.emptyTitle) { try decide(differential { $0.title = "" }) }
        #expect(throws: Vote.Error.entitledOutOfRange(0)) {
            try decide(
                differential {
                    $0.entitled = 0
                    $0.voters = 0
                })
        }
        #expect(throws: Vote.Error.invalidRule(VoteRule(.moreThan, 1, 1, of: .voting))) {
            try decide(differential { $0.rule = VoteRule(.moreThan, 1, 1, of: .voting) })
        }
        #expect(throws: Vote.Error.idYearMismatch(id: VoteDemo.differentialID, year: 2025)) {
            try decide(differential { $0.date = day("2025-01-02") }, today: "2025-01-05")
        }
    }

    // MARK: Rules, state and messages

    @Test func `rules are written and read back in one spelling, with three names`() {
        #expect(VoteRule.majorityOfEntitled.description == "more-than-1/2-of-entitled")
        #expect(VoteRule.twoThirdsOfEntitled.description == "at-least-2/3-of-entitled")
        #expect(VoteRule.majorityOfVoting.description == "more-than-1/2-of-voting")
        #expect(VoteRule("majority-of-entitled") == .majorityOfEntitled)
        #expect(VoteRule("two-thirds-of-entitled") == .twoThirdsOfEntitled)
        #expect(VoteRule("majority-of-voting") == .majorityOfVoting)
        #expect(VoteRule("at-least-3/5-of-voting") == VoteRule(.atLeast, 3, 5, of: .voting))
        for text in [
            "", "more-than-1/2", "more-than-1/2-of-present", "most-1/2-of-entitled", "more-than-12-of-entitled",
            "more-than-1/-of-entitled", "more-than-/2-of-entitled", "more-than-1/99999-of-entitled",
            "more-than-x/2-of-entitled", "more-than-1/2/3-of-entitled",
        ] {
            #expect(VoteRule(text) == nil, "\(text)")
        }
        #expect(VoteRule.twoThirdsOfEntitled.sentence == "at least 2/3 of those entitled")
    }

    @Test func `a recorded vote's state is its id, whatever else follows`() {
        #expect(Vote.state(after: [VoteDemo.twoCityRecorded]) == .recorded(VoteDemo.resolutionID))
        #expect(
            Vote.state(after: [VoteDemo.livelihoodRecorded, VoteDemo.twoCityRecorded])
                == .recorded(VoteDemo.differentialID))
        #expect(Vote.state(after: []) == .absent)
    }

    @Test func `every refusal is a sentence that names what is wrong`() {
        let errors: [(Vote.Error, String)] = [
            (.alreadyRecorded(VoteDemo.resolutionID), "V2024-001"),
            (.tallyExceedsEntitled(voting: 63, entitled: 62), "does not add up"),
            (.moreChosenThanPlaces(chosen: 4, places: 3), "only 3 places"),
            (.placesOutOfRange(places: 5, candidates: 5), "more candidates than places"),
            (
                .selectionMismatch(declared: ["甲", "乙"], computed: Vote.Selection(chosen: ["甲"], tied: ["乙", "丙"])),
                "乙、丙 are tied"
            ),
            (
                .adoptionMismatch(declared: false, computed: true, rule: .majorityOfEntitled),
                "more than 1/2 of those entitled"
            ),
            (.wrongKind(.livelihood), "differential"),
            (.invalidRule(VoteRule(.moreThan, 2, 2, of: .entitled)), "more-than-2/2-of-entitled"),
        ]
        for (error, fragment) in errors {
            #expect(error.description.contains(fragment), "\(error.description)")
            #expect(error.description.hasSuffix("."), "\(error.description)")
        }
    }
}

import Foundation
import GRDB
import OversightDomain
import OversightStore
import Varlink

/// `org.oversight.votes`: record resolution, decision and differential votes with their results; the vote board.
struct VotesInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let gateway: CommandGateway
    let queries: QueryRunner

    init(gateway: CommandGateway, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.votes")
        self.gateway = gateway
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        do {
            switch call.methodName {
            case "RecordResolution":
                let resolution = Vote.Resolution(
                    kind: try parameters.optionalChoice("kind", VoteKind.self) ?? .resolution,
                    title: try parameters.string("title"),
                    date: try parameters.date("date"),
                    session: try Self.session(parameters),
                    entitled: try parameters.int("entitled"),
                    forVotes: try parameters.int("for"),
                    against: try parameters.int("against"),
                    abstain: try parameters.int("abstain"),
                    rule: try Self.rule(parameters) ?? .majorityOfEntitled,
                    note: parameters.optionalString("note")
                )
                let declared = parameters.values["adopted"]?.boolValue
                gateway.submit(call, context: context, responder: responder) { context in
                    try Self.record(year: resolution.date.year, &context) { id in
                        .record(id: id, resolution, declaredAdopted: declared)
                    }
                }
            case "RecordDifferential":
                let differential = Vote.Differential(
                    title: try parameters.string("title"),
                    date: try parameters.date("date"),
                    session: try Self.session(parameters),
                    entitled: try parameters.int("entitled"),
                    voters: try parameters.int("voters"),
                    places: try parameters.int("places"),
                    candidates: try Self.candidates(parameters),
                    rule: try Self.rule(parameters) ?? .majorityOfVoting,
                    note: parameters.optionalString("note")
                )
                let declared = parameters.values["chosen"]?.arrayValue.map { $0.compactMap(\.stringValue) }
                gateway.submit(call, context: context, responder: responder) { context in
                    var reply = try Self.record(year: differential.date.year, &context) { id in
                        .recordDifferential(id: id, differential, declaredChosen: declared)
                    }
                    if let id = reply["vote"]?["id"]?.stringValue {
                        reply["candidates"] = .array(
                            try VoteCandidateRow.of(context.transaction.db, voteID: id).map(Self.encode))
                    }
                    return reply
                }
            case "List":
                let filter = VoteRow.Filter(
                    year: try parameters.optionalInt("year"),
                    kind: try parameters.optionalChoice("kind", VoteKind.self)?.rawValue
                )
                queries.answer(call, responder) { db in
                    let votes = try VoteRow.board(db, filter: filter)
                    return [
                        "votes": .array(votes.map(Self.encode)), "total": .int(Int64(votes.count)),
                        "adopted": .int(Int64(votes.filter { $0.adopted == true }.count)),
                    ]
                }
            case "Show":
                let id = try parameters.recordID("id", VoteID.self)
                queries.answer(call, responder) { db in
                    guard let vote = try VoteRow.find(db, id: id.rawValue) else { throw Self.notFound(id) }
                    let candidates = try VoteCandidateRow.of(db, voteID: id.rawValue)
                    return ["vote": Self.encode(vote), "candidates": .array(candidates.map(Self.encode))]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Records a new vote under the next free id of its year.
    private static func record(
        year: Int, _ context: inout CommandContext, _ command: (VoteID) -> Vote.Command
    ) throws -> [String: JSONValue] {
        let db = context.transaction.db
        let id = VoteID(year: year, sequence: try VoteRow.nextSequence(db, year: year))
        let stream = Vote.stream(id)
        let (state, version) = try context.load(stream, initial: Vote.initial) { state, event in
            Vote.evolve(state, try event.decoded(as: Vote.Event.self))
        }
        let events = try Vote.decide(command(id), state, DecisionContext(today: context.today))
        let recorded = try context.append(
            events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version)
        )
        guard let row = try VoteRow.find(db, id: id.rawValue) else {
            throw StoreError.corrupt("the vote board has no row for \(id) after its event was recorded")
        }
        return ["position": .int(recorded.last?.position ?? row.position), "vote": encode(row)]
    }

    /// The optional session of a vote: `session` (number) with an optional `term`.
    private static func session(_ parameters: Parameters) throws -> Vote.Session? {
        let term = try parameters.optionalInt("term")
        guard let number = try parameters.optionalInt("session") else {
            if term != nil { throw parameters.invalid("term", "term is given without session; give the session too") }
            return nil
        }
        return Vote.Session(term: term, number: number)
    }

    /// The optional `rule`, in its stored spelling or one of its names.
    private static func rule(_ parameters: Parameters) throws -> VoteRule? {
        guard let text = parameters.optionalString("rule") else { return nil }
        guard let rule = VoteRule(text) else {
            throw parameters.invalid(
                "rule",
                "rule must be written like more-than-1/2-of-entitled, at-least-2/3-of-entitled or "
                    + "more-than-1/2-of-voting, not \"\(text)\"")
        }
        return rule
    }

    /// The `candidates` of a differential vote, in ballot order.
    private static func candidates(_ parameters: Parameters) throws -> [Vote.Candidate] {
        try (parameters.values["candidates"]?.arrayValue ?? []).map { value in
            let candidate = Parameters(value.objectValue ?? [:], interface: parameters.interface)
            return Vote.Candidate(try candidate.string("name"), votes: try candidate.int("votes"))
        }
    }

    static func notFound(_ id: VoteID) -> VarlinkError {
        VarlinkError("org.oversight.votes.VoteNotFound", parameters: ["id": .string(id.rawValue)])
    }

    static func encode(_ row: VoteRow) -> JSONValue {
        func int(_ value: Int?) -> JSONValue? { value.map { .int(Int64($0)) } }
        var object: [String: JSONValue] = [
            "id": .string(row.id), "year": .int(Int64(row.year)), "kind": .string(row.kind),
            "title": .string(row.title), "date": .string(row.date), "entitled": .int(Int64(row.entitled)),
            "rule": .string(row.rule), "ruleText": .string(VoteRule(row.rule)?.sentence ?? row.rule),
            "position": .int(row.position),
        ]
        object["session"] = row.session.map(JSONValue.string)
        object["for"] = int(row.forCount)
        object["against"] = int(row.againstCount)
        object["abstain"] = int(row.abstainCount)
        object["voters"] = int(row.voters)
        object["places"] = int(row.places)
        object["chosen"] = row.chosen.map { .array($0.map(JSONValue.string)) }
        object["tied"] = row.tied.map { .array($0.map(JSONValue.string)) }
        object["adopted"] = row.adopted.map(JSONValue.bool)
        object["note"] = row.note.map(JSONValue.string)
        return .object(object)
    }

    static func encode(_ row: VoteCandidateRow) -> JSONValue {
        [
            "ordinal": .int(Int64(row.ordinal)), "name": .string(row.candidate), "votes": .int(Int64(row.votes)),
            "chosen": .bool(row.chosen), "tied": .bool(row.tied),
        ]
    }
}

extension Vote.Error: ReasonCoded {
    /// A stable key for the refusal, sent as `Rejected.reason`.
    var reason: String {
        switch self {
        case .alreadyRecorded: "alreadyRecorded"
        case .wrongKind: "wrongKind"
        case .yearOutOfRange: "yearOutOfRange"
        case .idYearMismatch: "idYearMismatch"
        case .dateInFuture: "dateInFuture"
        case .emptyTitle: "emptyTitle"
        case .textTooLong: "textTooLong"
        case .invalidSessionNumber: "invalidSessionNumber"
        case .invalidTerm: "invalidTerm"
        case .entitledOutOfRange: "entitledOutOfRange"
        case .negativeCount: "negativeCount"
        case .tallyExceedsEntitled: "tallyExceedsEntitled"
        case .votersExceedEntitled: "votersExceedEntitled"
        case .invalidRule: "invalidRule"
        case .tooFewCandidates: "tooFewCandidates"
        case .tooManyCandidates: "tooManyCandidates"
        case .emptyCandidateName: "emptyCandidateName"
        case .duplicateCandidate: "duplicateCandidate"
        case .placesOutOfRange: "placesOutOfRange"
        case .negativeCandidateVotes: "negativeCandidateVotes"
        case .candidateVotesExceedVoters: "candidateVotesExceedVoters"
        case .votesExceedBallots: "votesExceedBallots"
        case .moreChosenThanPlaces: "moreChosenThanPlaces"
        case .unknownCandidate: "unknownCandidate"
        case .duplicateDeclaredCandidate: "duplicateDeclaredCandidate"
        case .adoptionMismatch: "adoptionMismatch"
        case .selectionMismatch: "selectionMismatch"
        }
    }
}

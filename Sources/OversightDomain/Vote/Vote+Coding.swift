#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of vote events, schema version 1. Keys are sorted; an absent optional is left out; dates are
/// "YYYY-MM-DD"; kinds are their raw values; a rule is an object.
///
/// ```json
/// VoteRecorded              {"abstain":0,"adopted":true,"against":0,"date":"2024-06-27","entitled":62,"for":58,
///                            "id":"V2024-001","kind":"resolution","note":"…","rule":{"base":"entitled",
///                            "comparison":"more-than","denominator":2,"numerator":1},"session":11,"term":12,
///                            "title":"…","v":1}
/// VoteDifferentialRecorded  {"candidates":[{"name":"…","votes":120}],"chosen":["…"],"date":"…","entitled":150,
///                            "id":"V2024-002","note":"…","places":10,"rule":{…},"session":3,"term":12,
///                            "tied":["…"],"title":"…","v":1,"voters":140}
/// ```
extension Vote.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .recorded: "VoteRecorded"
        case .differentialRecorded: "VoteDifferentialRecorded"
        }
    }

    /// All stored type names of vote events.
    public static let eventTypes = ["VoteRecorded", "VoteDifferentialRecorded"]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .recorded(let id, let resolution, let adopted):
            try EventJSON.encode(
                RecordedV1(
                    id: id, kind: resolution.kind, title: resolution.title, date: resolution.date,
                    term: resolution.session?.term, session: resolution.session?.number, entitled: resolution.entitled,
                    forVotes: resolution.forVotes, against: resolution.against, abstain: resolution.abstain,
                    rule: RuleV1(resolution.rule), adopted: adopted, note: resolution.note))
        case .differentialRecorded(let id, let differential, let selection):
            try EventJSON.encode(
                DifferentialRecordedV1(
                    id: id, title: differential.title, date: differential.date, term: differential.session?.term,
                    session: differential.session?.number, entitled: differential.entitled,
                    voters: differential.voters, places: differential.places,
                    candidates: differential.candidates.map { CandidateV1(name: $0.name, votes: $0.votes) },
                    rule: RuleV1(differential.rule), chosen: selection.chosen, tied: selection.tied,
                    note: differential.note))
        }
    }

    /// Reads a stored vote event, upcasting older versions (every type is at version 1).
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        func payload<Payload: Decodable>(_ type: Payload.Type) throws(DomainDecodingError) -> Payload {
            try EventJSON.decode(type, from: data, eventType: eventType)
        }
        switch (eventType, version) {
        case ("VoteRecorded", 1):
            let p = try payload(RecordedV1.self)
            let resolution = Vote.Resolution(
                kind: p.kind, title: p.title, date: p.date, session: session(term: p.term, number: p.session),
                entitled: p.entitled, forVotes: p.forVotes, against: p.against, abstain: p.abstain, rule: p.rule.rule,
                note: p.note)
            return .recorded(id: p.id, resolution, adopted: p.adopted)
        case ("VoteDifferentialRecorded", 1):
            let p = try payload(DifferentialRecordedV1.self)
            let differential = Vote.Differential(
                title: p.title, date: p.date, session: session(term: p.term, number: p.session), entitled: p.entitled,
                voters: p.voters, places: p.places,
                candidates: p.candidates.map { Vote.Candidate($0.name, votes: $0.votes) },
                rule: p.rule.rule, note: p.note)
            return .differentialRecorded(id: p.id, differential, Vote.Selection(chosen: p.chosen, tied: p.tied))
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    private static func session(term: Int?, number: Int?) -> Vote.Session? {
        number.map { Vote.Session(term: term, number: $0) }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct RuleV1: Codable {
        var base: VoteRule.Base
        var comparison: VoteRule.Comparison
        var numerator: Int
        var denominator: Int
        enum CodingKeys: String, CodingKey {
            case base = "base"
            case comparison = "comparison"
            case numerator = "numerator"
            case denominator = "denominator"
        }

        init(_ rule: VoteRule) {
            base = rule.base
            comparison = rule.comparison
            numerator = rule.numerator
            denominator = rule.denominator
        }

        var rule: VoteRule { VoteRule(comparison, numerator, denominator, of: base) }
    }

    private struct RecordedV1: Codable {
        var version = 1
        var id: VoteID
        var kind: VoteKind
        var title: String
        var date: LocalDate
        var term: Int?
        var session: Int?
        var entitled: Int
        var forVotes: Int
        var against: Int
        var abstain: Int
        var rule: RuleV1
        var adopted: Bool
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case kind = "kind"
            case title = "title"
            case date = "date"
            case term = "term"
            case session = "session"
            case entitled = "entitled"
            case forVotes = "for"
            case against = "against"
            case abstain = "abstain"
            case rule = "rule"
            case adopted = "adopted"
            case note = "note"
        }
    }

    private struct CandidateV1: Codable {
        var name: String
        var votes: Int
        enum CodingKeys: String, CodingKey {
            case name = "name"
            case votes = "votes"
        }
    }

    private struct DifferentialRecordedV1: Codable {
        var version = 1
        var id: VoteID
        var title: String
        var date: LocalDate
        var term: Int?
        var session: Int?
        var entitled: Int
        var voters: Int
        var places: Int
        var candidates: [CandidateV1]
        var rule: RuleV1
        var chosen: [String]
        var tied: [String]
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case title = "title"
            case date = "date"
            case term = "term"
            case session = "session"
            case entitled = "entitled"
            case voters = "voters"
            case places = "places"
            case candidates = "candidates"
            case rule = "rule"
            case chosen = "chosen"
            case tied = "tied"
            case note = "note"
        }
    }
}

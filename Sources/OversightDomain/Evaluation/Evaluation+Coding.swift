#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of evaluation events, schema version 1. Keys are sorted; an absent optional is left out; dates
/// are "YYYY-MM-DD"; the rule is its stable text (``VerdictRule/description``); verdicts and ballots are their raw
/// values.
///
/// The subject is `subjectKind` plus its fields: `department` (the department evaluated; for an inquiry round or a
/// suggestion reply, the answering department when known), `inquiry` and `round`, `topic`, or `suggestion`.
///
/// ```json
/// EvaluationRecorded     {"basicallySatisfied":8,"date":"2024-10-30","department":"fgw","dissatisfied":1,
///                         "entitled":35,"id":"E2024-001","notVoting":1,"note":"…","present":30,
///                         "rule":"entitled-majority","satisfied":20,"subjectKind":"department","v":1,
///                         "verdict":"satisfied"}
/// EvaluationOpened       {"date":"2024-11-02","entitled":35,"id":"E2024-002","present":30,"rule":"present>0.5",
///                         "subjectKind":"suggestion-reply","suggestion":"S2024-001","v":1}
/// EvaluationBallotCast   {"ballot":"basically-satisfied","v":1}
/// EvaluationClosed       {"basicallySatisfied":1,"date":"…","dissatisfied":0,"entitled":35,"notVoting":0,
///                         "present":30,"satisfied":29,"v":1,"verdict":"satisfied"}
/// ```
extension Evaluation.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .recorded: "EvaluationRecorded"
        case .opened: "EvaluationOpened"
        case .ballotCast: "EvaluationBallotCast"
        case .closed: "EvaluationClosed"
        }
    }

    /// All stored type names of evaluation events.
    public static let eventTypes = [
        "EvaluationRecorded", "EvaluationOpened", "EvaluationBallotCast", "EvaluationClosed",
    ]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .recorded(let id, let record, let verdict):
            let subject = SubjectFields(record.subject)
            let tally = record.tally
            return try EventJSON.encode(
                RecordedV1(
                    id: id, subjectKind: record.subject.kind, department: subject.department,
                    inquiry: subject.inquiry, round: subject.round, topic: subject.topic,
                    suggestion: subject.suggestion, date: record.date, entitled: tally.entitled,
                    present: tally.present, satisfied: tally.satisfied, basicallySatisfied: tally.basicallySatisfied,
                    dissatisfied: tally.dissatisfied, notVoting: tally.notVoting, rule: record.rule.description,
                    verdict: verdict, note: record.note))
        case .opened(let id, let opening):
            let subject = SubjectFields(opening.subject)
            return try EventJSON.encode(
                OpenedV1(
                    id: id, subjectKind: opening.subject.kind, department: subject.department,
                    inquiry: subject.inquiry, round: subject.round, topic: subject.topic,
                    suggestion: subject.suggestion, date: opening.date, entitled: opening.entitled,
                    present: opening.present, rule: opening.rule.description, note: opening.note))
        case .ballotCast(let ballot):
            return try EventJSON.encode(BallotCastV1(ballot: ballot.rawValue))
        case .closed(let date, let tally, let verdict):
            return try EventJSON.encode(
                ClosedV1(
                    date: date, entitled: tally.entitled, present: tally.present, satisfied: tally.satisfied,
                    basicallySatisfied: tally.basicallySatisfied, dissatisfied: tally.dissatisfied,
                    notVoting: tally.notVoting, verdict: verdict))
        }
    }

    /// Reads a stored evaluation event, upcasting older versions.
    ///
    /// Every type is at version 1. When a type's shape changes, its current payload becomes version 2 and the
    /// version-1 branch below maps the old payload to the current event (an upcast); stored events stay as written.
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        func payload<Payload: Decodable>(_ type: Payload.Type) throws(DomainDecodingError) -> Payload {
            try EventJSON.decode(type, from: data, eventType: eventType)
        }
        func rule(_ text: String) throws(DomainDecodingError) -> VerdictRule {
            guard let rule = VerdictRule(text) else {
                throw .invalidData(eventType: eventType, reason: "invalid value at \"rule\": \"\(text.prefix(40))\"")
            }
            return rule
        }
        switch (eventType, version) {
        case ("EvaluationRecorded", 1):
            let p = try payload(RecordedV1.self)
            let subject = try SubjectFields(
                department: p.department, inquiry: p.inquiry, round: p.round, topic: p.topic, suggestion: p.suggestion
            ).subject(p.subjectKind, eventType: eventType)
            let tally = Evaluation.Tally(
                entitled: p.entitled, present: p.present, satisfied: p.satisfied,
                basicallySatisfied: p.basicallySatisfied, dissatisfied: p.dissatisfied, notVoting: p.notVoting)
            let record = Evaluation.Record(
                subject: subject, date: p.date, tally: tally, rule: try rule(p.rule), note: p.note)
            return .recorded(id: p.id, record, verdict: p.verdict)
        case ("EvaluationOpened", 1):
            let p = try payload(OpenedV1.self)
            let subject = try SubjectFields(
                department: p.department, inquiry: p.inquiry, round: p.round, topic: p.topic, suggestion: p.suggestion
            ).subject(p.subjectKind, eventType: eventType)
            return .opened(
                id: p.id,
                Evaluation.Opening(
                    subject: subject, date: p.date, entitled: p.entitled, present: p.present, rule: try rule(p.rule),
                    note: p.note))
        case ("EvaluationBallotCast", 1):
            let p = try payload(BallotCastV1.self)
            guard let ballot = Evaluation.Ballot(rawValue: p.ballot) else {
                throw .invalidData(
                    eventType: eventType, reason: "invalid value at \"ballot\": \"\(p.ballot.prefix(40))\"")
            }
            return .ballotCast(ballot)
        case ("EvaluationClosed", 1):
            let p = try payload(ClosedV1.self)
            let tally = Evaluation.Tally(
                entitled: p.entitled, present: p.present, satisfied: p.satisfied,
                basicallySatisfied: p.basicallySatisfied, dissatisfied: p.dissatisfied, notVoting: p.notVoting)
            return .closed(date: p.date, tally: tally, verdict: p.verdict)
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    /// The subject's fields as stored, whichever its kind.
    private struct SubjectFields {
        var department: DepartmentCode?
        var inquiry: InquiryID?
        var round: Int?
        var topic: TopicID?
        var suggestion: SuggestionID?

        init(
            department: DepartmentCode?, inquiry: InquiryID?, round: Int?, topic: TopicID?, suggestion: SuggestionID?
        ) {
            self.department = department
            self.inquiry = inquiry
            self.round = round
            self.topic = topic
            self.suggestion = suggestion
        }

        init(_ subject: Evaluation.Subject) {
            switch subject {
            case .department(let code):
                department = code
            case .inquiryRound(let id, let round, let code):
                (inquiry, self.round, department) = (id, round, code)
            case .handlingReport(let id):
                topic = id
            case .suggestionReply(let id, let code):
                (suggestion, department) = (id, code)
            }
        }

        /// The subject of `kind`; refuses a payload that lacks a field the kind needs.
        func subject(
            _ kind: Evaluation.SubjectKind, eventType: String
        ) throws(DomainDecodingError)
            -> Evaluation.Subject
        {
            func missing(_ key: String) -> DomainDecodingError {
                .invalidData(eventType: eventType, reason: "missing \"\(key)\" of a \(kind.rawValue) subject")
            }
            switch kind {
            case .department:
                guard let department else { throw missing("department") }
                return .department(department)
            case .inquiryRound:
                guard let inquiry else { throw missing("inquiry") }
                guard let round else { throw missing("round") }
                return .inquiryRound(inquiry, round: round, department: department)
            case .handlingReport:
                guard let topic else { throw missing("topic") }
                return .handlingReport(topic)
            case .suggestionReply:
                guard let suggestion else { throw missing("suggestion") }
                return .suggestionReply(suggestion, department: department)
            }
        }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct RecordedV1: Codable {
        var version = 1
        var id: EvaluationID
        var subjectKind: Evaluation.SubjectKind
        var department: DepartmentCode?
        var inquiry: InquiryID?
        var round: Int?
        var topic: TopicID?
        var suggestion: SuggestionID?
        var date: LocalDate
        var entitled: Int
        var present: Int
        var satisfied: Int
        var basicallySatisfied: Int
        var dissatisfied: Int
        var notVoting: Int
        var rule: String
        var verdict: Rating
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case subjectKind = "subjectKind"
            case department = "department"
            case inquiry = "inquiry"
            case round = "round"
            case topic = "topic"
            case suggestion = "suggestion"
            case date = "date"
            case entitled = "entitled"
            case present = "present"
            case satisfied = "satisfied"
            case basicallySatisfied = "basicallySatisfied"
            case dissatisfied = "dissatisfied"
            case notVoting = "notVoting"
            case rule = "rule"
            case verdict = "verdict"
            case note = "note"
        }
    }

    private struct OpenedV1: Codable {
        var version = 1
        var id: EvaluationID
        var subjectKind: Evaluation.SubjectKind
        var department: DepartmentCode?
        var inquiry: InquiryID?
        var round: Int?
        var topic: TopicID?
        var suggestion: SuggestionID?
        var date: LocalDate
        var entitled: Int
        var present: Int
        var rule: String
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case subjectKind = "subjectKind"
            case department = "department"
            case inquiry = "inquiry"
            case round = "round"
            case topic = "topic"
            case suggestion = "suggestion"
            case date = "date"
            case entitled = "entitled"
            case present = "present"
            case rule = "rule"
            case note = "note"
        }
    }

    private struct BallotCastV1: Codable {
        var version = 1
        var ballot: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case ballot = "ballot"
        }
    }

    private struct ClosedV1: Codable {
        var version = 1
        var date: LocalDate
        var entitled: Int
        var present: Int
        var satisfied: Int
        var basicallySatisfied: Int
        var dissatisfied: Int
        var notVoting: Int
        var verdict: Rating
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case entitled = "entitled"
            case present = "present"
            case satisfied = "satisfied"
            case basicallySatisfied = "basicallySatisfied"
            case dissatisfied = "dissatisfied"
            case notVoting = "notVoting"
            case verdict = "verdict"
        }
    }
}

extension Evaluation.SubjectKind: Codable {}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of inquiry events, schema version 1. Keys are sorted; an absent optional is left out; dates are
/// "YYYY-MM-DD".
///
/// ```json
/// InquiryScheduled       {"committee":"…","date":"2024-08-19","id":"Q2024-001","number":13,"subject":"…",
///                         "term":12,"topicId":"T2024-003","v":1}
/// InquiryRoundRecorded   {"answerSummary":"…","date":"2024-08-19","question":"…","questioner":"…",
///                         "respondent":"…","respondentDepartment":"mzj","round":1,"v":1}
/// InquiryConcluded       {"date":"2024-08-19","note":"…","v":1}
/// InquiryTransferred     {"date":"2024-08-30","dueDate":"2024-11-30","summary":"…","v":1}
/// ```
/// Other aggregates read `InquiryRoundRecorded` and its `"round"` (1-based): keep both names.
extension Inquiry.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .scheduled: "InquiryScheduled"
        case .roundRecorded: "InquiryRoundRecorded"
        case .concluded: "InquiryConcluded"
        case .transferred: "InquiryTransferred"
        }
    }

    /// All stored type names of inquiry events.
    public static let eventTypes = [
        "InquiryScheduled", "InquiryRoundRecorded", "InquiryConcluded", "InquiryTransferred",
    ]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .scheduled(let id, let schedule):
            try EventJSON.encode(
                ScheduledV1(
                    id: id, subject: schedule.subject, term: schedule.session.term, number: schedule.session.number,
                    date: schedule.session.date, topicID: schedule.topicID, committee: schedule.committee))
        case .roundRecorded(let number, let date, let round):
            try EventJSON.encode(
                RoundRecordedV1(
                    round: number, date: date, questioner: round.questioner, respondent: round.respondent,
                    respondentDepartment: round.department, question: round.question,
                    answerSummary: round.answerSummary))
        case .concluded(let date, let note):
            try EventJSON.encode(ConcludedV1(date: date, note: note))
        case .transferred(let date, let dueDate, let summary):
            try EventJSON.encode(TransferredV1(date: date, dueDate: dueDate, summary: summary))
        }
    }

    /// Reads a stored inquiry event, upcasting older versions.
    ///
    /// Every type is at version 1. When a type's shape changes, its current payload becomes version 2 and the
    /// version-1 branch below maps the old payload to the current event (an upcast); stored events stay as written.
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        func payload<Payload: Decodable>(_ type: Payload.Type) throws(DomainDecodingError) -> Payload {
            try EventJSON.decode(type, from: data, eventType: eventType)
        }
        switch (eventType, version) {
        case ("InquiryScheduled", 1):
            let p = try payload(ScheduledV1.self)
            let schedule = Inquiry.Schedule(
                subject: p.subject, session: Inquiry.Session(term: p.term, number: p.number, date: p.date),
                topicID: p.topicID, committee: p.committee)
            return .scheduled(id: p.id, schedule)
        case ("InquiryRoundRecorded", 1):
            let p = try payload(RoundRecordedV1.self)
            let round = Inquiry.Round(
                questioner: p.questioner, respondent: p.respondent, department: p.respondentDepartment,
                question: p.question, answerSummary: p.answerSummary)
            return .roundRecorded(round: p.round, date: p.date, round)
        case ("InquiryConcluded", 1):
            let p = try payload(ConcludedV1.self)
            return .concluded(date: p.date, note: p.note)
        case ("InquiryTransferred", 1):
            let p = try payload(TransferredV1.self)
            return .transferred(date: p.date, dueDate: p.dueDate, summary: p.summary)
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct ScheduledV1: Codable {
        var version = 1
        var id: InquiryID
        var subject: String
        var term: Int?
        var number: Int
        var date: LocalDate
        var topicID: TopicID?
        var committee: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case subject = "subject"
            case term = "term"
            case number = "number"
            case date = "date"
            case topicID = "topicId"
            case committee = "committee"
        }
    }

    private struct RoundRecordedV1: Codable {
        var version = 1
        var round: Int
        var date: LocalDate
        var questioner: String
        var respondent: String
        var respondentDepartment: DepartmentCode
        var question: String
        var answerSummary: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case round = "round"
            case date = "date"
            case questioner = "questioner"
            case respondent = "respondent"
            case respondentDepartment = "respondentDepartment"
            case question = "question"
            case answerSummary = "answerSummary"
        }
    }

    private struct ConcludedV1: Codable {
        var version = 1
        var date: LocalDate
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case note = "note"
        }
    }

    private struct TransferredV1: Codable {
        var version = 1
        var date: LocalDate
        var dueDate: LocalDate
        var summary: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case dueDate = "dueDate"
            case summary = "summary"
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of topic events, schema version 1. Keys are sorted; an absent optional is left out; dates are
/// "YYYY-MM-DD"; kinds are their raw values.
///
/// ```json
/// TopicPlanned              {"committee":"…","departments":["fgw"],"id":"T2024-003","kind":"law-inspection",
///                            "leader":"…","theme":"…","title":"…","v":1,"year":2024}
/// TopicActivityRecorded     {"date":"2024-05-10","kind":"field-visit","peopleMet":30,"places":["…"],
///                            "summary":"…","units":["…"],"v":1}
/// TopicDeliberated          {"date":"2024-08-19","number":13,"term":12,"v":1}
/// TopicOpinionsTransferred  {"date":"…","dueDate":"…","summary":"…","v":1}
/// TopicHandlingReported     {"date":"…","summary":"…","v":1}
/// TopicSentBack             {"date":"…","dueDate":"…","reason":"…","round":2,"v":1}
/// TopicClosed               {"date":"…","note":"…","v":1}
/// ```
extension Topic.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .planned: "TopicPlanned"
        case .activityRecorded: "TopicActivityRecorded"
        case .deliberated: "TopicDeliberated"
        case .opinionsTransferred: "TopicOpinionsTransferred"
        case .handlingReported: "TopicHandlingReported"
        case .sentBack: "TopicSentBack"
        case .closed: "TopicClosed"
        }
    }

    /// All stored type names of topic events.
    public static let eventTypes = [
        "TopicPlanned", "TopicActivityRecorded", "TopicDeliberated", "TopicOpinionsTransferred",
        "TopicHandlingReported", "TopicSentBack", "TopicClosed",
    ]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .planned(let id, let plan):
            try EventJSON.encode(
                PlannedV1(
                    id: id, year: plan.year, kind: plan.kind, title: plan.title, committee: plan.committee,
                    leader: plan.leader, departments: plan.departments, theme: plan.theme))
        case .activityRecorded(let activity):
            try EventJSON.encode(
                ActivityRecordedV1(
                    kind: activity.kind, date: activity.date, places: activity.places, units: activity.units,
                    peopleMet: activity.peopleMet, summary: activity.summary))
        case .deliberated(let session):
            try EventJSON.encode(DeliberatedV1(term: session.term, number: session.number, date: session.date))
        case .opinionsTransferred(let date, let dueDate, let summary):
            try EventJSON.encode(OpinionsTransferredV1(date: date, dueDate: dueDate, summary: summary))
        case .handlingReported(let date, let summary):
            try EventJSON.encode(HandlingReportedV1(date: date, summary: summary))
        case .sentBack(let date, let dueDate, let reason, let round):
            try EventJSON.encode(SentBackV1(date: date, dueDate: dueDate, reason: reason, round: round))
        case .closed(let date, let note):
            try EventJSON.encode(ClosedV1(date: date, note: note))
        }
    }

    /// Reads a stored topic event, upcasting older versions.
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
        case ("TopicPlanned", 1):
            let p = try payload(PlannedV1.self)
            let plan = Topic.Plan(
                year: p.year, kind: p.kind, title: p.title, committee: p.committee, leader: p.leader,
                departments: p.departments, theme: p.theme)
            return .planned(id: p.id, plan)
        case ("TopicActivityRecorded", 1):
            let p = try payload(ActivityRecordedV1.self)
            return .activityRecorded(
                Topic.Activity(
                    kind: p.kind, date: p.date, places: p.places, units: p.units, peopleMet: p.peopleMet,
                    summary: p.summary))
        case ("TopicDeliberated", 1):
            let p = try payload(DeliberatedV1.self)
            return .deliberated(Topic.Session(term: p.term, number: p.number, date: p.date))
        case ("TopicOpinionsTransferred", 1):
            let p = try payload(OpinionsTransferredV1.self)
            return .opinionsTransferred(date: p.date, dueDate: p.dueDate, summary: p.summary)
        case ("TopicHandlingReported", 1):
            let p = try payload(HandlingReportedV1.self)
            return .handlingReported(date: p.date, summary: p.summary)
        case ("TopicSentBack", 1):
            let p = try payload(SentBackV1.self)
            return .sentBack(date: p.date, dueDate: p.dueDate, reason: p.reason, round: p.round)
        case ("TopicClosed", 1):
            let p = try payload(ClosedV1.self)
            return .closed(date: p.date, note: p.note)
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct PlannedV1: Codable {
        var version = 1
        var id: TopicID
        var year: Int
        var kind: TopicKind
        var title: String
        var committee: String?
        var leader: String?
        var departments: [DepartmentCode]
        var theme: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case year = "year"
            case kind = "kind"
            case title = "title"
            case committee = "committee"
            case leader = "leader"
            case departments = "departments"
            case theme = "theme"
        }
    }

    private struct ActivityRecordedV1: Codable {
        var version = 1
        var kind: ActivityKind
        var date: LocalDate
        var places: [String]
        var units: [String]
        var peopleMet: Int?
        var summary: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case kind = "kind"
            case date = "date"
            case places = "places"
            case units = "units"
            case peopleMet = "peopleMet"
            case summary = "summary"
        }
    }

    private struct DeliberatedV1: Codable {
        var version = 1
        var term: Int?
        var number: Int
        var date: LocalDate
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case term = "term"
            case number = "number"
            case date = "date"
        }
    }

    private struct OpinionsTransferredV1: Codable {
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

    private struct HandlingReportedV1: Codable {
        var version = 1
        var date: LocalDate
        var summary: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case summary = "summary"
        }
    }

    private struct SentBackV1: Codable {
        var version = 1
        var date: LocalDate
        var dueDate: LocalDate
        var reason: String
        var round: Int
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case dueDate = "dueDate"
            case reason = "reason"
            case round = "round"
        }
    }

    private struct ClosedV1: Codable {
        var version = 1
        var date: LocalDate
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case note = "note"
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of suggestion events, schema version 1. Keys are sorted; an absent optional is left out; dates
/// are "YYYY-MM-DD"; ratings are their raw values.
///
/// ```json
/// SuggestionSubmitted          {"coSigners":["…"],"date":"2024-02-20","id":"S2024-001","leadDeputy":"…",
///                               "number":"0123","session":"十二届二次","text":"…","title":"…","v":1}
/// SuggestionAssigned           {"coUnits":["kjj"],"complex":false,"date":"…","dueDate":"…","leadUnit":"fgw","v":1}
/// SuggestionMarkedKey          {"date":"…","leader":"…","v":1}
/// SuggestionReturned           {"date":"…","deadline":"…","reason":"…","unit":"fgw","v":1}
/// SuggestionReplied            {"category":"C","categoryList":"national@1","categoryMeaning":"…","date":"…",
///                               "reason":"…","round":1,"text":"…","v":1}
/// SuggestionRated              {"comment":"…","date":"…","rating":"dissatisfied","round":1,"v":1}
/// SuggestionRehandlingStarted  {"date":"…","dueDate":"…","round":2,"v":1}
/// SuggestionClosed             {"date":"…","note":"…","v":1}
/// ```
extension Suggestion.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .submitted: "SuggestionSubmitted"
        case .assigned: "SuggestionAssigned"
        case .markedKey: "SuggestionMarkedKey"
        case .returned: "SuggestionReturned"
        case .replied: "SuggestionReplied"
        case .rated: "SuggestionRated"
        case .rehandlingStarted: "SuggestionRehandlingStarted"
        case .closed: "SuggestionClosed"
        }
    }

    /// All stored type names of suggestion events.
    public static let eventTypes = [
        "SuggestionSubmitted", "SuggestionAssigned", "SuggestionMarkedKey", "SuggestionReturned", "SuggestionReplied",
        "SuggestionRated", "SuggestionRehandlingStarted", "SuggestionClosed",
    ]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .submitted(let id, let s):
            try EventJSON.encode(
                SubmittedV1(
                    id: id, session: s.session, number: s.number, title: s.title, leadDeputy: s.leadDeputy,
                    coSigners: s.coSigners, text: s.text, date: s.date))
        case .assigned(let date, let leadUnit, let coUnits, let complex, let dueDate):
            try EventJSON.encode(
                AssignedV1(date: date, leadUnit: leadUnit, coUnits: coUnits, complex: complex, dueDate: dueDate))
        case .markedKey(let date, let leader):
            try EventJSON.encode(MarkedKeyV1(date: date, leader: leader))
        case .returned(let date, let unit, let reason, let deadline):
            try EventJSON.encode(ReturnedV1(date: date, unit: unit, reason: reason, deadline: deadline))
        case .replied(let r):
            try EventJSON.encode(
                RepliedV1(
                    date: r.date, category: r.category, categoryList: r.categoryList,
                    categoryMeaning: r.categoryMeaning, text: r.text, reason: r.reason, round: r.round))
        case .rated(let date, let rating, let comment, let round):
            try EventJSON.encode(RatedV1(date: date, rating: rating, comment: comment, round: round))
        case .rehandlingStarted(let date, let dueDate, let round):
            try EventJSON.encode(RehandlingStartedV1(date: date, dueDate: dueDate, round: round))
        case .closed(let date, let note):
            try EventJSON.encode(ClosedV1(date: date, note: note))
        }
    }

    /// Reads a stored suggestion event, upcasting older versions (every type is at version 1).
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        func payload<Payload: Decodable>(_ type: Payload.Type) throws(DomainDecodingError) -> Payload {
            try EventJSON.decode(type, from: data, eventType: eventType)
        }
        switch (eventType, version) {
        case ("SuggestionSubmitted", 1):
            let p = try payload(SubmittedV1.self)
            return .submitted(
                id: p.id,
                Suggestion.Submission(
                    session: p.session, number: p.number, title: p.title, leadDeputy: p.leadDeputy,
                    coSigners: p.coSigners, text: p.text, date: p.date))
        case ("SuggestionAssigned", 1):
            let p = try payload(AssignedV1.self)
            return .assigned(
                date: p.date, leadUnit: p.leadUnit, coUnits: p.coUnits, complex: p.complex, dueDate: p.dueDate)
        case ("SuggestionMarkedKey", 1):
            let p = try payload(MarkedKeyV1.self)
            return .markedKey(date: p.date, leader: p.leader)
        case ("SuggestionReturned", 1):
            let p = try payload(ReturnedV1.self)
            return .returned(date: p.date, unit: p.unit, reason: p.reason, deadline: p.deadline)
        case ("SuggestionReplied", 1):
            let p = try payload(RepliedV1.self)
            return .replied(
                Suggestion.Reply(
                    date: p.date, category: p.category, categoryList: p.categoryList,
                    categoryMeaning: p.categoryMeaning, text: p.text, reason: p.reason, round: p.round))
        case ("SuggestionRated", 1):
            let p = try payload(RatedV1.self)
            return .rated(date: p.date, rating: p.rating, comment: p.comment, round: p.round)
        case ("SuggestionRehandlingStarted", 1):
            let p = try payload(RehandlingStartedV1.self)
            return .rehandlingStarted(date: p.date, dueDate: p.dueDate, round: p.round)
        case ("SuggestionClosed", 1):
            let p = try payload(ClosedV1.self)
            return .closed(date: p.date, note: p.note)
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct SubmittedV1: Codable {
        var version = 1
        var id: SuggestionID
        var session: String
        var number: String
        var title: String
        var leadDeputy: String
        var coSigners: [String]
        var text: String?
        var date: LocalDate
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case session = "session"
            case number = "number"
            case title = "title"
            case leadDeputy = "leadDeputy"
            case coSigners = "coSigners"
            case text = "text"
            case date = "date"
        }
    }

    private struct AssignedV1: Codable {
        var version = 1
        var date: LocalDate
        var leadUnit: DepartmentCode
        var coUnits: [DepartmentCode]
        var complex: Bool
        var dueDate: LocalDate
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case leadUnit = "leadUnit"
            case coUnits = "coUnits"
            case complex = "complex"
            case dueDate = "dueDate"
        }
    }

    private struct MarkedKeyV1: Codable {
        var version = 1
        var date: LocalDate
        var leader: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case leader = "leader"
        }
    }

    private struct ReturnedV1: Codable {
        var version = 1
        var date: LocalDate
        var unit: DepartmentCode
        var reason: String
        var deadline: LocalDate
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case unit = "unit"
            case reason = "reason"
            case deadline = "deadline"
        }
    }

    private struct RepliedV1: Codable {
        var version = 1
        var date: LocalDate
        var category: String
        var categoryList: String
        var categoryMeaning: String
        var text: String
        var reason: String?
        var round: Int
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case category = "category"
            case categoryList = "categoryList"
            case categoryMeaning = "categoryMeaning"
            case text = "text"
            case reason = "reason"
            case round = "round"
        }
    }

    private struct RatedV1: Codable {
        var version = 1
        var date: LocalDate
        var rating: Rating
        var comment: String?
        var round: Int
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case rating = "rating"
            case comment = "comment"
            case round = "round"
        }
    }

    private struct RehandlingStartedV1: Codable {
        var version = 1
        var date: LocalDate
        var dueDate: LocalDate
        var round: Int
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case dueDate = "dueDate"
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

/// The stored form of category list events, schema version 1.
///
/// ```json
/// SuggestionCategoriesDefined  {"categories":[{"letter":"A","meaning":"…","reasonRequired":false},…],
///                               "effectiveFrom":"2025-01-01","name":"national","v":1,"version":2}
/// ```
extension SuggestionCategories.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .defined: "SuggestionCategoriesDefined"
        }
    }

    /// All stored type names of category list events.
    public static let eventTypes = ["SuggestionCategoriesDefined"]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .defined(let list):
            try EventJSON.encode(
                DefinedV1(
                    name: list.name, version: list.version, effectiveFrom: list.effectiveFrom,
                    categories: list.categories))
        }
    }

    /// Reads a stored category list event.
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        switch (eventType, version) {
        case ("SuggestionCategoriesDefined", 1):
            let p = try EventJSON.decode(DefinedV1.self, from: data, eventType: eventType)
            return .defined(
                SuggestionCategoryList(
                    name: p.name, version: p.version, effectiveFrom: p.effectiveFrom, categories: p.categories))
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    private struct DefinedV1: Codable {
        var schema = 1
        var name: SuggestionCategoryList.Name
        var version: Int
        var effectiveFrom: LocalDate
        var categories: [SuggestionCategoryList.Category]
        enum CodingKeys: String, CodingKey {
            case schema = "v"
            case name = "name"
            case version = "version"
            case effectiveFrom = "effectiveFrom"
            case categories = "categories"
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of liaison station events, schema version 1. Keys are sorted; an absent optional is left out;
/// dates are "YYYY-MM-DD".
///
/// ```json
/// StationRegistered         {"date":"2024-01-10","id":"L2024-001","name":"…","note":"…","place":"舞钢市","v":1}
/// StationReceptionRecorded  {"date":"2024-03-15","deputies":["…"],"note":"…","peopleReceived":12,"v":1}
/// StationRenamed            {"date":"…","name":"…","v":1}
/// StationRelocated          {"date":"…","place":"…","v":1}
/// StationClosed             {"date":"…","note":"…","v":1}
/// ```
extension Station.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .registered: "StationRegistered"
        case .receptionRecorded: "StationReceptionRecorded"
        case .renamed: "StationRenamed"
        case .relocated: "StationRelocated"
        case .closed: "StationClosed"
        }
    }

    /// All stored type names of station events.
    public static let eventTypes = [
        "StationRegistered", "StationReceptionRecorded", "StationRenamed", "StationRelocated", "StationClosed",
    ]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .registered(let id, let registration):
            try EventJSON.encode(
                RegisteredV1(
                    id: id, name: registration.name, place: registration.place, date: registration.date,
                    note: registration.note))
        case .receptionRecorded(let reception):
            try EventJSON.encode(
                ReceptionRecordedV1(
                    date: reception.date, peopleReceived: reception.peopleReceived, deputies: reception.deputies,
                    note: reception.note))
        case .renamed(let date, let name):
            try EventJSON.encode(RenamedV1(date: date, name: name))
        case .relocated(let date, let place):
            try EventJSON.encode(RelocatedV1(date: date, place: place))
        case .closed(let date, let note):
            try EventJSON.encode(ClosedV1(date: date, note: note))
        }
    }

    /// Reads a stored station event, upcasting older versions (every type is at version 1).
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        func payload<Payload: Decodable>(_ type: Payload.Type) throws(DomainDecodingError) -> Payload {
            try EventJSON.decode(type, from: data, eventType: eventType)
        }
        switch (eventType, version) {
        case ("StationRegistered", 1):
            let p = try payload(RegisteredV1.self)
            return .registered(id: p.id, Station.Registration(name: p.name, place: p.place, date: p.date, note: p.note))
        case ("StationReceptionRecorded", 1):
            let p = try payload(ReceptionRecordedV1.self)
            return .receptionRecorded(
                Station.Reception(date: p.date, peopleReceived: p.peopleReceived, deputies: p.deputies, note: p.note))
        case ("StationRenamed", 1):
            let p = try payload(RenamedV1.self)
            return .renamed(date: p.date, name: p.name)
        case ("StationRelocated", 1):
            let p = try payload(RelocatedV1.self)
            return .relocated(date: p.date, place: p.place)
        case ("StationClosed", 1):
            let p = try payload(ClosedV1.self)
            return .closed(date: p.date, note: p.note)
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct RegisteredV1: Codable {
        var version = 1
        var id: StationID
        var name: String
        var place: String
        var date: LocalDate
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case name = "name"
            case place = "place"
            case date = "date"
            case note = "note"
        }
    }

    private struct ReceptionRecordedV1: Codable {
        var version = 1
        var date: LocalDate
        var peopleReceived: Int
        var deputies: [String]
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case peopleReceived = "peopleReceived"
            case deputies = "deputies"
            case note = "note"
        }
    }

    private struct RenamedV1: Codable {
        var version = 1
        var date: LocalDate
        var name: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case name = "name"
        }
    }

    private struct RelocatedV1: Codable {
        var version = 1
        var date: LocalDate
        var place: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case place = "place"
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

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of item events, schema version 1. Keys are sorted; an absent optional is left out; dates are
/// "YYYY-MM-DD"; kinds, states and steps are their raw values; the parent is its id.
///
/// ```json
/// ItemAdded           {"aspect":"…","coDepartments":["fgw"],"createdOn":"2024-08-30","dueDate":"2024-11-30",
///                      "id":"I2024-001","kind":"problem","lead":"mzj","parent":"Q2024-001","text":"…","v":1}
/// ItemAssigned        {"coDepartments":[],"date":"…","dueDate":"…","lead":"mzj","v":1}
/// ItemAnswered        {"claimed":"cannot-resolve-now","date":"…","department":"mzj","reason":"…","text":"…","v":1}
/// ItemAccepted        {"date":"…","note":"…","v":1}
/// ItemReopened        {"date":"…","reason":"…","v":1}
/// ItemDueDateChanged  {"approver":"…","date":"…","dueDate":"…","previousDueDate":"…","reason":"…","v":1}
/// ItemEscalated       {"date":"…","dueDate":"…","leader":"…","note":"…","step":"supervision-notice","v":1}
/// ```
extension Item.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .added: "ItemAdded"
        case .assigned: "ItemAssigned"
        case .answered: "ItemAnswered"
        case .accepted: "ItemAccepted"
        case .reopened: "ItemReopened"
        case .dueDateChanged: "ItemDueDateChanged"
        case .escalated: "ItemEscalated"
        }
    }

    /// All stored type names of item events.
    public static let eventTypes = [
        "ItemAdded", "ItemAssigned", "ItemAnswered", "ItemAccepted", "ItemReopened", "ItemDueDateChanged",
        "ItemEscalated",
    ]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .added(let id, let draft):
            try EventJSON.encode(
                AddedV1(
                    id: id, parent: draft.parent, kind: draft.kind, aspect: draft.aspect, text: draft.text,
                    lead: draft.lead, coDepartments: draft.coDepartments, dueDate: draft.dueDate,
                    createdOn: draft.createdOn))
        case .assigned(let date, let lead, let coDepartments, let dueDate):
            try EventJSON.encode(AssignedV1(date: date, lead: lead, coDepartments: coDepartments, dueDate: dueDate))
        case .answered(let answer):
            try EventJSON.encode(
                AnsweredV1(
                    department: answer.department, date: answer.date, text: answer.text, claimed: answer.claimed,
                    reason: answer.reason))
        case .accepted(let date, let note):
            try EventJSON.encode(AcceptedV1(date: date, note: note))
        case .reopened(let date, let reason):
            try EventJSON.encode(ReopenedV1(date: date, reason: reason))
        case .dueDateChanged(let date, let dueDate, let previous, let reason, let approver):
            try EventJSON.encode(
                DueDateChangedV1(
                    date: date, dueDate: dueDate, previousDueDate: previous, reason: reason, approver: approver))
        case .escalated(let escalation):
            try EventJSON.encode(
                EscalatedV1(
                    step: escalation.step, date: escalation.date, dueDate: escalation.dueDate,
                    leader: escalation.leader, note: escalation.note))
        }
    }

    /// Reads a stored item event, upcasting older versions.
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
        case ("ItemAdded", 1):
            let p = try payload(AddedV1.self)
            return .added(
                id: p.id,
                Item.Draft(
                    parent: p.parent, kind: p.kind, aspect: p.aspect, text: p.text, lead: p.lead,
                    coDepartments: p.coDepartments, dueDate: p.dueDate, createdOn: p.createdOn))
        case ("ItemAssigned", 1):
            let p = try payload(AssignedV1.self)
            return .assigned(date: p.date, lead: p.lead, coDepartments: p.coDepartments, dueDate: p.dueDate)
        case ("ItemAnswered", 1):
            let p = try payload(AnsweredV1.self)
            return .answered(
                Item.Answer(department: p.department, date: p.date, text: p.text, claimed: p.claimed, reason: p.reason))
        case ("ItemAccepted", 1):
            let p = try payload(AcceptedV1.self)
            return .accepted(date: p.date, note: p.note)
        case ("ItemReopened", 1):
            let p = try payload(ReopenedV1.self)
            return .reopened(date: p.date, reason: p.reason)
        case ("ItemDueDateChanged", 1):
            let p = try payload(DueDateChangedV1.self)
            return .dueDateChanged(
                date: p.date, dueDate: p.dueDate, previous: p.previousDueDate, reason: p.reason, approver: p.approver)
        case ("ItemEscalated", 1):
            let p = try payload(EscalatedV1.self)
            return .escalated(
                Item.Escalation(step: p.step, date: p.date, dueDate: p.dueDate, leader: p.leader, note: p.note))
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    // MARK: Version 1 payloads. Keys are stored names: never rename them.

    private struct AddedV1: Codable {
        var version = 1
        var id: ItemID
        var parent: ItemParent
        var kind: ItemKind
        var aspect: String
        var text: String
        var lead: DepartmentCode?
        var coDepartments: [DepartmentCode]
        var dueDate: LocalDate?
        var createdOn: LocalDate
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case id = "id"
            case parent = "parent"
            case kind = "kind"
            case aspect = "aspect"
            case text = "text"
            case lead = "lead"
            case coDepartments = "coDepartments"
            case dueDate = "dueDate"
            case createdOn = "createdOn"
        }
    }

    private struct AssignedV1: Codable {
        var version = 1
        var date: LocalDate
        var lead: DepartmentCode
        var coDepartments: [DepartmentCode]
        var dueDate: LocalDate
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case lead = "lead"
            case coDepartments = "coDepartments"
            case dueDate = "dueDate"
        }
    }

    private struct AnsweredV1: Codable {
        var version = 1
        var department: DepartmentCode
        var date: LocalDate
        var text: String
        var claimed: ClaimedStatus
        var reason: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case department = "department"
            case date = "date"
            case text = "text"
            case claimed = "claimed"
            case reason = "reason"
        }
    }

    private struct AcceptedV1: Codable {
        var version = 1
        var date: LocalDate
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case note = "note"
        }
    }

    private struct ReopenedV1: Codable {
        var version = 1
        var date: LocalDate
        var reason: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case reason = "reason"
        }
    }

    private struct DueDateChangedV1: Codable {
        var version = 1
        var date: LocalDate
        var dueDate: LocalDate
        var previousDueDate: LocalDate
        var reason: String
        var approver: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case date = "date"
            case dueDate = "dueDate"
            case previousDueDate = "previousDueDate"
            case reason = "reason"
            case approver = "approver"
        }
    }

    private struct EscalatedV1: Codable {
        var version = 1
        var step: EscalationStep
        var date: LocalDate
        var dueDate: LocalDate?
        var leader: String?
        var note: String?
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case step = "step"
            case date = "date"
            case dueDate = "dueDate"
            case leader = "leader"
            case note = "note"
        }
    }
}

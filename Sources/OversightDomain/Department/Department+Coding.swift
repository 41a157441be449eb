#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stored form of department events: "DepartmentAdded" and "DepartmentRenamed", schema version 1.
///
/// ```json
/// DepartmentAdded    {"code":"fgw","name":"市发展和改革委员会","v":1}
/// DepartmentRenamed  {"name":"市发展改革委","v":1}
/// ```
extension Department.Event: EventCoding {
    /// The stored type name.
    public var eventType: String {
        switch self {
        case .added: "DepartmentAdded"
        case .renamed: "DepartmentRenamed"
        }
    }

    /// All stored type names of department events.
    public static let eventTypes = ["DepartmentAdded", "DepartmentRenamed"]

    /// The JSON object of the event, keys sorted, with `"v": 1`.
    public func encodedData() throws -> Data {
        switch self {
        case .added(let code, let name): try EventJSON.encode(AddedV1(code: code, name: name))
        case .renamed(let name): try EventJSON.encode(RenamedV1(name: name))
        }
    }

    /// Reads a stored department event, upcasting older versions (none yet).
    public static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self {
        guard eventTypes.contains(eventType) else { throw .unknownEventType(eventType) }
        let version = try EventJSON.version(of: data, eventType: eventType)
        switch (eventType, version) {
        case ("DepartmentAdded", 1):
            let payload = try EventJSON.decode(AddedV1.self, from: data, eventType: eventType)
            return .added(code: payload.code, name: payload.name)
        case ("DepartmentRenamed", 1):
            return .renamed(name: try EventJSON.decode(RenamedV1.self, from: data, eventType: eventType).name)
        // An older version is read here as (type, 0) and mapped to the current event.
        default:
            throw .unsupportedVersion(eventType: eventType, version: version)
        }
    }

    private struct AddedV1: Codable {
        var version = 1
        var code: DepartmentCode
        var name: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case code = "code"
            case name = "name"
        }
    }

    private struct RenamedV1: Codable {
        var version = 1
        var name: String
        enum CodingKeys: String, CodingKey {
            case version = "v"
            case name = "name"
        }
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The recorded-event codec every aggregate's `Event` implements.
///
/// Each event has a stable type name ("TopicPlanned") and a JSON object as data, with lowerCamel keys written as
/// string literals (never derived from Swift property names), keys sorted and no insignificant white space, so that
/// the same event always gives the same bytes (the log hashes them). Every object carries its schema version as
/// `"v"`; `decode` upcasts older versions to the current event and refuses versions it does not know.
///
/// - Important: Stored type names and keys never change once shipped. A new shape gets a new `"v"` and an upcast
///   in `decode`; old events are never rewritten.
public protocol EventCoding: Sendable {
    /// The stored type name of this event, e.g. "TopicPlanned".
    var eventType: String { get }
    /// All stored type names of this aggregate's events.
    static var eventTypes: [String] { get }
    /// The event's data: a JSON object with sorted keys and a `"v"` schema version.
    ///
    /// - Throws: An encoding error only if the JSON encoder fails, which the domain's payloads do not provoke.
    func encodedData() throws -> Data
    /// Reads a recorded event back, upcasting older schema versions.
    ///
    /// - Throws: ``DomainDecodingError`` for an unknown type, a missing or unknown version, or malformed data.
    static func decode(eventType: String, data: Data) throws(DomainDecodingError) -> Self
}

/// Why a recorded event could not be read back.
///
/// Seeing one means the log holds something this build does not understand: an event written by a newer build,
/// an event of another aggregate, or damaged data. It is never a user's mistake.
public enum DomainDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The type name is not one of this aggregate's event types.
    case unknownEventType(String)
    /// The data has no integer `"v"` schema version.
    case missingVersion(eventType: String)
    /// The schema version is not one this build can read (probably written by a newer build).
    case unsupportedVersion(eventType: String, version: Int)
    /// The data is not the JSON object this type and version require; `reason` says what is wrong.
    case invalidData(eventType: String, reason: String)

    /// A sentence saying what is wrong and what to do.
    public var description: String {
        switch self {
        case .unknownEventType(let type):
            "Unknown event type \"\(type)\"; the event belongs to another aggregate or was written by a newer build."
        case .missingVersion(let type):
            "The \(type) event has no schema version \"v\"; the stored data is damaged or was not written by Oversight."
        case .unsupportedVersion(let type, let version):
            "Version \(version) of the \(type) event is not supported by this build; upgrade oversightd to read it."
        case .invalidData(let type, let reason):
            "The \(type) event's data is malformed (\(reason)); "
                + "the stored data is damaged or was not written by Oversight."
        }
    }
}

/// The JSON conventions of recorded events, shared by every aggregate's coding.
enum EventJSON {
    /// Encodes a payload as compact JSON with sorted keys and unescaped slashes.
    static func encode(_ payload: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(payload)
    }

    /// Reads the `"v"` schema version of a payload.
    ///
    /// The encoders sort keys and write no white space, so `"v"` is the last member and the payload ends with
    /// `,"v":N}` (or is `{"v":N}`): that form is read from the bytes directly. Anything else goes through
    /// `JSONDecoder`. The payload's own decoding then checks the whole object.
    static func version(of data: Data, eventType: String) throws(DomainDecodingError) -> Int {
        if let version = canonicalVersion(of: data) { return version }
        let header: VersionHeader
        do {
            header = try decodeWithFallback(VersionHeader.self, from: data)
        } catch {
            throw .invalidData(eventType: eventType, reason: reason(error))
        }
        guard let version = header.version else { throw .missingVersion(eventType: eventType) }
        return version
    }

    /// The version of a payload that ends with `,"v":N}` or is `{"v":N}`, N being 1 to 6 digits without a leading
    /// zero; nil otherwise.
    ///
    /// A member just before the object's closing brace, after a comma or the opening brace, is a member of the
    /// top-level object: a nested object or array would have to be closed first, and inside a string the
    /// quote before `v` would end it.
    static func canonicalVersion(of data: Data) -> Int? {
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int? in
            let count = bytes.count
            guard count >= 7, bytes[count - 1] == UInt8(ascii: "}") else { return nil }
            var index = count - 2
            var value = 0
            var multiplier = 1
            while index >= 0, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                value += Int(bytes[index] - UInt8(ascii: "0")) * multiplier
                multiplier *= 10
                index -= 1
                guard multiplier <= 1_000_000 else { return nil }
            }
            let digits = count - 2 - index
            guard digits >= 1, index >= 4, bytes[index + 1] != UInt8(ascii: "0") || digits == 1 else { return nil }
            guard bytes[index] == UInt8(ascii: ":"), bytes[index - 1] == UInt8(ascii: "\""),
                bytes[index - 2] == UInt8(ascii: "v"), bytes[index - 3] == UInt8(ascii: "\""),
                bytes[index - 4] == UInt8(ascii: ",") || (bytes[index - 4] == UInt8(ascii: "{") && index == 4)
            else { return nil }
            return value
        }
    }

    /// Decodes a payload of a known type and version.
    static func decode<Payload: Decodable>(
        _ type: Payload.Type, from data: Data, eventType: String
    ) throws(DomainDecodingError) -> Payload {
        do {
            return try decodeWithFallback(Payload.self, from: data)
        } catch {
            throw .invalidData(eventType: eventType, reason: reason(error))
        }
    }

    /// Decodes with ``PayloadDecoder``, or, when it does not accept the bytes, with `JSONDecoder` (whose result
    /// or error is then the answer).
    private static func decodeWithFallback<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        if let value = try? PayloadDecoder.decode(type, from: data) { return value }
        return try JSONDecoder().decode(type, from: data)
    }

    /// A short, stable explanation of a decoding failure.
    static func reason(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(path(context.codingPath + [key]))\""
        case .valueNotFound(_, let context):
            return "null at \"\(path(context.codingPath))\""
        case .typeMismatch(let type, let context):
            return context.codingPath.isEmpty
                ? "not a JSON object" : "expected \(type) at \"\(path(context.codingPath))\""
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not valid JSON" : "invalid value at \"\(path(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "undecodable"
        }
    }

    private static func path(_ keys: [any CodingKey]) -> String {
        keys.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    }

    /// The part of every payload read before its type-specific shape: the schema version.
    private struct VersionHeader: Decodable {
        var version: Int?
        enum CodingKeys: String, CodingKey { case version = "v" }
    }
}

import Foundation

extension JSONValue {
    /// Encodes `value` with Foundation's `JSONEncoder` and parses the result.
    ///
    /// Meant for non-hot paths (building replies from `Codable` types).
    /// - Throws: The encoder's error, or ``JSONParseError`` if the encoder produced something unparsable.
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSONValue.parse(data)
    }

    /// Decodes a `Decodable` type from this value with Foundation's `JSONDecoder`.
    ///
    /// - Throws: The decoder's error when the value does not match `T`.
    public func decode<T: Decodable>(_: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(jsonBytes))
    }
}

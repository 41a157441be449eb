/// A department code such as "fgw" (市发展和改革委员会): the key by which items, evaluations and scorecards name a
/// government department.
///
/// Invariant: 1...32 characters, a lowercase ASCII letter first, then lowercase ASCII letters, digits or "-".
/// Encodes as its string in JSON; decoding validates.
public struct DepartmentCode: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The code as written, such as "fgw".
    public let rawValue: String

    /// The maximum length of a code.
    public static let maxLength = 32

    /// Validates a code; returns `nil` unless it matches `^[a-z][a-z0-9-]{0,31}$`.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let first = bytes.first, bytes.count <= Self.maxLength, Self.isLetter(first),
            bytes.allSatisfy({ Self.isLetter($0) || Self.isDigit($0) || $0 == UInt8(ascii: "-") })
        else { return nil }
        rawValue = text
    }

    /// The code itself.
    public var description: String { rawValue }

    /// Orders codes alphabetically.
    public static func < (lhs: DepartmentCode, rhs: DepartmentCode) -> Bool { lhs.rawValue < rhs.rawValue }

    /// Decodes and validates a code.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let code = DepartmentCode(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid department code \"\(text.prefix(40))\"")
        }
        self = code
    }

    /// Encodes the code as its string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func isLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") }
    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
}

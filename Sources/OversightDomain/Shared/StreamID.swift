/// Names the stream of events of one aggregate: "department-fgw", "topic-T2024-003".
///
/// Invariant: a category of lowercase ASCII letters, "-", then an id of ASCII letters, digits, ".", "_" or "-";
/// at most 128 characters. Build one with ``Department/stream(_:)`` or ``Topic/stream(_:)``; parse one read back
/// from storage with ``init(_:)``. Encodes as its string in JSON.
public struct StreamID: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The stream name as stored, such as "topic-T2024-003".
    public let rawValue: String

    /// The maximum length of a stream name.
    public static let maxLength = 128

    /// Validates a stream name read back from storage; returns `nil` unless it is "<category>-<id>" as above.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count <= Self.maxLength, let dash = bytes.firstIndex(of: UInt8(ascii: "-")), dash > 0,
            dash < bytes.count - 1, bytes[..<dash].allSatisfy(Self.isLowercaseLetter),
            bytes[(dash + 1)...].allSatisfy(Self.isIDByte)
        else { return nil }
        rawValue = text
    }

    /// Builds a stream name from parts the caller has already validated (a category and a validated id).
    init(category: String, id: String) {
        rawValue = category + "-" + id
    }

    /// The aggregate kind, the part before the first "-": "topic", "department".
    public var category: String {
        String(rawValue.prefix { $0 != "-" })
    }

    /// The aggregate's id, the part after the first "-": "T2024-003", "fgw".
    public var id: String {
        String(rawValue.drop { $0 != "-" }.dropFirst())
    }

    /// The stream name itself.
    public var description: String { rawValue }

    /// Decodes and validates a stream name.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let stream = StreamID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid stream name \"\(text.prefix(40))\"")
        }
        self = stream
    }

    /// Encodes the stream name as its string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    private static func isIDByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default: false
        }
    }
}

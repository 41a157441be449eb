/// A topic id such as "T2024-003": "T", the plan year, "-", and a per-year sequence number.
///
/// The caller assigns ids (the next free sequence number of the year); the decider only checks that the id's year
/// is the plan's year. Invariant: `^T[0-9]{4}-[0-9]{3,9}$` (ASCII digits; the sequence is bounded to 9 digits so
/// that it always fits an `Int`), and a sequence longer than 3 digits has no leading zero, so that every
/// (year, sequence) pair has exactly one spelling ("T2024-0003" is refused; write "T2024-003"). Ids order by
/// year, then by sequence number, so "T2024-1000" follows "T2024-999". Encodes as its string in JSON; decoding
/// validates.
public struct TopicID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id as written, such as "T2024-003".
    public let rawValue: String

    /// Validates an id; returns `nil` unless it matches `^T[0-9]{4}-[0-9]{3,9}$` in its canonical spelling.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 9, bytes.count <= 15, bytes[0] == UInt8(ascii: "T"), bytes[5] == UInt8(ascii: "-"),
            bytes[1..<5].allSatisfy(Self.isDigit), bytes[6...].allSatisfy(Self.isDigit),
            bytes.count == 9 || bytes[6] != UInt8(ascii: "0")
        else { return nil }
        rawValue = text
    }

    /// Builds an id from a year and a sequence number: `TopicID(year: 2024, sequence: 3)` is "T2024-003".
    ///
    /// Total by design: the year is clamped to 0...9999 and the sequence to 0...999_999_999, so the result is
    /// always a valid id. Callers pass plan years (2000...2100) and positive sequence numbers.
    public init(year: Int, sequence: Int) {
        let year = min(max(year, 0), 9999)
        let sequence = min(max(sequence, 0), 999_999_999)
        rawValue = "T" + Self.padded(year, 4) + "-" + Self.padded(sequence, 3)
    }

    /// The plan year the id belongs to, such as 2024.
    public var year: Int { Self.number(rawValue.utf8.dropFirst().prefix(4)) }

    /// The per-year sequence number, such as 3.
    public var sequence: Int { Self.number(rawValue.utf8.dropFirst(6)) }

    /// The id itself.
    public var description: String { rawValue }

    /// Orders ids by year, then by sequence number.
    public static func < (lhs: TopicID, rhs: TopicID) -> Bool {
        (lhs.year, lhs.sequence) < (rhs.year, rhs.sequence)
    }

    /// Decodes and validates an id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = TopicID(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "invalid topic id \"\(text.prefix(40))\" (expected like T2024-003)")
        }
        self = id
    }

    /// Encodes the id as its string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    /// Reads ASCII digits that the invariant guarantees.
    private static func number(_ digits: some Sequence<UInt8>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1 &- UInt8(ascii: "0")) }
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

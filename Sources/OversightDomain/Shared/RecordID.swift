/// What distinguishes one kind of record id from another: its letter and how people call it.
public protocol RecordIDKind: Sendable {
    /// The id's first letter, such as "T" for topics.
    static var letter: Character { get }
    /// How error messages name the id, such as "topic id".
    static var noun: String { get }
    /// The stream category of the aggregate, such as "topic".
    static var streamCategory: String { get }
}

/// A record id such as "T2024-003": a kind letter, a year, "-", and a per-year sequence number.
///
/// The daemon assigns ids (the next free sequence number of the year). Invariant: `^L[0-9]{4}-[0-9]{3,9}$` where
/// `L` is the kind's letter (ASCII digits; the sequence is bounded to 9 digits so that it always fits an `Int`),
/// and a sequence longer than 3 digits has no leading zero, so that every (year, sequence) pair has exactly one
/// spelling ("T2024-0003" is refused; write "T2024-003"). Ids order by year, then by sequence number, so
/// "T2024-1000" follows "T2024-999". Encodes as its string in JSON; decoding validates.
public struct RecordID<Kind: RecordIDKind>: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    /// The id as written, such as "T2024-003".
    public let rawValue: String

    /// Validates an id; returns `nil` unless it is the kind's letter, 4 digits, "-", 3 to 9 digits, canonical.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard let letter = Kind.letter.asciiValue, bytes.count >= 9, bytes.count <= 15, bytes[0] == letter,
            bytes[5] == UInt8(ascii: "-"), bytes[1..<5].allSatisfy(Self.isDigit), bytes[6...].allSatisfy(Self.isDigit),
            bytes.count == 9 || bytes[6] != UInt8(ascii: "0")
        else { return nil }
        rawValue = text
    }

    /// Builds an id from a year and a sequence number: `TopicID(year: 2024, sequence: 3)` is "T2024-003".
    ///
    /// Total by design: the year is clamped to 0...9999 and the sequence to 0...999_999_999, so the result is
    /// always a valid id. Callers pass record years (2000...2100) and positive sequence numbers.
    public init(year: Int, sequence: Int) {
        let year = min(max(year, 0), 9999)
        let sequence = min(max(sequence, 0), 999_999_999)
        rawValue = String(Kind.letter) + Self.padded(year, 4) + "-" + Self.padded(sequence, 3)
    }

    /// The year the id belongs to, such as 2024.
    public var year: Int { Self.number(rawValue.utf8.dropFirst().prefix(4)) }

    /// The per-year sequence number, such as 3.
    public var sequence: Int { Self.number(rawValue.utf8.dropFirst(6)) }

    /// The stream of the aggregate this id names, such as "topic-T2024-003".
    public var stream: StreamID { StreamID(category: Kind.streamCategory, id: rawValue) }

    /// The id itself.
    public var description: String { rawValue }

    /// An example of the id's spelling for messages, such as "T2024-003".
    public static var example: String { String(Kind.letter) + "2024-003" }

    /// Orders ids by year, then by sequence number.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.year, lhs.sequence) < (rhs.year, rhs.sequence)
    }

    /// Decodes and validates an id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = Self(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "invalid \(Kind.noun) \"\(text.prefix(40))\" (expected like \(Self.example))")
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

/// The kinds of record ids, one per aggregate that the daemon numbers by year.
public enum RecordKinds {
    /// Supervision topics: "T2024-003", stream "topic-…".
    public enum Topic: RecordIDKind {
        public static let letter: Character = "T"
        public static let noun = "topic id"
        public static let streamCategory = "topic"
    }
    /// Special inquiries (专题询问): "Q2024-001", stream "inquiry-…".
    public enum Inquiry: RecordIDKind {
        public static let letter: Character = "Q"
        public static let noun = "inquiry id"
        public static let streamCategory = "inquiry"
    }
    /// Tracked items (problems, recommendations, opinions): "I2024-001", stream "item-…".
    public enum Item: RecordIDKind {
        public static let letter: Character = "I"
        public static let noun = "item id"
        public static let streamCategory = "item"
    }
    /// Satisfaction evaluations (满意度测评): "E2024-001", stream "evaluation-…".
    public enum Evaluation: RecordIDKind {
        public static let letter: Character = "E"
        public static let noun = "evaluation id"
        public static let streamCategory = "evaluation"
    }
    /// Deputies' suggestions (代表建议): "S2024-001", stream "suggestion-…".
    public enum Suggestion: RecordIDKind {
        public static let letter: Character = "S"
        public static let noun = "suggestion id"
        public static let streamCategory = "suggestion"
    }
    /// Votes on resolutions, decisions and livelihood projects (表决): "V2024-001", stream "vote-…".
    public enum Vote: RecordIDKind {
        public static let letter: Character = "V"
        public static let noun = "vote id"
        public static let streamCategory = "vote"
    }
    /// Deputies' liaison stations (代表联络站), numbered by the year registered: "L2024-001", stream "station-…".
    public enum Station: RecordIDKind {
        public static let letter: Character = "L"
        public static let noun = "station id"
        public static let streamCategory = "station"
    }
}

/// A supervision topic's id, such as "T2024-003".
public typealias TopicID = RecordID<RecordKinds.Topic>
/// A special inquiry's id, such as "Q2024-001".
public typealias InquiryID = RecordID<RecordKinds.Inquiry>
/// A tracked item's id, such as "I2024-001".
public typealias ItemID = RecordID<RecordKinds.Item>
/// A satisfaction evaluation's id, such as "E2024-001".
public typealias EvaluationID = RecordID<RecordKinds.Evaluation>
/// A deputies' suggestion's id, such as "S2024-001" (its official number, such as 第0123号, is a field).
public typealias SuggestionID = RecordID<RecordKinds.Suggestion>
/// A vote's id, such as "V2024-001".
public typealias VoteID = RecordID<RecordKinds.Vote>
/// A liaison station's id, such as "L2024-001".
public typealias StationID = RecordID<RecordKinds.Station>

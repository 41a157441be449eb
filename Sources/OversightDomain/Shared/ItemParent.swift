/// What a tracked item belongs to: a supervision topic, a special inquiry, or a liaison station.
///
/// Written as the parent's id; the id's letter tells which: "T2024-003", "Q2024-001", "L2024-002". Encodes as
/// that string in JSON; decoding validates.
public enum ItemParent: Sendable, Hashable, Codable, CustomStringConvertible {
    /// A supervision topic's finding, recommendation or deliberation opinion.
    case topic(TopicID)
    /// A problem on a special inquiry's problem list.
    case inquiry(InquiryID)
    /// A problem or suggestion a liaison station collected.
    case station(StationID)

    /// Parses a parent id; returns `nil` unless it is a valid topic, inquiry or station id.
    public init?(_ text: String) {
        if let id = TopicID(text) {
            self = .topic(id)
        } else if let id = InquiryID(text) {
            self = .inquiry(id)
        } else if let id = StationID(text) {
            self = .station(id)
        } else {
            return nil
        }
    }

    /// The parent's id as written.
    public var rawValue: String {
        switch self {
        case .topic(let id): id.rawValue
        case .inquiry(let id): id.rawValue
        case .station(let id): id.rawValue
        }
    }

    /// The kind of parent: "topic", "inquiry" or "station".
    public var kind: String {
        switch self {
        case .topic: RecordKinds.Topic.streamCategory
        case .inquiry: RecordKinds.Inquiry.streamCategory
        case .station: RecordKinds.Station.streamCategory
        }
    }

    /// The parent's stream, whose existence the caller checks before adding an item to it.
    public var stream: StreamID {
        switch self {
        case .topic(let id): id.stream
        case .inquiry(let id): id.stream
        case .station(let id): id.stream
        }
    }

    /// The parent's id.
    public var description: String { rawValue }

    /// Decodes and validates a parent id.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let parent = ItemParent(text) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "invalid parent \"\(text.prefix(40))\" (expected a topic, inquiry or station id)")
        }
        self = parent
    }

    /// Encodes the parent as its id.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A satisfaction rating (满意度): how members rate an answer, or a deputy the reply to a suggestion.
public enum Rating: String, Sendable, Hashable, Codable, CaseIterable {
    /// 满意.
    case satisfied
    /// 基本满意.
    case basicallySatisfied = "basically-satisfied"
    /// 不满意.
    case dissatisfied

    /// The Chinese label used on boards and reports.
    public var label: String {
        switch self {
        case .satisfied: "满意"
        case .basicallySatisfied: "基本满意"
        case .dissatisfied: "不满意"
        }
    }
}

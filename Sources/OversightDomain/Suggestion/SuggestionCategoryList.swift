/// One version of a list of reply categories (答复类别) for deputies' suggestions, such as the national A/B/C/D.
///
/// Local rules word the categories differently, so a list is reference data with a name and a version: a new
/// wording is a new version, in force from a day on. A reply records the letter, the list's ``reference``
/// ("national@1") and the meaning in force, so an old reply keeps the meaning it was recorded with.
///
/// Invariant (checked by ``SuggestionCategories`` when a version is defined): at least one category, letters
/// unique, meanings not empty.
public struct SuggestionCategoryList: Sendable, Equatable {
    /// The list's name, such as "national".
    public var name: Name
    /// The version, 1 for the first.
    public var version: Int
    /// The first day the version is in force.
    public var effectiveFrom: LocalDate
    /// The categories, in order.
    public var categories: [Category]

    /// Creates a list version.
    public init(name: Name, version: Int, effectiveFrom: LocalDate, categories: [Category]) {
        self.name = name
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.categories = categories
    }

    /// How a reply names the list version: "national@1".
    public var reference: String { "\(name)@\(version)" }

    /// The category with `letter`, if the list has one.
    public func category(_ letter: String) -> Category? {
        categories.first { $0.letter == letter }
    }

    /// The letters of the list, in order.
    public var letters: [String] { categories.map(\.letter) }

    /// One category of a list: a letter, what it means, and whether a reply in it must give a reason.
    public struct Category: Sendable, Equatable, Codable {
        /// The letter, one of A to Z.
        public var letter: String
        /// What the category means, such as "已解决或基本解决".
        public var meaning: String
        /// Whether a reply in this category must say why (C, "cannot be solved now", does).
        public var reasonRequired: Bool

        /// Creates a category.
        public init(letter: String, meaning: String, reasonRequired: Bool = false) {
            self.letter = letter
            self.meaning = meaning
            self.reasonRequired = reasonRequired
        }

        enum CodingKeys: String, CodingKey {
            case letter = "letter"
            case meaning = "meaning"
            case reasonRequired = "reasonRequired"
        }
    }

    /// A list's name, such as "national" or "pds-2025": the key of its stream "categories-<name>".
    ///
    /// Invariant: 1...32 characters, a lowercase ASCII letter first, then lowercase ASCII letters, digits or "-".
    public struct Name: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
        /// The name as written.
        public let rawValue: String

        /// Validates a name; returns `nil` unless it matches `^[a-z][a-z0-9-]{0,31}$`.
        public init?(_ text: String) {
            let bytes = Array(text.utf8)
            guard let first = bytes.first, bytes.count <= 32, (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(first),
                bytes.allSatisfy({
                    (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                        || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || $0 == UInt8(ascii: "-")
                })
            else { return nil }
            rawValue = text
        }

        /// The name itself.
        public var description: String { rawValue }

        /// Orders names alphabetically.
        public static func < (lhs: Name, rhs: Name) -> Bool { lhs.rawValue < rhs.rawValue }

        /// Decodes and validates a name.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let name = Name(text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "invalid category list name \"\(text.prefix(40))\"")
            }
            self = name
        }

        /// Encodes the name as its string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }

    /// The name of the built-in national list.
    public static let nationalName = Name(unchecked: "national")

    /// The national rules' four categories, version 1, in force since the earliest day.
    public static let national = SuggestionCategoryList(
        name: nationalName, version: 1, effectiveFrom: .earliest,
        categories: [
            Category(letter: "A", meaning: "已解决或基本解决"),
            Category(letter: "B", meaning: "正在解决或列入计划逐步解决"),
            Category(letter: "C", meaning: "因条件限制暂时难以解决", reasonRequired: true),
            Category(letter: "D", meaning: "留作参考"),
        ])

    /// The lists every office has without defining them: the national list, version 1.
    public static let builtIn: [SuggestionCategoryList] = [national]

    /// The built-in version 1 of the list called `name`, if there is one.
    public static func builtIn(_ name: Name) -> SuggestionCategoryList? {
        builtIn.first { $0.name == name }
    }
}

extension SuggestionCategoryList.Name {
    /// A name the code knows to be valid.
    fileprivate init(unchecked text: String) {
        guard let name = Self(text) else { preconditionFailure("invalid built-in list name \(text)") }
        self = name
    }
}

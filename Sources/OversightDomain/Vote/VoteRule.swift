/// What a vote is: a resolution or decision voted for / against / abstain, or a differential livelihood vote.
///
/// Raw values are stored names.
public enum VoteKind: String, Sendable, Codable, CaseIterable {
    /// A resolution (决议).
    case resolution
    /// A decision (决定).
    case decision
    /// A differential vote on livelihood projects (民生实事项目票决): more candidates than places.
    case livelihood
}

/// How many votes it takes: the votes for a motion (or for a candidate) must exceed, or reach, a fraction of a
/// base: "more than 1/2 of those entitled", "at least 2/3 of those entitled", "more than 1/2 of those voting".
///
/// Written "more-than-1/2-of-entitled", "at-least-2/3-of-entitled", "more-than-1/2-of-voting"; the names
/// "majority-of-entitled", "two-thirds-of-entitled" and "majority-of-voting" are read as these.
///
/// A rule the decider accepts has `1 <= numerator < denominator <= 100` (see ``isValid``), so the arithmetic on
/// counts up to ``Vote/maxEntitled`` never overflows. Nothing is ever adopted or chosen with no votes at all.
public struct VoteRule: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// Whom the fraction is taken of.
    public enum Base: String, Sendable, Hashable, Codable, CaseIterable {
        /// All members (or deputies) entitled to vote (应到).
        case entitled
        /// Those who voted: for + against + abstain of a resolution, the ballots cast in a differential vote.
        case voting
    }

    /// Whether the votes must exceed the fraction or may equal it.
    public enum Comparison: String, Sendable, Hashable, Codable, CaseIterable {
        /// Strictly more than the fraction (过半数: more than half).
        case moreThan = "more-than"
        /// The fraction or more (三分之二以上: two thirds or more).
        case atLeast = "at-least"
    }

    /// Strictly more, or at least.
    public var comparison: Comparison
    /// The fraction's numerator, such as 1 in 1/2.
    public var numerator: Int
    /// The fraction's denominator, such as 2 in 1/2.
    public var denominator: Int
    /// Whom the fraction is taken of.
    public var base: Base

    /// Creates a rule; the decider refuses one that is not ``isValid``.
    public init(_ comparison: Comparison, _ numerator: Int, _ denominator: Int, of base: Base) {
        self.comparison = comparison
        self.numerator = numerator
        self.denominator = denominator
        self.base = base
    }

    /// The default rule of resolutions and decisions: "for" exceeds half of those entitled (全体组成人员的过半数).
    public static let majorityOfEntitled = VoteRule(.moreThan, 1, 2, of: .entitled)
    /// Two thirds of those entitled or more.
    public static let twoThirdsOfEntitled = VoteRule(.atLeast, 2, 3, of: .entitled)
    /// More than half of those voting; the default threshold of a differential vote (more than half of the voters).
    public static let majorityOfVoting = VoteRule(.moreThan, 1, 2, of: .voting)

    /// The largest denominator a rule may have.
    public static let maxDenominator = 100

    /// Whether the fraction is a proper one the decider accepts: `1 <= numerator < denominator <= 100`.
    public var isValid: Bool {
        numerator >= 1 && numerator < denominator && denominator <= Self.maxDenominator
    }

    /// Whether `votes` meet the rule over `base` people.
    ///
    /// At least one vote, and more than (or at least) the fraction of the base. Exact integer arithmetic; valid
    /// rules and counts up to ``Vote/maxEntitled`` only.
    public func isMet(by votes: Int, base count: Int) -> Bool {
        guard votes > 0 else { return false }
        let left = votes * denominator
        let right = count * numerator
        switch comparison {
        case .moreThan: return left > right
        case .atLeast: return left >= right
        }
    }

    /// The stored spelling, such as "more-than-1/2-of-entitled".
    public var description: String {
        "\(comparison.rawValue)-\(numerator)/\(denominator)-of-\(base.rawValue)"
    }

    /// The rule in words, such as "more than 1/2 of those entitled".
    public var sentence: String {
        let comparisonWords = comparison == .moreThan ? "more than" : "at least"
        return "\(comparisonWords) \(numerator)/\(denominator) of those \(base.rawValue)"
    }

    /// Reads a rule written as ``description`` or as one of its names.
    ///
    /// The names are "majority-of-entitled", "two-thirds-of-entitled" and "majority-of-voting". Returns `nil` for
    /// anything else. The fraction's range is checked by the decider.
    public init?(_ text: String) {
        switch text {
        case "majority-of-entitled":
            self = .majorityOfEntitled
            return
        case "two-thirds-of-entitled":
            self = .twoThirdsOfEntitled
            return
        case "majority-of-voting":
            self = .majorityOfVoting
            return
        default: break
        }
        var rest = Substring(text)
        guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue + "-") }) else {
            return nil
        }
        rest = rest.dropFirst(comparison.rawValue.count + 1)
        guard let base = Base.allCases.first(where: { rest.hasSuffix("-of-" + $0.rawValue) }) else { return nil }
        rest = rest.dropLast(base.rawValue.count + 4)
        let parts = rest.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let numerator = Self.smallNumber(parts[0]), let denominator = Self.smallNumber(parts[1])
        else { return nil }
        self.init(comparison, numerator, denominator, of: base)
    }

    /// A number of 1 to 4 ASCII digits.
    private static func smallNumber(_ text: Substring) -> Int? {
        guard (1...4).contains(text.utf8.count),
            text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(text)
    }
}

/// How a satisfaction evaluation's tally becomes a verdict and a rate: the base (members entitled or present) and a
/// threshold that the votes must strictly exceed, recorded with each evaluation.
///
/// With base *B* and threshold *t*, the verdict is `satisfied` when satisfied votes exceed *t*·*B*, `basically
/// satisfied` when satisfied plus basically satisfied votes exceed *t*·*B*, else `dissatisfied`; the satisfaction
/// rate is (satisfied + basically satisfied) / *B*. The default, ``majorityOfEntitled``, is the common rule of
/// DOMAIN.md (Zhuhai's): base = members entitled, *t* = 1/2.
///
/// Invariant: the threshold is a fraction strictly between 0 and 1, held in lowest terms with a denominator of at
/// most ``maximumDenominator``, so comparisons are exact integer arithmetic (no floating point).
///
/// Stored and shown as a stable text (``description``): `"entitled-majority"` for the default, otherwise
/// `"<base>><threshold>"` with the threshold as an exact decimal when it has one (`"present>0.5"`,
/// `"entitled>0.6"`) or as a fraction (`"present>2/3"`). ``init(_:)`` reads these back, and also
/// `"present-majority"`, `"entitled>1/2"` and `"present>.5"`; equal rules always print the same text.
public struct VerdictRule: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// What the votes are counted against.
    public enum Base: String, Sendable, Hashable, CaseIterable {
        /// All members entitled to vote (应到).
        case entitled
        /// The members present (实到).
        case present
    }

    /// The largest denominator a threshold may have once reduced.
    public static let maximumDenominator = 1_000_000

    /// The base of the rule.
    public let base: Base
    /// The threshold's numerator, in lowest terms.
    public let numerator: Int
    /// The threshold's denominator, in lowest terms.
    public let denominator: Int

    /// The majority-of-all-members rule: base = members entitled, threshold 1/2.
    public static let majorityOfEntitled = VerdictRule(unchecked: .entitled, 1, 2)
    /// The majority-of-those-present rule: base = members present, threshold 1/2.
    public static let majorityOfPresent = VerdictRule(unchecked: .present, 1, 2)

    /// A rule from a base and a threshold `numerator / denominator`; `nil` unless 0 < threshold < 1 and the
    /// reduced denominator is at most ``maximumDenominator``.
    public init?(base: Base, numerator: Int, denominator: Int) {
        guard numerator > 0, denominator > numerator else { return nil }
        let divisor = Self.gcd(numerator, denominator)
        let reducedDenominator = denominator / divisor
        guard reducedDenominator <= Self.maximumDenominator else { return nil }
        self.init(unchecked: base, numerator / divisor, reducedDenominator)
    }

    /// A rule from a base and a threshold written as a decimal ("0.5", ".6") or a fraction ("2/3").
    ///
    /// Returns `nil` for anything else, and for a threshold not strictly between 0 and 1.
    public init?(base: Base, threshold: String) {
        guard let (numerator, denominator) = Self.parseThreshold(threshold) else { return nil }
        self.init(base: base, numerator: numerator, denominator: denominator)
    }

    /// Reads a rule's text: "entitled-majority", "present-majority", or "<base>><threshold>".
    public init?(_ description: String) {
        switch description {
        case "entitled-majority": self = .majorityOfEntitled
        case "present-majority": self = .majorityOfPresent
        default:
            let parts = description.split(separator: ">", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let base = Base(rawValue: String(parts[0])) else { return nil }
            self.init(base: base, threshold: String(parts[1]))
        }
    }

    private init(unchecked base: Base, _ numerator: Int, _ denominator: Int) {
        self.base = base
        self.numerator = numerator
        self.denominator = denominator
    }

    /// The stable text of the rule, as stored with every evaluation.
    public var description: String {
        if self == .majorityOfEntitled { return "entitled-majority" }
        return "\(base.rawValue)>\(thresholdText)"
    }

    /// The threshold as an exact decimal ("0.5") when it has one, else as a fraction ("2/3").
    public var thresholdText: String {
        var twos = 0
        var fives = 0
        var rest = denominator
        while rest % 2 == 0 {
            rest /= 2
            twos += 1
        }
        while rest % 5 == 0 {
            rest /= 5
            fives += 1
        }
        let digits = max(twos, fives)
        guard rest == 1, digits <= 9 else { return "\(numerator)/\(denominator)" }
        var scale = 1
        for _ in 0..<digits { scale *= 10 }
        let scaled = String(numerator * (scale / denominator))
        return "0." + String(repeating: "0", count: digits - scaled.count) + scaled
    }

    /// The number the votes are counted against: members entitled or present.
    public func baseCount(of tally: Evaluation.Tally) -> Int {
        switch base {
        case .entitled: tally.entitled
        case .present: tally.present
        }
    }

    /// The verdict of a complete tally under this rule.
    public func verdict(of tally: Evaluation.Tally) -> Rating {
        let base = baseCount(of: tally)
        if exceedsThreshold(tally.satisfied, of: base) { return .satisfied }
        if exceedsThreshold(tally.satisfied + tally.basicallySatisfied, of: base) { return .basicallySatisfied }
        return .dissatisfied
    }

    /// The satisfaction rate (satisfied + basically satisfied) / base, from 0 to 1; 0 when the base is 0.
    public func rate(of tally: Evaluation.Tally) -> Double {
        let base = baseCount(of: tally)
        guard base > 0 else { return 0 }
        return Double(tally.satisfied + tally.basicallySatisfied) / Double(base)
    }

    /// Whether `votes` strictly exceed the threshold times `base`, in exact integer arithmetic.
    public func exceedsThreshold(_ votes: Int, of base: Int) -> Bool {
        votes * denominator > numerator * base
    }

    // MARK: Parsing

    /// "0.5", ".5" → (5, 10); "2/3" → (2, 3); nil for anything else (no sign, no exponent, no spaces).
    private static func parseThreshold(_ text: String) -> (Int, Int)? {
        let bytes = Array(text.utf8)
        if let slash = bytes.firstIndex(of: UInt8(ascii: "/")) {
            guard let numerator = digits(bytes[..<slash]), let denominator = digits(bytes[(slash + 1)...]) else {
                return nil
            }
            return (numerator, denominator)
        }
        guard let dot = bytes.firstIndex(of: UInt8(ascii: ".")) else { return nil }
        let whole = bytes[..<dot]
        let fraction = bytes[(dot + 1)...]
        guard whole.isEmpty || whole.allSatisfy({ $0 == UInt8(ascii: "0") }), whole.count <= 1, !fraction.isEmpty,
            fraction.count <= 9, let numerator = digits(fraction)
        else { return nil }
        var denominator = 1
        for _ in 0..<fraction.count { denominator *= 10 }
        return (numerator, denominator)
    }

    /// 1 to 9 ASCII digits as a number.
    private static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard !bytes.isEmpty, bytes.count <= 9 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}

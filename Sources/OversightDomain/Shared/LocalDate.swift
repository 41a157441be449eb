/// A calendar day without a time zone, written "YYYY-MM-DD".
///
/// The calendar is the proleptic Gregorian calendar (leap years every 4 years, except centuries not divisible by
/// 400). Representable days run from 0001-01-01 to 9999-12-31, so every value prints as exactly ten characters and
/// parses back. A `LocalDate` encodes as that string in JSON.
///
/// The domain never reads a clock: the caller turns its clock and the office's time zone into "today".
public struct LocalDate: Sendable, Hashable, Comparable, Codable, CustomStringConvertible,
    LosslessStringConvertible
{
    /// The year, 1...9999.
    public let year: Int
    /// The month, 1...12.
    public let month: Int
    /// The day of the month, 1...28, 29, 30 or 31 depending on the month and year.
    public let day: Int

    /// The years a `LocalDate` can hold.
    public static let years: ClosedRange<Int> = 1...9999
    /// The earliest representable day, 0001-01-01.
    public static let earliest = LocalDate(unchecked: 1, 1, 1)
    /// The latest representable day, 9999-12-31.
    public static let latest = LocalDate(unchecked: 9999, 12, 31)

    /// Creates a date from its parts, or `nil` if the day does not exist (2023-02-29, 2024-04-31, month 13 ...).
    public init?(year: Int, month: Int, day: Int) {
        guard Self.years.contains(year), (1...12).contains(month),
            (1...Self.daysIn(month: month, year: year)).contains(day)
        else { return nil }
        self.init(unchecked: year, month, day)
    }

    /// Parses the strict form "YYYY-MM-DD" (ASCII digits, zero padded, nothing before or after).
    ///
    /// Returns `nil` for anything else, including "2024-8-19", " 2024-08-19" and impossible days.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = Self.number(bytes[0..<4]), let month = Self.number(bytes[5..<7]),
            let day = Self.number(bytes[8..<10])
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    private init(unchecked year: Int, _ month: Int, _ day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The date as "YYYY-MM-DD".
    public var description: String {
        Self.padded(year, 4) + "-" + Self.padded(month, 2) + "-" + Self.padded(day, 2)
    }

    /// The day `days` after this one (before it, if negative).
    ///
    /// The result is clamped to ``earliest`` ... ``latest``, so the function is total.
    public func adding(days: Int) -> LocalDate {
        let (sum, overflow) = dayNumber.addingReportingOverflow(days)
        if overflow { return days > 0 ? .latest : .earliest }
        if sum > Self.latest.dayNumber { return .latest }
        if sum < Self.earliest.dayNumber { return .earliest }
        return LocalDate(dayNumber: sum)
    }

    /// The number of days from this date to `other`: positive if `other` is later, 0 on the same day.
    public func days(until other: LocalDate) -> Int {
        other.dayNumber - dayNumber
    }

    /// The day of the week in ISO 8601 numbering: 1 is Monday, 7 is Sunday.
    public var weekday: Int {
        // 1970-01-01 (day number 0) was a Thursday (4).
        let zeroBased = (dayNumber + 3) % 7
        return (zeroBased < 0 ? zeroBased + 7 : zeroBased) + 1
    }

    /// Whether `year` is a leap year in the Gregorian calendar.
    public static func isLeapYear(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// The number of days in a month of a year (28...31); 0 for a month outside 1...12.
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: 31
        case 4, 6, 9, 11: 30
        case 2: isLeapYear(year) ? 29 : 28
        default: 0
        }
    }

    /// Orders dates chronologically.
    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }

    /// Decodes a date from its "YYYY-MM-DD" string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = LocalDate(text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "expected a date as YYYY-MM-DD, found \"\(text.prefix(40))\"")
        }
        self = date
    }

    /// Encodes the date as its "YYYY-MM-DD" string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    // MARK: Day numbers (days since 1970-01-01), after Howard Hinnant's civil-date algorithms.

    var dayNumber: Int {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let monthFromMarch = (month + 9) % 12
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    init(dayNumber: Int) {
        let shifted = dayNumber + 719_468
        let era = (shifted >= 0 ? shifted : shifted - 146_096) / 146_097
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(unchecked: year, month, day)
    }

    private static func number(_ digits: ArraySlice<UInt8>) -> Int? {
        var value = 0
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        return value
    }

    private static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

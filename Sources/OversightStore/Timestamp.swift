import Foundation

/// The `recorded_at` text format: ISO-8601 UTC with milliseconds, such as `2024-08-19T02:30:00.123Z`.
///
/// Written by hand (not with a formatter) so that the stored text, which is hashed, never depends on locale,
/// calendar settings or Foundation's rounding.
public enum Timestamp {
    /// The earliest storable instant, 0001-01-01T00:00:00.000Z, in milliseconds since 1970.
    static let minimumMilliseconds: Int64 = -62_135_596_800_000
    /// The latest storable instant, 9999-12-31T23:59:59.999Z, in milliseconds since 1970.
    static let maximumMilliseconds: Int64 = 253_402_300_799_999

    /// Milliseconds since 1970 of a date, truncated toward the past; nil when out of the storable range.
    ///
    /// A value within 10 µs below a millisecond boundary snaps to it, so that floating-point noise never turns
    /// `.123` into `.122` and `date(milliseconds:)` round-trips exactly.
    static func milliseconds(of date: Date) -> Int64? {
        let scaled = date.timeIntervalSince1970 * 1000
        let nearest = scaled.rounded()
        let value = abs(scaled - nearest) < 0.01 ? nearest : scaled.rounded(.down)
        guard value.isFinite, value >= Double(minimumMilliseconds), value <= Double(maximumMilliseconds) else {
            return nil
        }
        return Int64(value)
    }

    /// The date of a millisecond count.
    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }

    /// Formats a date as stored text (truncated to the millisecond; clamped to the storable range).
    public static func format(_ date: Date) -> String {
        let milliseconds =
            milliseconds(of: date)
            ?? (date.timeIntervalSince1970 < 0 ? minimumMilliseconds : maximumMilliseconds)
        return format(milliseconds: milliseconds)
    }

    /// Formats milliseconds since 1970 (within the storable range) as stored text.
    static func format(milliseconds: Int64) -> String {
        let days = floorDivide(milliseconds, 86_400_000)
        let msOfDay = milliseconds - days * 86_400_000
        let (year, month, day) = civil(fromDays: days)
        let hour = msOfDay / 3_600_000
        let minute = msOfDay / 60_000 % 60
        let second = msOfDay / 1000 % 60
        let milli = msOfDay % 1000
        guard (0...9999).contains(year) else {
            return
                "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(hour, 2)):\(pad(minute, 2)):\(pad(second, 2))."
                + "\(pad(milli, 3))Z"
        }
        // Every append formats its time: 24 ASCII bytes written in place, without interpolation's temporaries.
        return String(unsafeUninitializedCapacity: 24) { text in
            func put(_ value: Int64, width: Int, at offset: Int) {
                var rest = value
                for index in (offset..<offset + width).reversed() {
                    text[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                    rest /= 10
                }
            }
            put(year, width: 4, at: 0)
            text[4] = UInt8(ascii: "-")
            put(month, width: 2, at: 5)
            text[7] = UInt8(ascii: "-")
            put(day, width: 2, at: 8)
            text[10] = UInt8(ascii: "T")
            put(hour, width: 2, at: 11)
            text[13] = UInt8(ascii: ":")
            put(minute, width: 2, at: 14)
            text[16] = UInt8(ascii: ":")
            put(second, width: 2, at: 17)
            text[19] = UInt8(ascii: ".")
            put(milli, width: 3, at: 20)
            text[23] = UInt8(ascii: "Z")
            return 24
        }
    }

    /// Parses stored text back to milliseconds since 1970; nil when the text is not exactly in the stored format.
    static func parse(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        guard bytes.count == 24, bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54, bytes[13] == 0x3A,
            bytes[16] == 0x3A, bytes[19] == 0x2E, bytes[23] == 0x5A
        else { return nil }
        func number(_ range: Range<Int>) -> Int64? {
            var value: Int64 = 0
            for index in range {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int64(byte - 0x30)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let milli = number(20..<23), year >= 1, (1...12).contains(month), (1...daysIn(month, year)).contains(day),
            hour < 24, minute < 60, second < 60
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * 86_400_000 + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> Int64 {
        let quotient = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? quotient - 1 : quotient
    }

    private static func isLeap(_ year: Int64) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    private static func daysIn(_ month: Int64, _ year: Int64) -> Int64 {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = floorDivide(y, 400)
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = floorDivide(z, 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

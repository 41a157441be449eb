import Foundation

/// A time written as journalctl's `--since` and `--until` take it, resolved to an instant.
///
/// Accepted forms: `YYYY-MM-DD` (midnight), `YYYY-MM-DD HH:MM[:SS[.fff]]` (a `T` may replace the space), either
/// followed by `Z` or an offset (`+08:00`, `-0500`) — without one it is a local time in `timeZone` (the CLI's
/// `TZ`) —, `now`, `today`, `yesterday`, `tomorrow` (midnights in `timeZone`), and relative times `-2h`, `-30m`,
/// `+1d` (units `s`, `m`, `h`, `d`, `w`) from now.
enum TimeExpression {
    /// The accepted forms, for error messages and help.
    static let acceptedForms =
        "YYYY-MM-DD, \"YYYY-MM-DD HH:MM[:SS]\", ISO 8601 with Z or an offset (2024-08-19T10:30:00+08:00), "
        + "now, today, yesterday, tomorrow, or a relative time such as -2h, -30m, -7d (units s, m, h, d, w)"

    /// The instant `text` names, or nil when it is none of the accepted forms or not a real time.
    static func resolve(_ text: String, now: Date, timeZone: TimeZone) -> Date? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        switch trimmed.lowercased() {
        case "now": return now
        case "today": return calendar.startOfDay(for: now)
        case "yesterday": return calendar.date(byAdding: .day, value: -1, to: calendar.startOfDay(for: now))
        case "tomorrow": return calendar.date(byAdding: .day, value: 1, to: calendar.startOfDay(for: now))
        default: break
        }
        if let offset = relativeSeconds(trimmed) { return now.addingTimeInterval(offset) }
        return absolute(trimmed, calendar: calendar)
    }

    /// The stored form of an instant as the daemon compares it: UTC, `YYYY-MM-DDTHH:MM:SS.mmmZ` (truncated to
    /// the millisecond).
    static func utcText(_ date: Date) -> String {
        // Within 10 µs below a millisecond boundary counts as on it, so that `.123` never becomes `.122`.
        let scaled = date.timeIntervalSince1970 * 1000
        let milliseconds = abs(scaled - scaled.rounded()) < 0.01 ? scaled.rounded() : scaled.rounded(.down)
        let whole = Date(timeIntervalSince1970: milliseconds / 1000)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: whole)
        let milli = Int(milliseconds.truncatingRemainder(dividingBy: 1000) + 1000) % 1000
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, milli)
    }

    /// `-2h`, `+30m`, `-7d`: seconds from now.
    private static func relativeSeconds(_ text: String) -> TimeInterval? {
        guard let sign = text.first, sign == "-" || sign == "+", let unit = text.last, text.count >= 3 else {
            return nil
        }
        let digits = text.dropFirst().dropLast()
        guard digits.allSatisfy(\.isASCII), let amount = Int(digits), amount >= 0, amount <= 100_000 else {
            return nil
        }
        let seconds: Int
        switch unit {
        case "s": seconds = 1
        case "m": seconds = 60
        case "h": seconds = 3600
        case "d": seconds = 86_400
        case "w": seconds = 604_800
        default: return nil
        }
        return TimeInterval((sign == "-" ? -1 : 1) * amount * seconds)
    }

    /// `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]][Z|±HH:MM|±HHMM]`.
    private static func absolute(_ text: String, calendar: Calendar) -> Date? {
        var scanner = Digits(Array(text.utf8))
        guard let year = scanner.number(4), scanner.skip("-"), let month = scanner.number(2), scanner.skip("-"),
            let day = scanner.number(2)
        else { return nil }
        var hour = 0
        var minute = 0
        var second = 0
        var fraction = 0.0
        if scanner.skip(" ") || scanner.skip("T") || scanner.skip("t") {
            guard let h = scanner.number(2), scanner.skip(":"), let m = scanner.number(2) else { return nil }
            hour = h
            minute = m
            if scanner.skip(":") {
                guard let s = scanner.number(2) else { return nil }
                second = s
                if scanner.skip(".") || scanner.skip(",") {
                    guard let digits = scanner.fraction() else { return nil }
                    fraction = digits
                }
            }
        }
        var zone = calendar.timeZone
        if scanner.skip("Z") || scanner.skip("z") {
            zone = TimeZone(secondsFromGMT: 0) ?? zone
        } else if let sign = scanner.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            scanner.advance()
            guard let hours = scanner.number(2), hours <= 23 else { return nil }
            _ = scanner.skip(":")
            guard let minutes = scanner.number(2), minutes <= 59 else { return nil }
            let offset = (hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
            guard let fixed = TimeZone(secondsFromGMT: offset) else { return nil }
            zone = fixed
        }
        guard scanner.atEnd, (1...12).contains(month), (1...31).contains(day), hour <= 23, minute <= 59, second <= 59
        else { return nil }
        var zoned = calendar
        zoned.timeZone = zone
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = zoned.date(from: parts) else { return nil }
        // Refuse days that do not exist (2024-02-30 would roll over to March).
        let check = zoned.dateComponents([.year, .month, .day], from: date)
        guard check.year == year, check.month == month, check.day == day else { return nil }
        return date.addingTimeInterval(fraction)
    }

    /// Reads fixed-width decimal fields from ASCII bytes.
    private struct Digits {
        let bytes: [UInt8]
        var index = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

        mutating func advance() { index += 1 }

        mutating func skip(_ character: Character) -> Bool {
            guard let ascii = character.asciiValue, peek == ascii else { return false }
            index += 1
            return true
        }

        mutating func number(_ width: Int) -> Int? {
            guard index + width <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<(index + width)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += width
            return value
        }

        /// The digits after a decimal point, as a fraction of a second (at least one digit, at most nine).
        mutating func fraction() -> Double? {
            var digits: [UInt8] = []
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                digits.append(byte)
                advance()
            }
            guard (1...9).contains(digits.count) else { return nil }
            return Double("0." + String(decoding: digits, as: UTF8.self))
        }
    }
}

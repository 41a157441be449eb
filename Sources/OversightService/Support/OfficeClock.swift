import Foundation
import OversightDomain

/// The office's clock: the current instant, and the calendar day it falls on in the office's time zone.
///
/// Injected, so tests can fix the time (`.constant`), like swift-dependencies' `DateGenerator`.
struct OfficeClock: Sendable {
    /// The time zone whose calendar days the office uses (default Asia/Shanghai).
    let timeZone: TimeZone
    private let generate: @Sendable () -> Date

    /// A clock reading the system time.
    static func live(timeZone: TimeZone) -> OfficeClock {
        OfficeClock(timeZone: timeZone, generate: { Date() })
    }

    /// A clock that always reads `date`.
    static func constant(_ date: Date, timeZone: TimeZone) -> OfficeClock {
        OfficeClock(timeZone: timeZone, generate: { date })
    }

    /// The current instant.
    func now() -> Date { generate() }

    /// The office's calendar day at `date`.
    func today(at date: Date) -> LocalDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        guard let day = LocalDate(year: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1) else {
            preconditionFailure("the Gregorian calendar produced an invalid day")
        }
        return day
    }
}

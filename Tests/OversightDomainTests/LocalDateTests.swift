import Foundation
import OversightDomain
import Testing

struct LocalDateTests {
    @Test(arguments: [
        ("2024-08-19", 2024, 8, 19),
        ("2024-02-29", 2024, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31),
        ("2023-12-31", 2023, 12, 31),
    ])
    func `valid dates parse into their parts and print back`(text: String, year: Int, month: Int, day: Int) throws {
        let date = try #require(LocalDate(text))
        #expect(date.year == year && date.month == month && date.day == day)
        #expect(date.description == text)
        #expect(LocalDate(year: year, month: month, day: day) == date)
    }

    @Test(arguments: [
        "2023-02-29",  // not a leap year
        "1900-02-29",  // century, not divisible by 400
        "2024-02-30", "2024-04-31", "2024-13-01", "2024-00-10", "2024-01-00", "2024-01-32",
        "0000-01-01",  // no year 0
        "2024-8-19", "24-08-19", "2024/08/19", "2024-08-19 ", " 2024-08-19", "2024-08-1x", "+024-08-19",
        "2024-08-19T00:00:00", "", "２０２４-08-19",  // full-width digits
    ])
    func `invalid or loosely written dates are refused`(text: String) {
        #expect(LocalDate(text) == nil)
    }

    @Test func `the initializer from parts refuses impossible days`() {
        #expect(LocalDate(year: 2023, month: 2, day: 29) == nil)
        #expect(LocalDate(year: 2024, month: 6, day: 31) == nil)
        #expect(LocalDate(year: 10_000, month: 1, day: 1) == nil)
        #expect(LocalDate(year: 2024, month: 2, day: 29) != nil)
    }

    @Test(arguments: [(2024, true), (2023, false), (2000, true), (1900, false), (2100, false), (2400, true)])
    func `leap years follow the Gregorian rule`(year: Int, leap: Bool) {
        #expect(LocalDate.isLeapYear(year) == leap)
        #expect(LocalDate.daysIn(month: 2, year: year) == (leap ? 29 : 28))
    }

    @Test(arguments: [
        ("2024-02-28", 1, "2024-02-29"),
        ("2023-02-28", 1, "2023-03-01"),
        ("2024-12-31", 1, "2025-01-01"),
        ("2025-01-01", -1, "2024-12-31"),
        ("2024-08-30", 92, "2024-11-30"),
        ("2024-03-01", -1, "2024-02-29"),
        ("2000-01-01", 366, "2001-01-01"),
        ("1970-01-01", 0, "1970-01-01"),
        ("2024-01-01", 146_097, "2424-01-01"),  // 400 years
    ])
    func `adding days crosses months, years and leap days`(start: String, days: Int, expected: String) {
        #expect(day(start).adding(days: days) == day(expected))
        #expect(day(start).days(until: day(expected)) == days)
        #expect(day(expected).days(until: day(start)) == -days)
    }

    @Test func `adding days is clamped to the representable range`() {
        #expect(day("9999-12-30").adding(days: 5) == LocalDate.latest)
        #expect(day("0001-01-02").adding(days: -5) == LocalDate.earliest)
        #expect(day("2024-01-01").adding(days: .max) == LocalDate.latest)
        #expect(day("2024-01-01").adding(days: .min) == LocalDate.earliest)
    }

    @Test func `every day of a leap year follows the one before`() {
        var date = day("2024-01-01")
        var seen = 0
        while date.year == 2024 {
            let next = date.adding(days: 1)
            #expect(next > date)
            #expect(LocalDate(next.description) == next)
            #expect(date.days(until: next) == 1)
            date = next
            seen += 1
        }
        #expect(seen == 366)
    }

    @Test(arguments: [
        ("2024-08-19", 1),  // the 13th session: a Monday
        ("1970-01-01", 4), ("2000-01-01", 6), ("2024-12-29", 7), ("2024-12-31", 2), ("0001-01-01", 1),
        ("1969-12-31", 3),
    ])
    func `weekday numbers Monday as 1 and Sunday as 7`(text: String, weekday: Int) {
        #expect(day(text).weekday == weekday)
    }

    @Test func `dates order chronologically`() {
        #expect(day("2024-08-19") < day("2024-08-20"))
        #expect(day("2023-12-31") < day("2024-01-01"))
        #expect(day("2024-02-01") > day("2024-01-31"))
        #expect(
            [day("2024-09-01"), day("2024-01-05"), day("2024-05-14")].sorted().map(\.description) == [
                "2024-01-05", "2024-05-14", "2024-09-01",
            ])
    }

    @Test func `a date is coded in JSON as its string`() throws {
        let data = try JSONEncoder().encode([day("2024-08-19")])
        #expect(String(decoding: data, as: UTF8.self) == #"["2024-08-19"]"#)
        #expect(try JSONDecoder().decode([LocalDate].self, from: data) == [day("2024-08-19")])
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([LocalDate].self, from: Data(#"["2024-02-30"]"#.utf8))
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([LocalDate].self, from: Data("[20240819]".utf8))
        }
    }
}

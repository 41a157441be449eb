import OversightDomain
import Testing

/// Working days: Monday to Friday, public holidays and adjusted working days (调休), and the calendar file.
struct WorkingCalendarTests {
    /// The 2024 national day as the State Council set it: 1–7 October off, 29 September and 12 October worked.
    static let nationalDay2024 = """
        # 2024 国庆节
        2024-10-01..2024-10-07 holiday 国庆节
        2024-09-29 workday 调休   # a Sunday
        2024-10-12 workday 调休

        """

    static func calendar(_ text: String = nationalDay2024) throws -> WorkingCalendar {
        try WorkingCalendar(parsing: text)
    }

    @Test func `the plain calendar works Monday to Friday`() {
        let plain = WorkingCalendar.mondayToFriday
        // 2024-09-23 is a Monday.
        let week = (0..<7).map { plain.isWorkingDay(day("2024-09-23").adding(days: $0)) }
        #expect(week == [true, true, true, true, true, false, false])
    }

    @Test func `seven working days after a Friday end on the second Tuesday in the plain calendar`() {
        #expect(WorkingCalendar.mondayToFriday.addingWorkingDays(7, to: day("2024-09-27")) == day("2024-10-08"))
        #expect(WorkingCalendar.mondayToFriday.addingWorkingDays(1, to: day("2024-09-27")) == day("2024-09-30"))
        #expect(WorkingCalendar.mondayToFriday.addingWorkingDays(5, to: day("2024-09-23")) == day("2024-09-30"))
    }

    @Test func `holidays are skipped and adjusted working days count`() throws {
        let calendar = try Self.calendar()
        #expect(!calendar.isWorkingDay(day("2024-10-01")))
        #expect(!calendar.isWorkingDay(day("2024-10-07")))
        #expect(calendar.isWorkingDay(day("2024-09-29")))
        #expect(calendar.isWorkingDay(day("2024-10-12")))
        #expect(!calendar.isWorkingDay(day("2024-10-13")))
        // 9-29 (Sun, worked) 1, 9-30 2, 10-8 3, 10-9 4, 10-10 5, 10-11 6, 10-12 (Sat, worked) 7.
        #expect(calendar.addingWorkingDays(7, to: day("2024-09-27")) == day("2024-10-12"))
        #expect(calendar.addingWorkingDays(3, to: day("2024-09-30")) == day("2024-10-10"))
    }

    @Test func `zero working days is the same day, a negative count goes back`() throws {
        let calendar = try Self.calendar()
        #expect(calendar.addingWorkingDays(0, to: day("2024-10-05")) == day("2024-10-05"))
        #expect(WorkingCalendar.mondayToFriday.addingWorkingDays(-1, to: day("2024-09-30")) == day("2024-09-27"))
        #expect(calendar.addingWorkingDays(-1, to: day("2024-09-30")) == day("2024-09-29"))
        #expect(calendar.addingWorkingDays(-1, to: day("2024-10-08")) == day("2024-09-30"))
    }

    @Test func `working days between two days are counted after the first up to the second`() throws {
        let calendar = try Self.calendar()
        #expect(calendar.workingDays(after: day("2024-09-27"), through: day("2024-10-12")) == 7)
        #expect(WorkingCalendar.mondayToFriday.workingDays(after: day("2024-09-27"), through: day("2024-10-12")) == 10)
        #expect(calendar.workingDays(after: day("2024-10-12"), through: day("2024-10-12")) == 0)
        #expect(calendar.workingDays(after: day("2024-10-12"), through: day("2024-10-01")) == 0)
    }

    @Test func `the file keeps names, ignores comments and blank lines, and accepts CRLF`() throws {
        let calendar = try Self.calendar("\r\n# only a comment\r\n2025-01-01 holiday 元旦 New Year  # trailing\r\n")
        #expect(calendar.holidays == [day("2025-01-01"): "元旦 New Year"])
        #expect(calendar.adjustedWorkdays.isEmpty)
        let national = try Self.calendar()
        #expect(national.holidays.count == 7)
        #expect(national.holidays[day("2024-10-03")] == "国庆节")
        #expect(national.adjustedWorkdays == [day("2024-09-29"): "调休", day("2024-10-12"): "调休"])
        #expect(try Self.calendar("") == .mondayToFriday)
    }

    @Test func `a weekend holiday or a weekday workday changes nothing`() throws {
        let calendar = try Self.calendar("2024-10-05 holiday 周六\n2024-10-08 workday 周二\n")
        #expect(!calendar.isWorkingDay(day("2024-10-05")))
        #expect(calendar.isWorkingDay(day("2024-10-08")))
        #expect(calendar.addingWorkingDays(7, to: day("2024-09-27")) == day("2024-10-08"))
    }

    static let badFiles: [(String, WorkingCalendar.ParseError)] = [
        ("2024-10-01 holiday\n2024-13-01 holiday\n", .invalidDay(line: 2, text: "2024-13-01")),
        ("# c\n\n2024/10/01 holiday\n", .invalidDay(line: 3, text: "2024/10/01")),
        ("2024-10-01..2024-10-0x holiday\n", .invalidDay(line: 1, text: "2024-10-0x")),
        ("2024-10-01\n", .missingKind(line: 1)),
        ("2024-10-01  # no kind\n", .missingKind(line: 1)),
        ("2024-10-01 day-off 国庆\n", .unknownKind(line: 1, kind: "day-off")),
        ("2024-10-01 Holiday\n", .unknownKind(line: 1, kind: "Holiday")),
        (
            "2024-10-01..2024-10-07 holiday\n2024-10-03 workday\n",
            .duplicateDay(line: 2, day: day("2024-10-03"), firstLine: 1)
        ),
        (
            "2024-10-07..2024-10-01 holiday\n",
            .backwardRange(line: 1, from: day("2024-10-07"), to: day("2024-10-01"))
        ),
        ("2024-01-01..2025-01-01 holiday\n", .rangeTooLong(line: 1, days: 367)),
    ]

    @Test(arguments: badFiles)
    func `a bad calendar file is refused naming the line`(text: String, error: WorkingCalendar.ParseError) {
        #expect(throws: error) { try Self.calendar(text) }
        #expect(error.description.hasPrefix("line \(error.line): "))
    }

    @Test func `a range of 366 days is accepted`() throws {
        let calendar = try Self.calendar("2024-01-01..2024-12-31 holiday 全年\n")
        #expect(calendar.holidays.count == 366)
    }

    @Test func `error descriptions say how to write the entry`() {
        #expect(
            WorkingCalendar.ParseError.unknownKind(line: 4, kind: "off").description
                == #"line 4: unknown kind "off"; write "holiday" or "workday""#)
        #expect(
            WorkingCalendar.ParseError.duplicateDay(line: 9, day: day("2024-10-03"), firstLine: 2).description
                == "line 9: 2024-10-03 is already listed on line 2; list each day once")
    }

    @Test func `a decision context uses the plain calendar unless given one`() throws {
        #expect(DecisionContext(today: day("2024-12-31")).calendar == .mondayToFriday)
        let calendar = try Self.calendar()
        #expect(DecisionContext(today: day("2024-12-31"), calendar: calendar).calendar == calendar)
    }
}

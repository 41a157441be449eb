/// The office's working days: Monday to Friday, minus public holidays, plus adjusted working days (调休).
///
/// Legal clocks counted in working days (a wrongly assigned suggestion goes back within 7 working days) use it.
/// Without a calendar file every Monday to Friday is a working day and every Saturday and Sunday is not.
///
/// ## Calendar file format
/// UTF-8 text, one entry a line; `#` starts a comment that runs to the end of the line; blank lines are ignored.
/// An entry is a day (or an inclusive range of days `FROM..TO`), a kind, and an optional name, separated by
/// white space:
/// ```
/// # 2024 national day (国庆节): 1–7 October off, Sunday 29 September and Saturday 12 October worked
/// 2024-10-01..2024-10-07 holiday 国庆节
/// 2024-09-29 workday 调休
/// 2024-10-12 workday 调休
/// ```
/// - `holiday`: no work that day, even on a weekday.
/// - `workday`: work that day, even on a Saturday or Sunday (an adjusted working day, 调休).
///
/// A day may appear in one entry only; a range runs forwards and spans at most 366 days. Listing a weekend as a
/// holiday or a weekday as a workday is allowed (and changes nothing).
public struct WorkingCalendar: Sendable, Equatable {
    /// Public holidays on which nobody works, with their names ("" when the file gives none).
    public private(set) var holidays: [LocalDate: String]
    /// Saturdays or Sundays worked instead of a holiday (调休), with their names ("" when none).
    public private(set) var adjustedWorkdays: [LocalDate: String]

    /// The plain calendar: Monday to Friday, no holidays.
    public static let mondayToFriday = WorkingCalendar()

    /// The longest range an entry may span, in days.
    public static let maximumRange = 366

    /// Creates a calendar from holidays and adjusted working days.
    ///
    /// - Parameters:
    ///   - holidays: Days off, with names.
    ///   - adjustedWorkdays: Days worked, with names. A day in both is treated as worked.
    public init(holidays: [LocalDate: String] = [:], adjustedWorkdays: [LocalDate: String] = [:]) {
        self.holidays = holidays
        self.adjustedWorkdays = adjustedWorkdays
    }

    /// Whether people work on `date`.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if adjustedWorkdays[date] != nil { return true }
        if holidays[date] != nil { return false }
        return date.weekday <= 5
    }

    /// The `count`-th working day after `date` (before it, when `count` is negative); `date` itself is not
    /// counted, and `count` 0 gives `date` back.
    ///
    /// "Within 7 working days of an assignment on Friday 27 September 2024" ends on
    /// `addingWorkingDays(7, to: 2024-09-27)`.
    public func addingWorkingDays(_ count: Int, to date: LocalDate) -> LocalDate {
        let step = count < 0 ? -1 : 1
        var remaining = count.magnitude
        var day = date
        while remaining > 0 {
            let next = day.adding(days: step)
            if next == day { return day }  // the edge of representable days
            day = next
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }

    /// The number of working days after `start` up to and including `end` (0 when `end` is not after `start`).
    public func workingDays(after start: LocalDate, through end: LocalDate) -> Int {
        guard end > start else { return 0 }
        var count = 0
        var day = start
        while day < end {
            day = day.adding(days: 1)
            if isWorkingDay(day) { count += 1 }
        }
        return count
    }

    /// Reads a calendar file (see the format on ``WorkingCalendar``).
    ///
    /// - Parameter text: The file's contents.
    /// - Throws: ``ParseError``, naming the first line that is wrong.
    public init(parsing text: String) throws(ParseError) {
        var holidays: [LocalDate: String] = [:]
        var workdays: [LocalDate: String] = [:]
        var firstLine: [LocalDate: Int] = [:]
        var lineNumber = 0
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let content = rawLine.prefix { $0 != "#" }
            let words = content.split(whereSeparator: \.isWhitespace).map(String.init)
            guard let first = words.first else { continue }
            let days = try Self.days(first, line: lineNumber)
            guard words.count >= 2 else { throw .missingKind(line: lineNumber) }
            let name = words.dropFirst(2).joined(separator: " ")
            for day in days {
                if let earlier = firstLine[day] { throw .duplicateDay(line: lineNumber, day: day, firstLine: earlier) }
                firstLine[day] = lineNumber
                switch words[1] {
                case "holiday": holidays[day] = name
                case "workday": workdays[day] = name
                default: throw .unknownKind(line: lineNumber, kind: words[1])
                }
            }
        }
        self.init(holidays: holidays, adjustedWorkdays: workdays)
    }

    /// The days an entry names: one day, or an inclusive range `FROM..TO`.
    private static func days(_ text: String, line: Int) throws(ParseError) -> [LocalDate] {
        let parts = text.split(separator: "..", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        var dates: [LocalDate] = []
        for part in parts {
            guard let date = LocalDate(part) else { throw .invalidDay(line: line, text: part) }
            dates.append(date)
        }
        guard dates.count == 2 else { return dates }
        let (from, to) = (dates[0], dates[1])
        guard from <= to else { throw .backwardRange(line: line, from: from, to: to) }
        let span = from.days(until: to) + 1
        guard span <= maximumRange else { throw .rangeTooLong(line: line, days: span) }
        return (0..<span).map { from.adding(days: $0) }
    }

    /// Why a calendar file was refused; every case names the line (1-based).
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// The entry does not start with a day written YYYY-MM-DD (or a range FROM..TO).
        case invalidDay(line: Int, text: String)
        /// The entry has a day but no kind.
        case missingKind(line: Int)
        /// The kind is neither `holiday` nor `workday`.
        case unknownKind(line: Int, kind: String)
        /// A day appears in an earlier entry too.
        case duplicateDay(line: Int, day: LocalDate, firstLine: Int)
        /// A range ends before it starts.
        case backwardRange(line: Int, from: LocalDate, to: LocalDate)
        /// A range spans more than ``WorkingCalendar/maximumRange`` days.
        case rangeTooLong(line: Int, days: Int)

        /// The line the error is on.
        public var line: Int {
            switch self {
            case .invalidDay(let line, _), .missingKind(let line), .unknownKind(let line, _),
                .duplicateDay(let line, _, _), .backwardRange(let line, _, _), .rangeTooLong(let line, _):
                line
            }
        }

        /// A sentence naming the line, what is wrong and how to write it.
        public var description: String {
            let problem: String
            switch self {
            case .invalidDay(_, let text):
                problem = "\"\(text.prefix(40))\" is not a day; write YYYY-MM-DD or a range YYYY-MM-DD..YYYY-MM-DD"
            case .missingKind:
                problem = "the day has no kind; write \"holiday\" or \"workday\" after it"
            case .unknownKind(_, let kind):
                problem = "unknown kind \"\(kind.prefix(40))\"; write \"holiday\" or \"workday\""
            case .duplicateDay(_, let day, let firstLine):
                problem = "\(day) is already listed on line \(firstLine); list each day once"
            case .backwardRange(_, let from, let to):
                problem = "the range \(from)..\(to) ends before it starts; write the earlier day first"
            case .rangeTooLong(_, let days):
                problem = "the range spans \(days) days; a range may span at most \(WorkingCalendar.maximumRange)"
            }
            return "line \(line): \(problem)"
        }
    }
}

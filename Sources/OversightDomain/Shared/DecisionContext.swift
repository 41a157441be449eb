/// What a decider needs to know about the world besides its own state: passed in, never looked up.
///
/// The caller builds one per command: it derives `today` from its clock and the office's time zone, takes
/// `knownDepartments` from the department registry (the department streams), and `calendar` from the daemon's
/// holiday calendar (`--holiday-calendar`).
public struct DecisionContext: Sendable {
    /// The office's calendar day when the command is decided; recorded dates may not be later than this.
    public var today: LocalDate
    /// The registered departments; a topic may only name departments in this set.
    public var knownDepartments: Set<DepartmentCode>
    /// The office's working days, for clocks counted in working days (plain Monday to Friday by default).
    public var calendar: WorkingCalendar

    /// Creates a context.
    ///
    /// - Parameters:
    ///   - today: The office's calendar day.
    ///   - knownDepartments: The registered departments (empty if the command names none).
    ///   - calendar: The office's working days (default Monday to Friday, no holidays).
    public init(
        today: LocalDate, knownDepartments: Set<DepartmentCode> = [], calendar: WorkingCalendar = .mondayToFriday
    ) {
        self.today = today
        self.knownDepartments = knownDepartments
        self.calendar = calendar
    }
}

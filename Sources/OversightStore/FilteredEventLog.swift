/// An event log that can be read through an ``EventFilter``, page by page, for `log show` and `log follow`.
public protocol FilteredEventLog: EventLog {
    /// The matching events after `position`, looking at no more than `scanLimit` positions.
    ///
    /// Reads in one transaction: the events at positions `position + 1 …` up to the head, but at most
    /// `scanLimit` positions, and returns at most `limit` of those that match, oldest first.
    /// ``EventPage/scannedThrough`` says where the next page starts, so paging over a sparse filter moves on
    /// even when a page holds no event.
    func events(after position: Int64, limit: Int, matching filter: EventFilter, scanLimit: Int) throws -> EventPage

    /// The event at `position`, or nil when the log has no such position.
    func event(at position: Int64) throws -> RecordedEvent?
}

/// One page of a filtered read of the log.
public struct EventPage: Sendable, Equatable {
    /// The matching events, oldest first.
    public var events: [RecordedEvent]
    /// The last position looked at; the next page starts after it.
    ///
    /// Every event after the requested position up to this one has been considered, and those that matched are
    /// in ``events``.
    public var scannedThrough: Int64
    /// The head of the log when the page was read.
    public var head: Int64
    /// Whether an event recorded after the filter's `until` was among those looked at.
    ///
    /// Then the log has passed `until`, so a follower can stop. Always false without `until`.
    public var untilPassed: Bool

    /// Creates a page.
    public init(events: [RecordedEvent], scannedThrough: Int64, head: Int64, untilPassed: Bool) {
        self.events = events
        self.scannedThrough = scannedThrough
        self.head = head
        self.untilPassed = untilPassed
    }
}

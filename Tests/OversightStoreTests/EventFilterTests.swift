import Foundation
import OversightStore
import Testing

/// Reading the log through an ``EventFilter``: the SQL agrees with ``EventFilter/matches(_:)``, pages are bounded
/// and say where to continue, and `until` is reported once passed.
struct EventFilterTests {
    /// Appends one event per (stream, type, actor, seconds after `fixedDate`) in its own transaction.
    private func record(_ log: SQLiteEventLog, _ rows: [(String, String, String, Double)]) throws {
        for (stream, type, actor, seconds) in rows {
            _ = try log.write { tx in
                try tx.append(
                    [EventDraft(type: type, data: "{}")], to: stream, expectedVersion: .any,
                    meta: EventMetadata(actor: actor), recordedAt: fixedDate.addingTimeInterval(seconds))
            }
        }
    }

    private let rows: [(String, String, String, Double)] = [
        ("topic-T2024-001", "TopicPlanned", "alice", 0),  // 1
        ("topics", "Other", "bob", 1),  // 2: starts with "topic" but not "topic-"
        ("topic", "Other", "alice", 2),  // 3: the bare prefix without "-"
        ("item-I2024-001", "ItemAdded", "bob", 3),  // 4
        ("topic-T2024-002", "TopicPlanned", "carol", 4),  // 5
        ("item-I2024-001", "ItemAnswered", "alice", 5),  // 6
        ("topic-T2024-001", "TopicDeliberated", "bob", 6),  // 7
        ("话题-一", "TopicPlanned", "alice", 7),  // 8: non-ASCII names
        ("话题-二", "ItemAdded", "bob", 8),  // 9
    ]

    static let filters: [(String, EventFilter, [Int64])] = [
        ("stream prefix", EventFilter(streams: [.prefix("topic-")]), [1, 5, 7]),
        ("exact stream", EventFilter(streams: [.exact("topic")]), [3]),
        ("two streams", EventFilter(streams: [.exact("topics"), .prefix("item-")]), [2, 4, 6]),
        ("non-ASCII prefix", EventFilter(streams: [.prefix("话题-")]), [8, 9]),
        ("type", EventFilter(types: [.exact("TopicPlanned")]), [1, 5, 8]),
        ("type prefix", EventFilter(types: [.prefix("Item")]), [4, 6, 9]),
        ("actor", EventFilter(actors: ["bob"]), [2, 4, 7, 9]),
        ("two actors", EventFilter(actors: ["bob", "carol"]), [2, 4, 5, 7, 9]),
        (
            "since and until, inclusive",
            EventFilter(
                since: Timestamp.format(fixedDate.addingTimeInterval(2)),
                until: Timestamp.format(fixedDate.addingTimeInterval(5))),
            [3, 4, 5, 6]
        ),
        (
            "every part at once",
            EventFilter(
                streams: [.prefix("topic-"), .prefix("item-")], types: [.prefix("Topic"), .exact("ItemAnswered")],
                actors: ["alice", "bob"], since: Timestamp.format(fixedDate.addingTimeInterval(1))),
            [6, 7]
        ),
        ("nothing matches", EventFilter(actors: ["nobody"]), []),
    ]

    @Test(arguments: Self.filters)
    func `the log's SQL selects exactly the events the filter matches`(
        _ name: String, _ filter: EventFilter, _ expected: [Int64]
    ) throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try record(log, rows)
            let page = try log.events(after: 0, limit: 100, matching: filter, scanLimit: 1000)
            #expect(page.events.map(\.position) == expected, "\(name)")
            #expect(page.scannedThrough == 9 && page.head == 9)
            let all = try log.events(after: 0, limit: 100)
            #expect(all.filter(filter.matches).map(\.position) == expected, "\(name): matches(_:) agrees")
        }
    }

    @Test func `a sparse filter pages through the log in bounded scans and says where to continue`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try record(log, rows)
            let filter = EventFilter(streams: [.prefix("topic-")])
            var after: Int64 = 0
            var seen: [Int64] = []
            var scans: [Int64] = []
            while true {
                let page = try log.events(after: after, limit: 1, matching: filter, scanLimit: 3)
                seen += page.events.map(\.position)
                scans.append(page.scannedThrough)
                #expect(page.scannedThrough > after)
                #expect(page.scannedThrough - after <= 3)
                after = page.scannedThrough
                if after >= page.head { break }
            }
            #expect(seen == [1, 5, 7])
            // A full page (one event) ends at its event; an empty one at the end of its window of 3 positions.
            #expect(scans == [1, 4, 5, 7, 9])
            let past = try log.events(after: 9, limit: 10, matching: filter, scanLimit: 3)
            #expect(past.events.isEmpty && past.scannedThrough == 9)
        }
    }

    @Test func `until is reported passed only once an event recorded after it has been looked at`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try record(log, rows)
            let filter = EventFilter(
                types: [.exact("TopicPlanned")], until: Timestamp.format(fixedDate.addingTimeInterval(4)))
            let early = try log.events(after: 0, limit: 10, matching: filter, scanLimit: 5)
            #expect(early.events.map(\.position) == [1, 5])
            #expect(!early.untilPassed)
            let late = try log.events(after: 5, limit: 10, matching: filter, scanLimit: 5)
            #expect(late.events.isEmpty)
            #expect(late.untilPassed)
        }
    }

    @Test func `the event at a position is read for a cursor check`() throws {
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            try record(log, rows)
            #expect(try log.event(at: 4)?.stream == "item-I2024-001")
            #expect(try log.event(at: 4)?.hash == log.events(after: 3, limit: 1).first?.hash)
            #expect(try log.event(at: 10) == nil)
            #expect(try log.event(at: 0) == nil)
        }
    }

    @Test(arguments: [
        ("topic-T2024-001", EventFilter.Pattern.exact("topic-T2024-001")), ("topic-*", .prefix("topic-")),
        ("话*", .prefix("话")),
    ])
    func `a pattern is a name or a prefix ending in a star`(_ text: String, _ pattern: EventFilter.Pattern) {
        #expect(EventFilter.Pattern(parsing: text) == pattern)
        #expect(pattern.description == text)
    }

    @Test(arguments: ["", "*", "a*b", "**", "a**", "*a"])
    func `a pattern with a star anywhere but at the end is refused`(_ text: String) {
        #expect(EventFilter.Pattern(parsing: text) == nil)
    }

    @Test func `times are accepted in the stored form, with or without milliseconds`() {
        #expect(EventFilter.timestamp(parsing: "2024-08-19T02:30:00Z") == "2024-08-19T02:30:00.000Z")
        #expect(EventFilter.timestamp(parsing: "2024-08-19T02:30:00.123Z") == "2024-08-19T02:30:00.123Z")
        for bad in ["2024-08-19", "2024-08-19T02:30:00+08:00", "2024-02-30T00:00:00Z", "yesterday", ""] {
            #expect(EventFilter.timestamp(parsing: bad) == nil, "\(bad)")
        }
    }
}

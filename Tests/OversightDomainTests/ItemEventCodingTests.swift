import Foundation
import OversightDomain
import Testing

/// Recorded item events: stable names, deterministic bytes, and literal v1 payloads that must keep decoding.
struct ItemEventCodingTests {
    typealias F = ItemFixture

    /// Literal version-1 payloads as they are stored, and the events they mean.
    ///
    /// Never edit a payload here: a failing golden test means the stored format changed, which needs a new
    /// version and an upcast instead.
    static let golden: [(String, String, Item.Event)] = [
        (
            "ItemAdded",
            #"{"aspect":"养老服务设施","coDepartments":[],"createdOn":"2024-08-30","id":"I2024-001","kind":"problem","parent":"Q2024-001","text":"农村敬老院设施老化，护理人员不足","v":1}"#,
            F.added
        ),
        (
            "ItemAdded",
            #"{"aspect":"科技创新","coDepartments":["fgw"],"createdOn":"2024-06-20","dueDate":"2024-09-30","id":"I2024-007","kind":"recommendation","lead":"kjj","parent":"T2024-001","text":"加大研发投入","v":1}"#,
            .added(
                id: F.id("I2024-007"),
                Item.Draft(
                    parent: F.parent("T2024-001"), kind: .recommendation, aspect: "科技创新", text: "加大研发投入",
                    lead: F.kjj, coDepartments: [F.fgw], dueDate: day("2024-09-30"), createdOn: day("2024-06-20")))
        ),
        (
            "ItemAssigned", #"{"coDepartments":["fgw"],"date":"2024-09-02","dueDate":"2024-11-30","lead":"mzj","v":1}"#,
            F.assigned
        ),
        (
            "ItemAnswered",
            #"{"claimed":"in-progress","date":"2024-11-20","department":"mzj","text":"已完成12所敬老院改造","v":1}"#,
            F.answered
        ),
        (
            "ItemAnswered",
            #"{"claimed":"cannot-resolve-now","date":"2024-11-21","department":"fgw","reason":"受财力所限","text":"列入明年计划","v":1}"#,
            .answered(
                Item.Answer(
                    department: F.fgw, date: day("2024-11-21"), text: "列入明年计划", claimed: .cannotResolveNow,
                    reason: "受财力所限"))
        ),
        ("ItemAccepted", #"{"date":"2024-12-10","v":1}"#, F.accepted),
        (
            "ItemAccepted", #"{"date":"2024-12-10","note":"现场核查","v":1}"#,
            .accepted(date: day("2024-12-10"), note: "现场核查")
        ),
        ("ItemReopened", #"{"date":"2024-12-15","reason":"回访发现护理人员仍不足","v":1}"#, F.reopened),
        (
            "ItemDueDateChanged",
            #"{"approver":"李主任","date":"2024-11-25","dueDate":"2025-01-31","previousDueDate":"2024-11-30","reason":"涉及跨年度预算","v":1}"#,
            .dueDateChanged(
                date: day("2024-11-25"), dueDate: day("2025-01-31"), previous: day("2024-11-30"), reason: "涉及跨年度预算",
                approver: "李主任")
        ),
        (
            "ItemEscalated", #"{"date":"2024-12-01","step":"reminder","v":1}"#,
            .escalated(Item.Escalation(step: .reminder, date: day("2024-12-01")))
        ),
        (
            "ItemEscalated",
            #"{"date":"2024-12-05","dueDate":"2025-01-15","note":"督办通知","step":"supervision-notice","v":1}"#,
            .escalated(
                Item.Escalation(
                    step: .supervisionNotice, date: day("2024-12-05"), dueDate: day("2025-01-15"), note: "督办通知"))
        ),
        (
            "ItemEscalated", #"{"date":"2024-12-10","leader":"王副主任","step":"leader-supervision","v":1}"#,
            .escalated(Item.Escalation(step: .leaderSupervision, date: day("2024-12-10"), leader: "王副主任"))
        ),
        (
            "ItemEscalated", #"{"date":"2024-12-20","step":"committee-report","v":1}"#,
            .escalated(Item.Escalation(step: .committeeReport, date: day("2024-12-20")))
        ),
    ]

    @Test(arguments: golden)
    func `a stored v1 item payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Item.Event
    ) throws {
        #expect(try Item.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test func `the golden payloads cover every item event type`() {
        #expect(Set(Self.golden.map(\.0)) == Set(Item.Event.eventTypes))
        #expect(Item.Event.eventTypes.count == 7 && Set(Item.Event.eventTypes).count == 7)
        #expect(Item.Event.eventTypes.allSatisfy { $0.hasPrefix("Item") })
    }

    @Test func `a station parent round-trips`() throws {
        var draft = F.draft
        draft.parent = F.parent("L2024-002")
        let event = Item.Event.added(id: F.itemID, draft)
        let data = try event.encodedData()
        #expect(String(decoding: data, as: UTF8.self).contains(#""parent":"L2024-002""#))
        #expect(try Item.Event.decode(eventType: "ItemAdded", data: data) == event)
    }

    @Test func `other aggregates' events and unknown versions are refused`() {
        #expect(throws: DomainDecodingError.unknownEventType("TopicClosed")) {
            try Item.Event.decode(eventType: "TopicClosed", data: Data(#"{"date":"2024-12-20","v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "ItemAccepted", version: 2)) {
            try Item.Event.decode(eventType: "ItemAccepted", data: Data(#"{"date":"2024-12-10","v":2}"#.utf8))
        }
        #expect(throws: DomainDecodingError.missingVersion(eventType: "ItemAccepted")) {
            try Item.Event.decode(eventType: "ItemAccepted", data: Data(#"{"date":"2024-12-10"}"#.utf8))
        }
    }

    @Test(arguments: [
        ("ItemEscalated", #"{"date":"2024-12-01","step":"nudge","v":1}"#, "step"),
        ("ItemAnswered", #"{"claimed":"done","date":"2024-11-20","department":"mzj","text":"x","v":1}"#, "claimed"),
        (
            "ItemAdded",
            #"{"aspect":"a","coDepartments":[],"createdOn":"2024-08-30","id":"I2024-001","kind":"problem","parent":"X1","text":"t","v":1}"#,
            "parent"
        ),
        ("ItemReopened", #"{"date":"2024-12-15","v":1}"#, "reason"),
    ])
    func `malformed item data is refused with the place of the problem`(
        type: String, json: String, place: String
    )
        throws
    {
        let error = try #require(throws: DomainDecodingError.self) {
            _ = try Item.Event.decode(eventType: type, data: Data(json.utf8))
        }
        guard case .invalidData(let eventType, let reason) = error else {
            Issue.record("expected invalidData, got \(error)")
            return
        }
        #expect(eventType == type)
        #expect(reason.contains(place), "\(reason)")
    }
}

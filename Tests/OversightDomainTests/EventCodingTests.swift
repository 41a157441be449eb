import Foundation
import OversightDomain
import Testing

/// Recorded events: stable names, deterministic bytes, and literal v1 payloads that must keep decoding.
struct EventCodingTests {
    /// Literal version-1 payloads as they are stored, and the events they mean.
    ///
    /// Never edit a payload here: a failing golden test means the stored format changed, which needs a new
    /// version and an upcast instead.
    static let topicGolden: [(String, String, Topic.Event)] = [
        (
            "TopicPlanned",
            #"{"committee":"社会建设委","departments":["mzj","fgw"],"id":"T2024-003","kind":"linked-supervision","leader":"张明新","theme":"养老服务","title":"《河南省养老服务条例》贯彻实施情况联动监督","v":1,"year":2024}"#,
            Demo.planned
        ),
        (
            "TopicPlanned",
            #"{"departments":[],"id":"T2024-001","kind":"work-report","title":"听取和审议专项工作报告","v":1,"year":2024}"#,
            .planned(id: topicID("T2024-001"), Topic.Plan(year: 2024, kind: .workReport, title: "听取和审议专项工作报告"))
        ),
        (
            "TopicActivityRecorded",
            #"{"date":"2024-05-14","kind":"field-visit","peopleMet":25,"places":["舞钢市"],"summary":"实地察看养老机构","units":["舞钢市养老服务中心"],"v":1}"#,
            Demo.visit
        ),
        (
            "TopicActivityRecorded",
            #"{"date":"2024-06-03","kind":"inspection","places":[],"units":[],"v":1}"#,
            .activityRecorded(Topic.Activity(kind: .inspection, date: day("2024-06-03")))
        ),
        ("TopicDeliberated", #"{"date":"2024-08-19","number":13,"term":12,"v":1}"#, Demo.deliberated),
        (
            "TopicDeliberated", #"{"date":"2024-04-25","number":9,"v":1}"#,
            .deliberated(Topic.Session(number: 9, date: day("2024-04-25")))
        ),
        (
            "TopicOpinionsTransferred",
            #"{"date":"2024-08-30","dueDate":"2024-11-30","summary":"审议意见及问题清单交办市政府","v":1}"#,
            Demo.transferred
        ),
        ("TopicHandlingReported", #"{"date":"2024-11-25","summary":"研究处理情况报告","v":1}"#, Demo.reported),
        (
            "TopicSentBack",
            #"{"date":"2024-12-10","dueDate":"2025-03-10","reason":"满意度测评未通过，限期整改、再次报告","round":2,"v":1}"#,
            Demo.sentBack
        ),
        ("TopicClosed", #"{"date":"2024-12-20","v":1}"#, Demo.closed),
        (
            "TopicClosed", #"{"date":"2024-12-20","note":"a/b \"quoted\"","v":1}"#,
            .closed(date: day("2024-12-20"), note: #"a/b "quoted""#)
        ),
    ]

    static let departmentGolden: [(String, String, Department.Event)] = [
        (
            "DepartmentAdded", #"{"code":"fgw","name":"市发展和改革委员会","v":1}"#,
            .added(code: department("fgw"), name: "市发展和改革委员会")
        ),
        ("DepartmentRenamed", #"{"name":"市发展改革委","v":1}"#, .renamed(name: "市发展改革委")),
    ]

    @Test(arguments: topicGolden)
    func `a stored v1 topic payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Topic.Event
    ) throws {
        #expect(try Topic.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test(arguments: departmentGolden)
    func `a stored v1 department payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Department.Event
    ) throws {
        #expect(try Department.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test func `the golden payloads cover every event type`() {
        #expect(Set(Self.topicGolden.map(\.0)) == Set(Topic.Event.eventTypes))
        #expect(Topic.Event.eventTypes.count == 7 && Set(Topic.Event.eventTypes).count == 7)
        #expect(Set(Self.departmentGolden.map(\.0)) == Set(Department.Event.eventTypes))
        #expect(Department.Event.eventTypes == ["DepartmentAdded", "DepartmentRenamed"])
    }

    @Test func `a payload is read by its keys, whatever their order, spacing or explicit nulls`() throws {
        let json = #"{ "v": 1, "note": null, "date": "2024-12-20" }"#
        #expect(try Topic.Event.decode(eventType: "TopicClosed", data: Data(json.utf8)) == Demo.closed)
    }

    @Test func `every event of the lifecycle survives a round trip`() throws {
        let events = Demo.closedHistory + [Demo.sentBack]
        for event in events {
            let data = try event.encodedData()
            #expect(try Topic.Event.decode(eventType: event.eventType, data: data) == event)
            #expect(try event.encodedData() == data, "encoding is deterministic")
        }
    }

    @Test func `an unknown event type is refused`() {
        #expect(throws: DomainDecodingError.unknownEventType("TopicExploded")) {
            try Topic.Event.decode(eventType: "TopicExploded", data: Data(#"{"v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unknownEventType("DepartmentAdded")) {
            try Topic.Event.decode(eventType: "DepartmentAdded", data: Data(#"{"code":"fgw","name":"x","v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unknownEventType("TopicPlanned")) {
            try Department.Event.decode(eventType: "TopicPlanned", data: Data(#"{"v":1}"#.utf8))
        }
    }

    @Test func `a payload without a version is refused`() {
        #expect(throws: DomainDecodingError.missingVersion(eventType: "TopicClosed")) {
            try Topic.Event.decode(eventType: "TopicClosed", data: Data(#"{"date":"2024-12-20"}"#.utf8))
        }
    }

    @Test(arguments: [0, 2, 99])
    func `an unknown version is refused`(version: Int) {
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "TopicClosed", version: version)) {
            try Topic.Event.decode(eventType: "TopicClosed", data: Data(#"{"date":"2024-12-20","v":\#(version)}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "DepartmentRenamed", version: version)) {
            try Department.Event.decode(
                eventType: "DepartmentRenamed", data: Data(#"{"name":"x","v":\#(version)}"#.utf8))
        }
    }

    @Test(arguments: [
        ("TopicClosed", "not json", "not valid JSON"),
        ("TopicClosed", "[1]", "not a JSON object"),
        ("TopicClosed", #"{"v":"1","date":"2024-12-20"}"#, "v"),
        ("TopicClosed", #"{"v":1}"#, "date"),
        ("TopicClosed", #"{"v":1,"date":"2024-02-30"}"#, "date"),
        (
            "TopicPlanned", #"{"departments":[],"id":"T2024-001","kind":"hearing","title":"x","v":1,"year":2024}"#,
            "kind"
        ),
        (
            "TopicPlanned", #"{"departments":["FGW"],"id":"T2024-001","kind":"budget","title":"x","v":1,"year":2024}"#,
            "departments.0"
        ),
        ("TopicPlanned", #"{"departments":[],"id":"T2024-001","kind":"budget","v":1,"year":2024}"#, "title"),
        ("TopicSentBack", #"{"date":"2024-12-10","dueDate":"2025-03-10","reason":"x","round":"2","v":1}"#, "round"),
        ("DepartmentAdded", #"{"code":"Fgw","name":"x","v":1}"#, "code"),
    ])
    func `malformed data is refused with the place of the problem`(type: String, json: String, place: String) throws {
        let error = try #require(throws: DomainDecodingError.self) {
            if type.hasPrefix("Topic") {
                _ = try Topic.Event.decode(eventType: type, data: Data(json.utf8))
            } else {
                _ = try Department.Event.decode(eventType: type, data: Data(json.utf8))
            }
        }
        guard case .invalidData(let eventType, let reason) = error else {
            Issue.record("expected invalidData, got \(error)")
            return
        }
        #expect(eventType == type)
        #expect(reason.contains(place), "\(reason)")
    }

    @Test func `decoding error descriptions are actionable sentences`() {
        #expect(
            DomainDecodingError.unsupportedVersion(eventType: "TopicClosed", version: 2).description
                == "Version 2 of the TopicClosed event is not supported by this build; upgrade oversightd to read it.")
        let all: [DomainDecodingError] = [
            .unknownEventType("X"), .missingVersion(eventType: "X"), .unsupportedVersion(eventType: "X", version: 2),
            .invalidData(eventType: "X", reason: "missing \"date\""),
        ]
        for error in all {
            #expect(error.description.hasSuffix("."), "\(error)")
        }
    }
}

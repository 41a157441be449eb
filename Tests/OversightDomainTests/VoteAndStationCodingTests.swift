import Foundation
import OversightDomain
import Testing

/// Recorded vote and station events: stable names, deterministic bytes, literal v1 payloads that must keep decoding.
struct VoteAndStationCodingTests {
    /// Literal version-1 payloads as they are stored, and the events they mean.
    ///
    /// Never edit a payload here: a failing golden test means the stored format changed, which needs a new
    /// version and an upcast instead.
    static let voteGolden: [(String, String, Vote.Event)] = [
        (
            "VoteRecorded",
            #"{"abstain":0,"adopted":true,"against":0,"date":"2024-06-27","entitled":62,"for":58,"id":"V2024-001","kind":"resolution","rule":{"base":"entitled","comparison":"more-than","denominator":2,"numerator":1},"session":11,"term":12,"title":"关于加快推进“两城”建设的决议","v":1}"#,
            VoteDemo.twoCityRecorded
        ),
        (
            "VoteRecorded",
            #"{"abstain":3,"adopted":false,"against":20,"date":"2024-03-01","entitled":60,"for":37,"id":"V2024-007","kind":"decision","note":"a/b","rule":{"base":"entitled","comparison":"at-least","denominator":3,"numerator":2},"title":"关于修改议事规则的决定","v":1}"#,
            .recorded(
                id: VoteDemo.id("V2024-007"),
                Vote.Resolution(
                    kind: .decision, title: "关于修改议事规则的决定", date: day("2024-03-01"), entitled: 60, forVotes: 37,
                    against: 20, abstain: 3, rule: .twoThirdsOfEntitled, note: "a/b"),
                adopted: false)
        ),
        (
            "VoteDifferentialRecorded",
            #"{"candidates":[{"name":"老旧小区改造","votes":130},{"name":"农村供水提升","votes":120},{"name":"城区停车场建设","votes":90},{"name":"社区养老服务站","votes":60},{"name":"学校食堂改造","votes":20}],"chosen":["老旧小区改造","农村供水提升","城区停车场建设"],"date":"2024-12-20","entitled":150,"id":"V2024-002","places":3,"rule":{"base":"voting","comparison":"more-than","denominator":2,"numerator":1},"session":4,"term":11,"tied":[],"title":"2025年宝丰县民生实事项目票决","v":1,"voters":140}"#,
            VoteDemo.livelihoodRecorded
        ),
        (
            "VoteDifferentialRecorded",
            #"{"candidates":[{"name":"甲","votes":100},{"name":"乙","votes":80},{"name":"丙","votes":80}],"chosen":["甲"],"date":"2024-12-20","entitled":150,"id":"V2024-003","note":"乙、丙票数相同","places":2,"rule":{"base":"voting","comparison":"more-than","denominator":2,"numerator":1},"tied":["乙","丙"],"title":"票决","v":1,"voters":140}"#,
            .differentialRecorded(
                id: VoteDemo.id("V2024-003"),
                Vote.Differential(
                    title: "票决", date: day("2024-12-20"), entitled: 150, voters: 140, places: 2,
                    candidates: [
                        Vote.Candidate("甲", votes: 100), Vote.Candidate("乙", votes: 80), Vote.Candidate("丙", votes: 80),
                    ], note: "乙、丙票数相同"),
                Vote.Selection(chosen: ["甲"], tied: ["乙", "丙"]))
        ),
    ]

    static let stationGolden: [(String, String, Station.Event)] = [
        (
            "StationRegistered",
            #"{"date":"2024-01-10","id":"L2024-001","name":"舞钢市垭口街道人大代表联络站","note":"垭口街道办事处二楼","place":"舞钢市","v":1}"#,
            StationDemo.registered
        ),
        (
            "StationRegistered", #"{"date":"2024-02-01","id":"L2024-002","name":"叶县联络站","place":"叶县","v":1}"#,
            .registered(
                id: StationDemo.make("L2024-002"),
                Station.Registration(name: "叶县联络站", place: "叶县", date: day("2024-02-01")))
        ),
        (
            "StationReceptionRecorded",
            #"{"date":"2024-03-15","deputies":["李华","王芳"],"note":"反映养老服务问题3件","peopleReceived":12,"v":1}"#,
            StationDemo.received
        ),
        (
            "StationReceptionRecorded", #"{"date":"2024-04-15","deputies":[],"peopleReceived":0,"v":1}"#,
            .receptionRecorded(Station.Reception(date: day("2024-04-15"), peopleReceived: 0))
        ),
        (
            "StationRenamed", #"{"date":"2024-05-01","name":"垭口街道代表联络站","v":1}"#,
            .renamed(date: day("2024-05-01"), name: "垭口街道代表联络站")
        ),
        (
            "StationRelocated", #"{"date":"2024-05-02","place":"舞钢市垭口街道","v":1}"#,
            .relocated(date: day("2024-05-02"), place: "舞钢市垭口街道")
        ),
        ("StationClosed", #"{"date":"2024-11-30","note":"并入街道联络总站","v":1}"#, StationDemo.closed),
        ("StationClosed", #"{"date":"2024-11-30","v":1}"#, .closed(date: day("2024-11-30"), note: nil)),
    ]

    @Test(arguments: voteGolden)
    func `a stored v1 vote payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Vote.Event
    ) throws {
        #expect(try Vote.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test(arguments: stationGolden)
    func `a stored v1 station payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Station.Event
    ) throws {
        #expect(try Station.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test func `the golden payloads cover every event type`() {
        #expect(Set(Self.voteGolden.map(\.0)) == Set(Vote.Event.eventTypes))
        #expect(Set(Self.stationGolden.map(\.0)) == Set(Station.Event.eventTypes))
        #expect(Vote.Event.eventTypes == ["VoteRecorded", "VoteDifferentialRecorded"])
        #expect(Station.Event.eventTypes.first == "StationRegistered")
    }

    @Test func `a payload is read by its keys, whatever their order, spacing or explicit nulls`() throws {
        let json = #"{ "v":1, "place":"舞钢市", "note":null, "name":"联络站", "id":"L2024-009", "date":"2024-02-01" }"#
        let event = try Station.Event.decode(eventType: "StationRegistered", data: Data(json.utf8))
        #expect(
            event
                == .registered(
                    id: StationDemo.make("L2024-009"),
                    Station.Registration(name: "联络站", place: "舞钢市", date: day("2024-02-01"))))
    }

    @Test func `an event of another aggregate, or an unknown version, is refused`() {
        #expect(throws: DomainDecodingError.unknownEventType("StationRegistered")) {
            try Vote.Event.decode(eventType: "StationRegistered", data: Data(#"{"v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unknownEventType("VoteRecorded")) {
            try Station.Event.decode(eventType: "VoteRecorded", data: Data(#"{"v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "VoteRecorded", version: 2)) {
            try Vote.Event.decode(eventType: "VoteRecorded", data: Data(#"{"v":2}"#.utf8))
        }
        #expect(throws: DomainDecodingError.missingVersion(eventType: "StationClosed")) {
            try Station.Event.decode(eventType: "StationClosed", data: Data(#"{"date":"2024-11-30"}"#.utf8))
        }
    }

    @Test func `malformed vote data is refused with the place of the problem`() throws {
        let json =
            #"{"abstain":0,"adopted":true,"against":0,"date":"2024-06-27","entitled":62,"for":58,"id":"V2024-001","kind":"resolution","rule":{"base":"present","comparison":"more-than","denominator":2,"numerator":1},"title":"决议","v":1}"#
        do {
            _ = try Vote.Event.decode(eventType: "VoteRecorded", data: Data(json.utf8))
            Issue.record("an unknown rule base was accepted")
        } catch {
            guard case .invalidData(let type, let reason) = error else {
                Issue.record("unexpected error \(error)")
                return
            }
            #expect(type == "VoteRecorded")
            #expect(reason.contains("rule.base"), "\(reason)")
        }
    }

    @Test func `decided events survive a round trip`() throws {
        let events: [Vote.Event] = try Vote.decide(
            .recordDifferential(id: VoteDemo.differentialID, VoteDemo.livelihood), given: [], VoteDemo.context)
        for event in events {
            #expect(try Vote.Event.decode(eventType: event.eventType, data: event.encodedData()) == event)
        }
    }
}

import Foundation
import OversightDomain
import Testing

/// Recorded evaluation events: stable names, deterministic bytes, and literal v1 payloads that must keep decoding.
struct EvaluationCodingTests {
    /// Literal version-1 payloads as they are stored, and the events they mean.
    ///
    /// Never edit a payload here: a failing golden test means the stored format changed, which needs a new
    /// version and an upcast instead.
    static let golden: [(String, String, Evaluation.Event)] = [
        (
            "EvaluationRecorded",
            #"{"basicallySatisfied":8,"date":"2024-10-30","department":"fgw","dissatisfied":1,"entitled":35,"id":"E2024-001","notVoting":1,"note":"市十二届人大常委会第十五次会议","present":30,"rule":"entitled-majority","satisfied":20,"subjectKind":"department","v":1,"verdict":"satisfied"}"#,
            EvaluationDemo.recorded
        ),
        (
            "EvaluationRecorded",
            #"{"basicallySatisfied":5,"date":"2024-08-19","department":"mzj","dissatisfied":3,"entitled":35,"id":"E2024-002","inquiry":"Q2024-001","notVoting":0,"present":18,"round":2,"rule":"present>2/3","satisfied":10,"subjectKind":"inquiry-round","v":1,"verdict":"basically-satisfied"}"#,
            .recorded(
                id: evaluationID("E2024-002"),
                Evaluation.Record(
                    subject: .inquiryRound(EvaluationDemo.inquiry, round: 2, department: Demo.mzj),
                    date: day("2024-08-19"),
                    tally: Evaluation.Tally(
                        entitled: 35, present: 18, satisfied: 10, basicallySatisfied: 5, dissatisfied: 3, notVoting: 0),
                    rule: verdictRule("present>2/3")),
                verdict: .basicallySatisfied)
        ),
        (
            "EvaluationRecorded",
            #"{"basicallySatisfied":5,"date":"2024-11-28","dissatisfied":20,"entitled":35,"id":"E2024-003","notVoting":0,"present":30,"rule":"entitled-majority","satisfied":5,"subjectKind":"handling-report","topic":"T2024-003","v":1,"verdict":"dissatisfied"}"#,
            .recorded(
                id: evaluationID("E2024-003"),
                Evaluation.Record(
                    subject: .handlingReport(EvaluationDemo.topic), date: day("2024-11-28"),
                    tally: EvaluationDemo.tally(5, 5, 20, 0)),
                verdict: .dissatisfied)
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","department":"mzj","entitled":5,"id":"E2024-001","present":3,"rule":"entitled-majority","subjectKind":"suggestion-reply","suggestion":"S2024-001","v":1}"#,
            EvaluationDemo.opened
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","entitled":1,"id":"E2024-004","note":"代表本人测评","present":1,"rule":"present>0.5","subjectKind":"suggestion-reply","suggestion":"S2024-001","v":1}"#,
            .opened(
                id: evaluationID("E2024-004"),
                Evaluation.Opening(
                    subject: .suggestionReply(EvaluationDemo.suggestion, department: nil), date: day("2024-11-02"),
                    entitled: 1, present: 1, rule: .majorityOfPresent, note: "代表本人测评"))
        ),
        ("EvaluationBallotCast", #"{"ballot":"satisfied","v":1}"#, .ballotCast(.rating(.satisfied))),
        ("EvaluationBallotCast", #"{"ballot":"basically-satisfied","v":1}"#, .ballotCast(.rating(.basicallySatisfied))),
        ("EvaluationBallotCast", #"{"ballot":"dissatisfied","v":1}"#, .ballotCast(.rating(.dissatisfied))),
        ("EvaluationBallotCast", #"{"ballot":"not-voting","v":1}"#, .ballotCast(.notVoting)),
        (
            "EvaluationClosed",
            #"{"basicallySatisfied":1,"date":"2024-11-05","dissatisfied":0,"entitled":5,"notVoting":1,"present":3,"satisfied":1,"v":1,"verdict":"dissatisfied"}"#,
            .closed(
                date: day("2024-11-05"),
                tally: Evaluation.Tally(
                    entitled: 5, present: 3, satisfied: 1, basicallySatisfied: 1, dissatisfied: 0, notVoting: 1),
                verdict: .dissatisfied)
        ),
    ]

    @Test(arguments: golden)
    func `a stored v1 evaluation payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Evaluation.Event
    ) throws {
        #expect(try Evaluation.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test func `the golden payloads cover every event type`() {
        #expect(Set(Self.golden.map(\.0)) == Set(Evaluation.Event.eventTypes))
        #expect(
            Evaluation.Event.eventTypes == [
                "EvaluationRecorded", "EvaluationOpened", "EvaluationBallotCast", "EvaluationClosed",
            ])
    }

    @Test func `a decided history survives a round trip`() throws {
        let history: [Evaluation.Event] = [
            EvaluationDemo.opened, .ballotCast(.rating(.satisfied)), .ballotCast(.notVoting),
            .ballotCast(.rating(.dissatisfied)),
        ]
        for event in history {
            let data = try event.encodedData()
            #expect(try Evaluation.Event.decode(eventType: event.eventType, data: data) == event)
            #expect(try event.encodedData() == data, "encoding is deterministic")
        }
    }

    @Test func `other aggregates' events and unknown versions are refused`() {
        #expect(throws: DomainDecodingError.unknownEventType("TopicPlanned")) {
            try Evaluation.Event.decode(eventType: "TopicPlanned", data: Data(#"{"v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "EvaluationBallotCast", version: 2)) {
            try Evaluation.Event.decode(
                eventType: "EvaluationBallotCast", data: Data(#"{"ballot":"satisfied","v":2}"#.utf8))
        }
        #expect(throws: DomainDecodingError.missingVersion(eventType: "EvaluationBallotCast")) {
            try Evaluation.Event.decode(eventType: "EvaluationBallotCast", data: Data(#"{"ballot":"satisfied"}"#.utf8))
        }
    }

    @Test(arguments: [
        ("EvaluationBallotCast", #"{"ballot":"abstain","v":1}"#, "ballot"),
        (
            "EvaluationClosed",
            #"{"basicallySatisfied":1,"date":"2024-11-05","dissatisfied":0,"entitled":5,"notVoting":1,"present":3,"satisfied":1,"v":1,"verdict":"great"}"#,
            "verdict"
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","entitled":5,"id":"E2024-001","present":3,"rule":"majority","subjectKind":"department","department":"fgw","v":1}"#,
            "rule"
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","entitled":5,"id":"E2024-001","present":3,"rule":"entitled-majority","subjectKind":"committee","v":1}"#,
            "subjectKind"
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","entitled":5,"id":"E2024-001","present":3,"rule":"entitled-majority","subjectKind":"inquiry-round","inquiry":"Q2024-001","v":1}"#,
            "round"
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","entitled":5,"id":"E2024-001","present":3,"rule":"entitled-majority","subjectKind":"handling-report","v":1}"#,
            "topic"
        ),
        (
            "EvaluationOpened",
            #"{"date":"2024-11-02","entitled":5,"id":"T2024-001","present":3,"rule":"entitled-majority","subjectKind":"department","department":"fgw","v":1}"#,
            "id"
        ),
        ("EvaluationRecorded", #"{"v":1}"#, "id"),
    ])
    func `malformed data is refused with the place of the problem`(type: String, json: String, place: String) throws {
        let error = try #require(throws: DomainDecodingError.self) {
            _ = try Evaluation.Event.decode(eventType: type, data: Data(json.utf8))
        }
        guard case .invalidData(let eventType, let reason) = error else {
            Issue.record("expected invalidData, got \(error)")
            return
        }
        #expect(eventType == type)
        #expect(reason.contains(place), "\(reason)")
    }
}

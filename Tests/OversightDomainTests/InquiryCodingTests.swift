import Foundation
import OversightDomain
import Testing

/// Recorded inquiry events: stable names, deterministic bytes, and literal v1 payloads that must keep decoding.
struct InquiryCodingTests {
    /// Literal version-1 payloads as they are stored, and the events they mean.
    ///
    /// Never edit a payload here: a failing golden test means the stored format changed, which needs a new
    /// version and an upcast instead.
    static let golden: [(String, String, Inquiry.Event)] = [
        (
            "InquiryScheduled",
            #"{"committee":"社会建设委","date":"2024-08-19","id":"Q2024-001","number":13,"subject":"《河南省养老服务条例》贯彻实施情况","term":12,"topicId":"T2024-003","v":1}"#,
            InquiryDemo.scheduled
        ),
        (
            "InquiryScheduled", #"{"date":"2024-10-24","id":"Q2024-002","number":15,"subject":"营商环境","v":1}"#,
            .scheduled(
                id: inquiryID("Q2024-002"),
                Inquiry.Schedule(subject: "营商环境", session: Inquiry.Session(number: 15, date: day("2024-10-24"))))
        ),
        (
            "InquiryRoundRecorded",
            #"{"answerSummary":"年底前实现乡镇区域养老服务中心全覆盖","date":"2024-08-19","question":"农村养老服务设施建设滞后，下一步如何推进？","questioner":"王建军","respondent":"李红","respondentDepartment":"mzj","round":1,"v":1}"#,
            InquiryDemo.round1
        ),
        (
            "InquiryRoundRecorded",
            #"{"date":"2024-08-19","question":"养老服务项目资金如何保障？","questioner":"赵丽","respondent":"陈刚","respondentDepartment":"fgw","round":2,"v":1}"#,
            InquiryDemo.round2
        ),
        ("InquiryConcluded", #"{"date":"2024-08-19","v":1}"#, InquiryDemo.concluded),
        (
            "InquiryConcluded", #"{"date":"2024-08-20","note":"a/b \"quoted\"","v":1}"#,
            .concluded(date: day("2024-08-20"), note: #"a/b "quoted""#)
        ),
        (
            "InquiryTransferred",
            #"{"date":"2024-08-30","dueDate":"2024-11-30","summary":"审议意见及14个问题清单交办市政府","v":1}"#,
            InquiryDemo.transferred
        ),
        (
            "InquiryTransferred", #"{"date":"2024-08-30","dueDate":"2024-11-30","v":1}"#,
            .transferred(date: day("2024-08-30"), dueDate: day("2024-11-30"), summary: nil)
        ),
    ]

    @Test(arguments: golden)
    func `a stored v1 inquiry payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Inquiry.Event
    ) throws {
        #expect(try Inquiry.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test func `the golden payloads cover every event type, and the round event keeps its shared name`() {
        #expect(Set(Self.golden.map(\.0)) == Set(Inquiry.Event.eventTypes))
        #expect(
            Inquiry.Event.eventTypes == [
                "InquiryScheduled", "InquiryRoundRecorded", "InquiryConcluded", "InquiryTransferred",
            ])
        #expect(InquiryDemo.round2.eventType == "InquiryRoundRecorded")
    }

    @Test func `the round number is stored as an integer under "round"`() throws {
        let object = try JSONSerialization.jsonObject(with: InquiryDemo.round2.encodedData()) as? [String: Any]
        #expect(object?["round"] as? Int == 2)
    }

    @Test func `every event of the lifecycle survives a round trip`() throws {
        for event in InquiryDemo.transferredHistory {
            let data = try event.encodedData()
            #expect(try Inquiry.Event.decode(eventType: event.eventType, data: data) == event)
            #expect(try event.encodedData() == data, "encoding is deterministic")
        }
    }

    @Test func `an unknown type, a missing or unknown version are refused`() {
        #expect(throws: DomainDecodingError.unknownEventType("TopicClosed")) {
            try Inquiry.Event.decode(eventType: "TopicClosed", data: Data(#"{"date":"2024-12-20","v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.missingVersion(eventType: "InquiryConcluded")) {
            try Inquiry.Event.decode(eventType: "InquiryConcluded", data: Data(#"{"date":"2024-08-19"}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "InquiryConcluded", version: 2)) {
            try Inquiry.Event.decode(eventType: "InquiryConcluded", data: Data(#"{"date":"2024-08-19","v":2}"#.utf8))
        }
    }

    @Test(arguments: [
        (
            "InquiryRoundRecorded",
            #"{"date":"2024-08-19","question":"q","questioner":"a","respondent":"b","respondentDepartment":"MZJ","round":1,"v":1}"#,
            "respondentDepartment"
        ),
        (
            "InquiryRoundRecorded",
            #"{"date":"2024-08-19","question":"q","questioner":"a","respondent":"b","respondentDepartment":"mzj","v":1}"#,
            "round"
        ),
        ("InquiryScheduled", #"{"date":"2024-08-19","id":"T2024-001","number":13,"subject":"s","v":1}"#, "id"),
        (
            "InquiryScheduled",
            #"{"date":"2024-08-19","id":"Q2024-001","number":13,"subject":"s","topicId":"Q2024-001","v":1}"#,
            "topicId"
        ),
        ("InquiryTransferred", #"{"date":"2024-08-30","v":1}"#, "dueDate"),
    ])
    func `malformed data is refused with the place of the problem`(type: String, json: String, place: String) throws {
        let error = try #require(throws: DomainDecodingError.self) {
            _ = try Inquiry.Event.decode(eventType: type, data: Data(json.utf8))
        }
        guard case .invalidData(let eventType, let reason) = error else {
            Issue.record("expected invalidData, got \(error)")
            return
        }
        #expect(eventType == type)
        #expect(reason.contains(place), "\(reason)")
    }
}

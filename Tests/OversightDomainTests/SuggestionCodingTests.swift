import Foundation
import OversightDomain
import Testing

/// Recorded suggestion and category list events: stable names, deterministic bytes, literal v1 payloads.
struct SuggestionCodingTests {
    /// Literal version-1 payloads as they are stored, and the events they mean.
    ///
    /// Never edit a payload here: a failing golden test means the stored format changed, which needs a new
    /// version and an upcast instead.
    static let suggestionGolden: [(String, String, Suggestion.Event)] = [
        (
            "SuggestionSubmitted",
            #"{"coSigners":["李梅","赵强"],"date":"2024-02-20","id":"S2024-001","leadDeputy":"王建国","number":"0123","session":"十二届二次","text":"建议统筹推进……","title":"关于加快推进“两城”建设的建议","v":1}"#,
            SuggestionDemo.submitted
        ),
        (
            "SuggestionSubmitted",
            #"{"coSigners":[],"date":"2024-02-21","id":"S2024-002","leadDeputy":"刘洋","number":"0124","session":"十二届二次","title":"关于改善老旧小区的建议","v":1}"#,
            .submitted(
                id: suggestionID("S2024-002"),
                Suggestion.Submission(
                    session: "十二届二次", number: "0124", title: "关于改善老旧小区的建议", leadDeputy: "刘洋",
                    date: day("2024-02-21")))
        ),
        (
            "SuggestionAssigned",
            #"{"coUnits":["kjj"],"complex":false,"date":"2024-03-15","dueDate":"2024-06-15","leadUnit":"fgw","v":1}"#,
            SuggestionDemo.assigned
        ),
        (
            "SuggestionMarkedKey", #"{"date":"2024-03-20","leader":"张主任","v":1}"#,
            .markedKey(date: day("2024-03-20"), leader: "张主任")
        ),
        (
            "SuggestionReturned",
            #"{"date":"2024-03-18","deadline":"2024-03-26","reason":"不属于本单位职责","unit":"fgw","v":1}"#,
            .returned(date: day("2024-03-18"), unit: Demo.fgw, reason: "不属于本单位职责", deadline: day("2024-03-26"))
        ),
        (
            "SuggestionReplied",
            #"{"category":"A","categoryList":"national@1","categoryMeaning":"已解决或基本解决","date":"2024-06-10","round":1,"text":"已纳入市重点项目计划","v":1}"#,
            SuggestionDemo.replied
        ),
        (
            "SuggestionReplied",
            #"{"category":"C","categoryList":"national@2","categoryMeaning":"暂不具备解决条件","date":"2024-07-15","reason":"资金未落实","round":2,"text":"暂缓实施","v":1}"#,
            .replied(
                Suggestion.Reply(
                    date: day("2024-07-15"), category: "C", categoryList: "national@2", categoryMeaning: "暂不具备解决条件",
                    text: "暂缓实施", reason: "资金未落实", round: 2))
        ),
        (
            "SuggestionRated", #"{"date":"2024-06-20","rating":"satisfied","round":1,"v":1}"#,
            SuggestionDemo.ratedSatisfied
        ),
        (
            "SuggestionRated",
            #"{"comment":"答复未回应核心问题","date":"2024-06-20","rating":"dissatisfied","round":1,"v":1}"#,
            SuggestionDemo.ratedDissatisfied
        ),
        (
            "SuggestionRated", #"{"date":"2024-07-20","rating":"basically-satisfied","round":2,"v":1}"#,
            .rated(date: day("2024-07-20"), rating: .basicallySatisfied, comment: nil, round: 2)
        ),
        (
            "SuggestionRehandlingStarted", #"{"date":"2024-06-20","dueDate":"2024-07-20","round":2,"v":1}"#,
            SuggestionDemo.rehandling
        ),
        ("SuggestionClosed", #"{"date":"2024-07-01","v":1}"#, SuggestionDemo.closed),
        (
            "SuggestionClosed", #"{"date":"2024-07-01","note":"办结","v":1}"#,
            .closed(date: day("2024-07-01"), note: "办结")
        ),
    ]

    static let categoriesGolden: [(String, String, SuggestionCategories.Event)] = [
        (
            "SuggestionCategoriesDefined",
            #"{"categories":[{"letter":"A","meaning":"所提问题已经解决","reasonRequired":false},{"letter":"C","meaning":"暂不具备解决条件","reasonRequired":true}],"effectiveFrom":"2025-01-01","name":"national","v":1,"version":2}"#,
            .defined(
                SuggestionCategoryList(
                    name: SuggestionCategoryList.nationalName, version: 2, effectiveFrom: day("2025-01-01"),
                    categories: [
                        .init(letter: "A", meaning: "所提问题已经解决"),
                        .init(letter: "C", meaning: "暂不具备解决条件", reasonRequired: true),
                    ]))
        )
    ]

    @Test(arguments: suggestionGolden)
    func `a stored v1 suggestion payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: Suggestion.Event
    ) throws {
        #expect(try Suggestion.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test(arguments: categoriesGolden)
    func `a stored v1 category list payload decodes, and the event encodes to the same bytes`(
        type: String, json: String, event: SuggestionCategories.Event
    ) throws {
        #expect(try SuggestionCategories.Event.decode(eventType: type, data: Data(json.utf8)) == event)
        #expect(event.eventType == type)
        #expect(String(decoding: try event.encodedData(), as: UTF8.self) == json)
    }

    @Test func `the golden payloads cover every event type, and the reply keeps its agreed name`() {
        #expect(Set(Self.suggestionGolden.map(\.0)) == Set(Suggestion.Event.eventTypes))
        #expect(Suggestion.Event.eventTypes.count == 8 && Set(Suggestion.Event.eventTypes).count == 8)
        #expect(Set(Self.categoriesGolden.map(\.0)) == Set(SuggestionCategories.Event.eventTypes))
        #expect(SuggestionDemo.replied.eventType == "SuggestionReplied")
    }

    @Test func `every event of the lifecycle survives a round trip`() throws {
        for event in SuggestionDemo.rehandlingHistory + [SuggestionDemo.ratedSatisfied, SuggestionDemo.closed] {
            let data = try event.encodedData()
            #expect(try Suggestion.Event.decode(eventType: event.eventType, data: data) == event)
        }
    }

    @Test func `unknown types, versions and malformed data are refused`() {
        #expect(throws: DomainDecodingError.unknownEventType("TopicPlanned")) {
            try Suggestion.Event.decode(eventType: "TopicPlanned", data: Data(#"{"v":1}"#.utf8))
        }
        #expect(throws: DomainDecodingError.unsupportedVersion(eventType: "SuggestionClosed", version: 2)) {
            try Suggestion.Event.decode(eventType: "SuggestionClosed", data: Data(#"{"date":"2024-07-01","v":2}"#.utf8))
        }
        let badRating = #expect(throws: DomainDecodingError.self) {
            try Suggestion.Event.decode(
                eventType: "SuggestionRated",
                data: Data(#"{"date":"2024-07-01","rating":"so-so","round":1,"v":1}"#.utf8))
        }
        #expect(badRating?.description.contains(#"invalid value at "rating""#) == true)
        #expect(
            throws: DomainDecodingError.invalidData(
                eventType: "SuggestionCategoriesDefined", reason: #"missing "effectiveFrom""#)
        ) {
            try SuggestionCategories.Event.decode(
                eventType: "SuggestionCategoriesDefined",
                data: Data(#"{"categories":[],"name":"national","v":1,"version":2}"#.utf8))
        }
    }
}

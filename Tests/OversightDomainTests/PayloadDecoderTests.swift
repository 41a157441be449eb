import Foundation
import Testing

@testable import OversightDomain

/// The fast payload decoder reads what JSONDecoder reads, and refuses (so JSONDecoder takes over) what it does not.
struct PayloadDecoderTests {
    struct Sample: Codable, Equatable {
        struct Count: Codable, Equatable {
            var present: Int
            var ratio: Double?
        }
        var title: String
        var kind: TopicKind
        var date: LocalDate
        var year: Int
        var big: Int64
        var places: [String]
        var counts: [Count]
        var note: String?
        var leader: String?
        var flag: Bool
    }

    static let accepted = [
        #"{"big":-9223372036854775808,"counts":[{"present":31},{"present":0,"ratio":1}],"date":"2024-08-19","#
            + #""flag":true,"kind":"law-inspection","leader":null,"places":["舞钢市","宝丰县"],"title":"执法检查","#
            + #""unknown":{"nested":[1,2,{"x":null}]},"year":2024}"#,
        #"{ "title" : "a" , "kind":"budget","date":"2024-01-01","year":0,"big":0,"places":[],"counts":[],"#
            + #""flag":false,"note":"末尾"}"#,
    ]

    @Test(arguments: accepted)
    func `accepted JSON decodes exactly as JSONDecoder decodes it`(_ json: String) throws {
        let data = Data(json.utf8)
        let fast = try PayloadDecoder.decode(Sample.self, from: data)
        #expect(fast == (try JSONDecoder().decode(Sample.self, from: data)))
    }

    static let refused = [
        #"{"title":"引号\"在内","kind":"budget","date":"2024-01-01","year":1,"big":1,"places":[],"counts":[],"flag":true}"#,
        #"{"title":"a","title":"b","kind":"budget","date":"2024-01-01","year":1,"big":1,"places":[],"counts":[],"flag":true}"#,
        #"{"title":"a","kind":"budget","date":"2024-01-01","year":1.5,"big":1,"places":[],"counts":[],"flag":true}"#,
        #"{"title":"a","kind":"budget","date":"2024-01-01","year":01,"big":1,"places":[],"counts":[],"flag":true}"#,
        #"{"title":"a","kind":"budget","date":"2024-01-01","year":1,"big":9223372036854775808,"places":[],"counts":[],"flag":true}"#,
        #"{"title":"a","kind":"budget","date":"2024-01-01","year":1,"big":1,"places":[],"counts":[],"flag":true} x"#,
        #"{"title":"a","kind":"budget","date":"2024-13-01","year":1,"big":1,"places":[],"counts":[],"flag":true}"#,
        #"{"title":"a","kind":"budget","date":"2024-01-01","year":1,"big":1,"places":[],"counts":[]}"#,
    ]

    @Test(arguments: refused)
    func `anything else is refused so that JSONDecoder reads it`(_ json: String) {
        #expect(throws: (any Error).self) { try PayloadDecoder.decode(Sample.self, from: Data(json.utf8)) }
    }

    @Test func `an event whose text has escapes still decodes, through JSONDecoder`() throws {
        let json = #"{"date":"2024-06-03","kind":"other","places":[],"summary":"第一行\n\"引号\"","units":[],"v":1}"#
        let event = try Topic.Event.decode(eventType: "TopicActivityRecorded", data: Data(json.utf8))
        guard case .activityRecorded(let activity) = event else {
            Issue.record("decoded \(event)")
            return
        }
        #expect(activity.summary == "第一行\n\"引号\"")
    }

    @Test(
        arguments: [
            (#"{"a":1,"v":2}"#, 2), (#"{"v":1}"#, 1), (#"{"a":"x","v":17}"#, 17),
            (#"{"a":{"v":1}}"#, nil), (#"{"v":01}"#, nil), (#"{"v":1,"year":2024}"#, nil), (#"{"a":"v":1}"#, nil),
            (#"{"a":1, "v":1}"#, nil), (#"{"xv":1}"#, nil),
        ] as [(String, Int?)])
    func `the schema version is read from the canonical tail only`(_ json: String, _ version: Int?) {
        #expect(EventJSON.canonicalVersion(of: Data(json.utf8)) == version)
    }
}

import Foundation
import Testing

@testable import OversightStore

/// The read models' JSON arrays of strings read without a decoder give what `JSONDecoder` gives, for every input.
struct JSONStringArrayTests {
    /// What `JSONDecoder` reads from `json`.
    private static func decoded(_ json: String) -> [String]? {
        try? JSONDecoder().decode([String].self, from: Data(json.utf8))
    }

    @Test(arguments: [
        "[]", " [ ] ", "[\"d01\"]", "[\"d01\",\"d02\",\"d13\"]", "\n[ \"a\" ,\t\"b\" ]\r\n", "[\"财政局\",\"教育局\"]",
        "[\"\"]", "[\"a b\",\"c;d\",\"e'f\"]", "[\"\u{7F}\u{2028}\"]",
    ])
    func `plain arrays are split exactly`(json: String) throws {
        let expected = try #require(Self.decoded(json))
        #expect(JSONStringArray.decode(json) == expected)
    }

    @Test(arguments: [
        "[\"a\\/b\"]", "[\"say \\\"hi\\\"\"]", "[\"\\u8d22\\u653f\"]", "[\"a\\\\\"]", "[\"tab\\there\"]",
        "[\"\\ud83d\\ude00\"]",
        // Foundation's JSONDecoder accepts a trailing comma; the split leaves it to the decoder.
        "[\"a\",]",
    ])
    func `arrays with escapes, or that JSONDecoder allows, read as JSONDecoder reads them`(json: String) throws {
        let expected = try #require(Self.decoded(json))
        #expect(JSONStringArray.decode(json) == expected)
    }

    @Test(arguments: [
        "", "   ", "null", "\"a\"", "[", "]", "[\"a\"", "[,\"a\"]", "[\"a\" \"b\"]", "[\"a\"] x",
        "[\"a\"]]", "[1]", "[null]", "[[\"a\"]]", "{\"a\":\"b\"}", "[\"a\nb\"]", "[\"a\u{0}\"]", "[\"a\\x\"]",
        "[\"a\",\"b\"", "['a']",
    ])
    func `anything else is nil, as for JSONDecoder`(json: String) {
        #expect(Self.decoded(json) == nil)
        #expect(JSONStringArray.decode(json) == nil)
    }

    @Test func `what the projections write reads back`() throws {
        let values = [[], ["d01"], ["d01", "d02"], ["财政局", "a/b", "say \"hi\"", "back\\slash", "line\nbreak"]]
        for strings in values {
            let json = String(decoding: try JSONEncoder().encode(strings), as: UTF8.self)
            #expect(JSONStringArray.decode(json) == strings, "\(json)")
        }
    }
}

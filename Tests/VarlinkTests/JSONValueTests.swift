import NIOCore
import Testing

@testable import Varlink

struct JSONValueTests {
    @Test(arguments: [
        "null", "true", "false", "0", "-1", "42", "9223372036854775807", "-9223372036854775808", "1.5", "-0.25",
        "3.141592653589793", "1e+100", "5e-324", "\"\"", "\"hello\"", "[]", "[1,\"a\",null]", "{}",
        "{\"a\":1,\"b\":[true,false],\"c\":{\"d\":null}}",
    ])
    func `compact sorted JSON round-trips byte for byte`(text: String) throws {
        let value = try JSONValue.parse(text)
        #expect(value.jsonString == text)
        #expect(try JSONValue.parse(value.jsonBytes) == value)
    }

    @Test func `pi and other doubles round-trip exactly`() throws {
        #expect(JSONValue.double(Double.pi).jsonString == "3.141592653589793")
        for number in [Double.pi, 0.1, 1.0 / 3.0, 1e-300, 123_456_789.123_456_78, -2.5e17, Double.ulpOfOne] {
            #expect(try JSONValue.parse(JSONValue.double(number).jsonString).doubleValue == number)
        }
        #expect(JSONValue.double(1.0).jsonString == "1.0")
        #expect(JSONValue.double(.infinity).jsonString == "null")
    }

    @Test func `keys are serialised sorted and whitespace is accepted`() throws {
        let value = try JSONValue.parse(" { \"z\" : 1 ,\n\t\"a\" : [ 1 , 2 ] , \"m\" : { } }\r\n")
        #expect(value.jsonString == "{\"a\":[1,2],\"m\":{},\"z\":1}")
    }

    @Test func `unicode escapes including surrogate pairs decode`() throws {
        #expect(try JSONValue.parse("\"\\u00e9\\u4e2d\"") == .string("é中"))
        #expect(try JSONValue.parse("\"\\ud83d\\ude00\"") == .string("😀"))
        #expect(try JSONValue.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\"") == .string("a\"b\\c/d\u{8}\u{c}\n\r\t"))
        #expect(try JSONValue.parse("\"raw é 😀\"") == .string("raw é 😀"))
    }

    @Test func `strings are escaped per RFC 8259`() throws {
        let value = JSONValue.string("q\"b\\n\n\u{0}\u{1f}é😀")
        #expect(value.jsonString == "\"q\\\"b\\\\n\\n\\u0000\\u001fé😀\"")
        #expect(try JSONValue.parse(value.jsonString) == value)
        // A NUL never appears raw in serialised JSON, so NUL framing is safe.
        #expect(!value.jsonBytes.contains(0))
    }

    @Test(arguments: [
        ("", JSONParseError.Reason.unexpectedEnd),
        ("{", .unexpectedEnd),
        ("[1,", .unexpectedEnd),
        ("{\"a\" 1}", .unexpectedByte(UInt8(ascii: "1"))),
        ("[1,]", .unexpectedByte(UInt8(ascii: "]"))),
        ("{\"a\":1,}", .unexpectedByte(UInt8(ascii: "}"))),
        ("tru", .unexpectedEnd),
        ("nul!", .unexpectedByte(UInt8(ascii: "!"))),
        ("1 2", .trailingGarbage),
        ("{} x", .trailingGarbage),
        ("01", .invalidNumber),
        ("1.", .invalidNumber),
        ("-", .unexpectedEnd),
        ("1e", .invalidNumber),
        ("1e400", .invalidNumber),
        ("\"\\x\"", .invalidEscape),
        ("\"\\u12G4\"", .invalidEscape),
        ("\"\\ud800\"", .invalidUTF8),
        ("\"\\udc00\"", .invalidUTF8),
        ("\"\\ud800\\u0041\"", .invalidUTF8),
        ("\"a\nb\"", .controlCharacterInString),
        ("{\"a\":1,\"a\":2}", .duplicateKey("a")),
        ("'a'", .unexpectedByte(UInt8(ascii: "'"))),
    ])
    func `invalid JSON is rejected with a reason`(text: String, reason: JSONParseError.Reason) {
        #expect {
            try JSONValue.parse(text)
        } throws: { error in
            (error as? JSONParseError)?.reason == reason
        }
    }

    @Test func `invalid UTF-8 is rejected`() {
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xC3, 0x28, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0x5C, 0x6E, 0xFF, 0x22]) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // CESU surrogate
    }

    @Test func `error offsets point at the problem`() throws {
        let error = try #require(throws: JSONParseError.self) { try JSONValue.parse("[1, 2, x]") }
        #expect(error.offset == 7)
        #expect(error.description.contains("byte 7"))
    }

    @Test func `nesting deeper than the limit is rejected`() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect {
            try JSONValue.parse(deep)
        } throws: { error in
            (error as? JSONParseError)?.reason == .tooDeep(maximum: 256)
        }
        let ok = String(repeating: "[", count: 256) + String(repeating: "]", count: 256)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse("{\"a\":{\"b\":1}}", maxDepth: 1) }
    }

    @Test func `huge integers become doubles, absurd ones fail`() throws {
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808.0))
        #expect(try JSONValue.parse("-9223372036854775809") == .double(-9_223_372_036_854_775_809.0))
        #expect(try JSONValue.parse("123456789012345678901234567890").doubleValue == 1.2345678901234568e29)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(String(repeating: "9", count: 400)) }
        #expect(try JSONValue.parse("-0") == .int(0))
    }

    @Test func `accessors convert where documented`() throws {
        let value: JSONValue = ["s": "x", "i": 3, "d": 2.0, "f": 2.5, "b": true, "a": [1], "o": [:], "n": nil]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 3)
        #expect(value["d"]?.intValue == 2)
        #expect(value["f"]?.intValue == nil)
        #expect(value["i"]?.doubleValue == 3.0)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue == [:])
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(JSONValue.string("x")["s"] == nil)
        #expect(JSONValue.double(1e19).intValue == nil)
    }

    @Test func `parsing works from a ByteBuffer view and a String`() throws {
        let buffer = ByteBuffer(string: "{\"k\":[1,2]}")
        #expect(try JSONValue.parse(buffer.readableBytesView) == ["k": [1, 2]])
        #expect(try JSONValue.parse("{\"k\":[1,2]}") == ["k": [1, 2]])
    }

    struct Sample: Codable, Equatable {
        var name: String
        var count: Int
        var tags: [String]
        var ratio: Double?
    }

    @Test func `Codable bridging round-trips`() throws {
        let sample = Sample(name: "n", count: 3, tags: ["a", "b"], ratio: 0.5)
        let value = try JSONValue(encoding: sample)
        #expect(value["name"] == "n")
        #expect(value["count"] == 3)
        #expect(try value.decode(Sample.self) == sample)
        #expect(throws: (any Error).self) { try JSONValue.object(["name": 1]).decode(Sample.self) }
    }
}

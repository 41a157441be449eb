import Foundation
import Testing

@testable import OversightStore

/// The quick JSON check before an append accepts only what JSONSerialization accepts.
struct JSONSyntaxCheckTests {
    private static func serializationAccepts(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

    @Test(arguments: [
        "{}", "[]", #"{"a":1}"#, #" { "a" : [1, -2, 3.25, true, false, null, "x"] } "#,
        #"{"title":"人大 \"监督\" \\ \/ \n\t \u00e9","v":1}"#, "0", "-0.5", #""text""#,
        #"{"nested":{"deeper":[[[]]]},"n":123456789012345}"#,
    ])
    func `plain JSON passes the quick check`(text: String) {
        #expect(JSONSyntaxCheck.isPlainJSON(text))
        #expect(Self.serializationAccepts(text))
    }

    @Test(arguments: [
        "", " ", "{", "}", #"{"a":}"#, #"{"a" 1}"#, #"{a:1}"#, "[1 2]", "01", "1.", ".5", "-", "+1",
        "tru", "nul", #""open"#, "\"bad\u{1}char\"", #""\x""#, #""\u12""#, "{} {}", "[1]]", "NaN",
    ])
    func `text that is not JSON fails the quick check`(text: String) {
        #expect(!JSONSyntaxCheck.isPlainJSON(text))
        #expect(!Self.serializationAccepts(text))
    }

    @Test(arguments: [
        "1e5", "1234567890123456", "[1,]", #""\ud83d\ude00""#,
        String(repeating: "[", count: 70) + String(repeating: "]", count: 70),
    ])
    func `unusual but valid JSON is left to JSONSerialization`(text: String) {
        #expect(!JSONSyntaxCheck.isPlainJSON(text))
        #expect(Self.serializationAccepts(text))
    }

    @Test func `random mutations of a payload never pass the quick check where JSONSerialization refuses them`() {
        var generator = SystemRandomNumberGenerator()
        let base = Array(
            #"{"activity":{"date":"2024-05-01","kind":"inspection","places":["a","b"],"peopleMet":12},"v":1}"#.utf8)
        let alphabet = Array(#"{}[]":,-.0123456789eE\ "tfnu"#.utf8)
        var mismatches: [String] = []
        for _ in 0..<5_000 {
            var bytes = base
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[index] = alphabet.randomElement(using: &generator) ?? 0x20
                case 1: bytes.remove(at: index)
                default: bytes.insert(alphabet.randomElement(using: &generator) ?? 0x20, at: index)
                }
            }
            let text = String(decoding: bytes, as: UTF8.self)
            if JSONSyntaxCheck.isPlainJSON(text), !Self.serializationAccepts(text) { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "accepted but not JSON: \(mismatches.prefix(5))")
    }
}

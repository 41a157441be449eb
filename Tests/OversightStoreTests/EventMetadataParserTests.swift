import Foundation
import Testing

@testable import OversightStore

/// The plain-form reader of the `meta` column agrees with JSONDecoder, and leaves every other form to it.
struct EventMetadataParserTests {
    @Test(arguments: [
        #"{"actor":"root","client":"pid 16481","uid":0}"#,
        #"{"actor":"张三","command_id":"0f8e2c1a-9b7d","uid":1000}"#,
        #"{"actor":"system"}"#,
        #"{"actor":"a","uid":-5,"client":null,"other":"ignored","n":42}"#,
    ])
    func `plain metadata reads as JSONDecoder reads it`(_ json: String) throws {
        let parsed = try #require(EventMetadataParser.parse(json))
        #expect(parsed == (try JSONDecoder().decode(EventMetadata.self, from: Data(json.utf8))))
    }

    @Test(arguments: [
        #"{"actor":"a\"b"}"#, #"{"actor":"a","actor":"b"}"#, #"{"uid":1}"#, #"{"actor":"a","uid":1.0}"#,
        #"{"actor":"a","uid":01}"#, #"{"actor":"a","x":{"y":1}}"#, #"{"actor":"a"} "#, #"{ "actor":"a"}"#,
        #"{"actor":"a","uid":"1"}"#, #"{"actor":"a","uid":99999999999999999999}"#, "{}", "",
    ])
    func `any other form is left to JSONDecoder`(_ json: String) {
        #expect(EventMetadataParser.parse(json) == nil)
    }
}

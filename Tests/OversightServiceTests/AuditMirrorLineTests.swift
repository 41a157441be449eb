import Foundation
import OversightStore
import Testing
import Varlink

@testable import OversightService

/// The audit mirror's line for one event: written directly, it must be the sorted-key object it always was.
struct AuditMirrorLineTests {
    /// The line as built before: every field but `data` in a `JSONValue` object (sorted keys), then `data` last.
    private static func reference(_ event: RecordedEvent) throws -> String {
        var object: [String: JSONValue] = [
            "position": .int(event.position), "recordedAt": .string(Timestamp.format(event.recordedAt)),
            "stream": .string(event.stream), "version": .int(event.version), "type": .string(event.type),
            "actor": .string(event.meta.actor), "prevHash": .string(event.prevHash.hex),
            "hash": .string(event.hash.hex),
        ]
        object["uid"] = event.meta.uid.map(JSONValue.int)
        object["commandId"] = event.meta.commandID.map(JSONValue.string)
        let data =
            event.data.contains("\n") || event.data.contains("\r")
            ? try JSONValue.parse(event.data).jsonString : event.data
        var text = JSONValue.object(object).jsonString
        text.removeLast()
        return text + ",\"data\":" + data + "}"
    }

    private static func event(_ meta: EventMetadata, stream: String, type: String, data: String) -> RecordedEvent {
        RecordedEvent(
            position: 42, stream: stream, version: 7, type: type, data: data, meta: meta,
            recordedAt: Date(timeIntervalSince1970: 1_724_034_600.123), prevHash: Data(repeating: 0xab, count: 32),
            hash: Data((0..<32).map { UInt8($0) }))
    }

    @Test(arguments: [
        EventMetadata(actor: "clerk", uid: 1000, commandID: "c-1"),
        EventMetadata(actor: "root"),
        EventMetadata(actor: "王\"小\\明\u{1}", uid: 0, commandID: "id with \"quotes\" and \u{7f}"),
    ])
    func `the line is the sorted-key object with data last`(meta: EventMetadata) throws {
        for (stream, type, data) in [
            ("topic-T2024-001", "TopicPlanned", #"{"title":"专题","v":1}"#),
            ("s\"tream\n", "Type\t", "{\"a\":\r\n1}"),
            ("x", "Y", "{\"text\":\"line\\nbreak\"}"),
        ] {
            let event = Self.event(meta, stream: stream, type: type, data: data)
            let line = AuditMirror.line(event)
            #expect(line == (try Self.reference(event)))
            #expect(!line.contains("\n") && !line.contains("\r"))
            #expect(try JSONValue.parse(line)["position"]?.intValue == 42)
        }
    }
}

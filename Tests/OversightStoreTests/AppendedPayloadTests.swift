import Foundation
import OversightDomain
import Testing

@testable import OversightStore

/// The typed event kept beside a new event's data: used instead of decoding, never stored or compared.
struct AppendedPayloadTests {
    private static func added() throws -> Department.Event {
        .added(code: try #require(DepartmentCode("fgw")), name: "发展改革委")
    }

    private static func draft(_ event: Department.Event) throws -> EventDraft {
        EventDraft(
            type: event.eventType, data: String(decoding: try event.encodedData(), as: UTF8.self),
            payload: AppendedPayload(event))
    }

    @Test func `an append's events carry the value, and reading the log back decodes the same one`() throws {
        let added = try Self.added()
        try withTemporaryDatabase { path in
            let log = try openLog(path)
            let recorded = try log.write { tx in
                try tx.append(
                    [Self.draft(added)], to: "department-fgw", expectedVersion: .noStream, meta: aliceMeta,
                    recordedAt: fixedDate)
            }
            #expect(recorded[0].payload != nil)
            #expect(try recorded[0].decoded(as: Department.Event.self) == added)
            let stored = try log.events(after: 0, limit: 10)
            #expect(stored[0].payload == nil)
            #expect(try stored[0].decoded(as: Department.Event.self) == added)
            // Equality and coding ignore the payload.
            #expect(stored[0] == recorded[0])
            let copy = try JSONDecoder().decode(RecordedEvent.self, from: JSONEncoder().encode(recorded[0]))
            #expect(copy.payload == nil)
            #expect(copy == recorded[0])
        }
    }

    @Test func `the value is used instead of the data, but only for its own type and event type`() throws {
        let added = try Self.added()
        var event = RecordedEvent(
            position: 1, stream: "department-fgw", version: 1, type: "DepartmentAdded",
            data: #"{"code":"kjj","name":"科技局","v":1}"#, meta: aliceMeta, recordedAt: fixedDate,
            prevHash: Data(count: 32), hash: Data(count: 32))
        event.payload = AppendedPayload(added)
        // The value stands for the data (here they differ on purpose, to tell which one was read).
        #expect(try event.decoded(as: Department.Event.self) == added)
        // Another aggregate's type, or a value of another event type, falls back to decoding the data.
        #expect(throws: DomainDecodingError.self) { try event.decoded(as: Topic.Event.self) }
        event.payload = AppendedPayload(Department.Event.renamed(name: "新名"))
        #expect(
            try event.decoded(as: Department.Event.self)
                == .added(code: try #require(DepartmentCode("kjj")), name: "科技局"))
    }
}

import Foundation
import Logging
import OversightDomain
import OversightStore
import Testing

@testable import OversightService

/// The writer's folded states are reused only while the event they were folded up to is still in the log.
struct AggregateStatesTests {
    enum Refusal: Error { case rollBack }

    private static func load(_ context: CommandContext, _ stream: StreamID) throws -> (Department.State, Int64) {
        try context.load(stream, initial: Department.initial) {
            Department.evolve($0, try Department.Event.decode(eventType: $1.type, data: Data($1.data.utf8)))
        }
    }

    private static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("states-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private static func openLog(in directory: URL) throws -> SQLiteEventLog {
        try SQLiteEventLog(
            path: directory.appendingPathComponent("log.sqlite").path, projections: ReadModels.all,
            logger: Logger(label: "test"))
    }

    @Test func `a state folded from a rolled-back append is not reused, and a kept one is extended`() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try Self.openLog(in: directory)
        let states = AggregateStates()
        let code = try #require(DepartmentCode("mzj"))
        let stream = Department.stream(code)
        let now = Date(timeIntervalSince1970: 1_724_025_600)
        let today = try #require(LocalDate("2024-08-19"))
        let metadata = EventMetadata(actor: "clerk")
        try log.write { transaction in
            var context = CommandContext(
                transaction: transaction, metadata: metadata, now: now, today: today, states: states)
            #expect(throws: Refusal.rollBack) {
                try transaction.savepoint { () throws -> Void in
                    try context.append(
                        [Department.Event.added(code: code, name: "民政局")], to: stream, expectedVersion: .noStream)
                    let (state, version) = try Self.load(context, stream)
                    #expect(version == 1)
                    #expect(state != Department.initial)
                    throw Refusal.rollBack
                }
            }
            let (state, version) = try Self.load(context, stream)
            #expect(version == 0)
            #expect(state == Department.initial)
            try context.append(
                [Department.Event.added(code: code, name: "市民政局")], to: stream, expectedVersion: .noStream)
        }
        try log.write { transaction in
            var context = CommandContext(
                transaction: transaction, metadata: metadata, now: now, today: today, states: states)
            _ = try Self.load(context, stream)
            try context.append([Department.Event.renamed(name: "民政局")], to: stream, expectedVersion: .exactly(1))
            let (state, version) = try Self.load(context, stream)
            #expect(version == 2)
            let folded = try transaction.events(inStream: stream.rawValue).reduce(Department.initial) {
                Department.evolve($0, try Department.Event.decode(eventType: $1.type, data: Data($1.data.utf8)))
            }
            #expect(state == folded)
        }
    }

    @Test func `what a command appends to a stream it loaded is folded in at once, and dropped if rolled back`() throws
    {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try Self.openLog(in: directory)
        let states = AggregateStates()
        let code = try #require(DepartmentCode("mzj"))
        let stream = Department.stream(code)
        let key = AggregateStates.Key(type: ObjectIdentifier(Department.State.self), stream: stream.rawValue)
        let now = Date(timeIntervalSince1970: 1_724_025_600)
        let today = try #require(LocalDate("2024-08-19"))
        let metadata = EventMetadata(actor: "clerk")
        let added = try log.write { transaction in
            var context = CommandContext(
                transaction: transaction, metadata: metadata, now: now, today: today, states: states)
            _ = try Self.load(context, stream)
            let recorded = try context.append(
                [Department.Event.added(code: code, name: "民政局")], to: stream, expectedVersion: .noStream)
            let entry = try #require(states.entry(key))
            #expect(entry.version == 1)
            #expect(entry.hash == recorded.last?.hash)
            #expect(
                entry.state as? Department.State
                    == Department.evolve(Department.initial, .added(code: code, name: "民政局")))
            return entry.state as? Department.State
        }
        try log.write { transaction in
            var context = CommandContext(
                transaction: transaction, metadata: metadata, now: now, today: today, states: states)
            #expect(throws: Refusal.rollBack) {
                try transaction.savepoint { () throws -> Void in
                    _ = try Self.load(context, stream)
                    try context.append(
                        [Department.Event.renamed(name: "市民政局")], to: stream, expectedVersion: .exactly(1))
                    #expect(states.entry(key)?.version == 2)
                    throw Refusal.rollBack
                }
            }
            // The cached state is of an event the log no longer holds: the next load folds the log instead.
            let (state, version) = try Self.load(context, stream)
            #expect(version == 1)
            #expect(state == added)
        }
    }
}

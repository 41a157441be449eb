import Foundation
import Logging
import OversightDomain
import OversightStore
import Synchronization
import Testing
import Varlink

@testable import OversightService

/// The single writer: group commit, per-command rollback, idempotency, durability before the reply.
struct CommandWriterTests {
    private static let clock = OfficeClock.constant(
        Date(timeIntervalSince1970: 1_724_025_600), timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current
    )

    private final class Fixture: Sendable {
        let directory: URL
        let log: SQLiteEventLog
        let writer: CommandWriter
        let batches = BatchSizes()

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("writer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            log = try SQLiteEventLog(
                path: directory.appendingPathComponent("log.sqlite").path,
                projections: ReadModels.all,
                logger: Logger(label: "test")
            )
            let batches = self.batches
            writer = CommandWriter(log: log, clock: CommandWriterTests.clock, logger: Logger(label: "test")) { events in
                batches.sizes.withLock { $0.append(events.count) }
            }
            writer.start()
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// Adds a department through the writer, the way DepartmentsInterface does.
        func addDepartment(
            _ code: String, commandID: String? = nil, hash: String = "h"
        ) async -> Result<
            [String: JSONValue], any Error
        > {
            await withCheckedContinuation { continuation in
                writer.submit(
                    WriterCommand(
                        commandID: commandID, requestHash: hash,
                        metadata: EventMetadata(actor: "clerk", uid: 1000),
                        execute: { context in
                            guard let departmentCode = DepartmentCode(code) else { throw TestError.badCode }
                            let stream = Department.stream(departmentCode)
                            let (state, version) = try context.load(stream, initial: Department.initial) {
                                Department.evolve(
                                    $0, try Department.Event.decode(eventType: $1.type, data: Data($1.data.utf8))
                                )
                            }
                            let events = try Department.decide(
                                .add(code: departmentCode, name: "部门\(code)"), state,
                                DecisionContext(today: context.today)
                            )
                            let recorded = try context.append(
                                events, to: stream, expectedVersion: version == 0 ? .noStream : .exactly(version)
                            )
                            return ["position": .int(recorded.last?.position ?? 0)]
                        },
                        completion: { continuation.resume(returning: $0) }
                    )
                )
            }
        }
    }

    enum TestError: Error { case badCode }

    /// The sizes of the committed batches, in order.
    final class BatchSizes: Sendable {
        let sizes = Mutex<[Int]>([])
    }

    @Test func `concurrent commands share transactions and every one is recorded exactly once`() async throws {
        let fixture = try Fixture()
        let results = await withTaskGroup(of: Result<[String: JSONValue], any Error>.self) { group in
            for index in 0..<200 {
                group.addTask { await fixture.addDepartment("d\(index)") }
            }
            var results: [Result<[String: JSONValue], any Error>] = []
            for await result in group { results.append(result) }
            return results
        }
        let positions = results.compactMap { try? $0.get()["position"]?.intValue }.sorted()
        #expect(positions == Array(1...200))
        #expect(try fixture.log.head().position == 200)
        #expect(try fixture.log.verifyChain().isIntact)
        let batches = fixture.batches.sizes.withLock { $0 }
        #expect(batches.reduce(0, +) == 200)
        #expect(batches.count < 200, "commands queued during a commit go together in the next transaction")
        await fixture.writer.stop()
    }

    @Test func `a refused command in a batch leaves the others committed`() async throws {
        let fixture = try Fixture()
        _ = await fixture.addDepartment("fgw")
        async let first = fixture.addDepartment("kjj")
        async let duplicate = fixture.addDepartment("fgw")
        async let third = fixture.addDepartment("mzj")
        let outcomes = [await first, await duplicate, await third]
        #expect((try? outcomes[0].get()) != nil)
        #expect((try? outcomes[1].get()) == nil)
        #expect((try? outcomes[2].get()) != nil)
        let names = try await fixture.log.reader.read { try DepartmentRow.all($0).map(\.code) }
        #expect(names == ["fgw", "kjj", "mzj"])
        #expect(try fixture.log.head().position == 3)
        await fixture.writer.stop()
    }

    @Test func `a retried command id returns the first reply and writes nothing; another request under it is refused`()
        async throws
    {
        let fixture = try Fixture()
        let first = try await fixture.addDepartment("fgw", commandID: "c-1").get()
        let retry = try await fixture.addDepartment("fgw", commandID: "c-1").get()
        #expect(first == retry)
        #expect(try fixture.log.head().position == 1)
        let reused = await fixture.addDepartment("kjj", commandID: "c-1", hash: "other")
        #expect(throws: StoreError.commandIDReused(id: "c-1")) { try reused.get() }
        #expect(try fixture.log.head().position == 1)
        await fixture.writer.stop()
    }

    @Test func `a retry whose second run would append again still returns the first reply and writes nothing`()
        async throws
    {
        let fixture = try Fixture()
        let first = try await fixture.addDepartment("fgw", commandID: "c-1").get()
        // Same id and request hash, but this run would add another department: its writes are rolled back.
        let retry = try await fixture.addDepartment("kjj", commandID: "c-1").get()
        #expect(first == retry)
        #expect(try fixture.log.head().position == 1)
        let codes = try await fixture.log.reader.read { try DepartmentRow.all($0).map(\.code) }
        #expect(codes == ["fgw"])
        // A refused command without a recorded id keeps its own error.
        let refused = await fixture.addDepartment("fgw", commandID: "c-2")
        #expect((try? refused.get()) == nil)
        #expect(try fixture.log.write { try $0.storedCommand(id: "c-2") } == nil)
        await fixture.writer.stop()
    }

    @Test func `after stop the writer refuses new commands with a clear error`() async throws {
        let fixture = try Fixture()
        _ = await fixture.addDepartment("fgw")
        await fixture.writer.stop()
        let late = await fixture.addDepartment("kjj")
        #expect(throws: WriterError.stopping) { try late.get() }
    }

    #if os(Linux)
    @Test func `commands run on a SCHED_BATCH thread, which does not preempt queries on waking`() async throws {
        let fixture = try Fixture()
        let policy: Result<[String: JSONValue], any Error> = await withCheckedContinuation { continuation in
            fixture.writer.submit(
                WriterCommand(
                    commandID: nil, requestHash: "h", metadata: EventMetadata(actor: "clerk", uid: 1000),
                    execute: { _ in ["policy": .int(Int64(sched_getscheduler(0)))] },
                    completion: { continuation.resume(returning: $0) }
                )
            )
        }
        #expect(try policy.get()["policy"] == .int(Int64(CommandWriter.schedBatch)))
        // The caller's own thread is not changed.
        #expect(sched_getscheduler(0) == SCHED_OTHER)
        await fixture.writer.stop()
    }
    #endif
}

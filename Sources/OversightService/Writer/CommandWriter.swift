import Dispatch
import Foundation
import Logging
import OversightStore
import Synchronization
import Varlink

/// One command for the writer: how to run it inside the batch transaction, and how to answer.
struct WriterCommand: Sendable {
    /// The client's idempotency key; a retried id returns the first result and writes nothing.
    var commandID: String?
    /// A digest of the request, to tell a retry from a different request that reuses an id.
    var requestHash: String
    /// Who asked, recorded in every event's metadata.
    var metadata: EventMetadata
    /// Decides and appends, returning the reply parameters; runs on the writer thread inside a savepoint.
    var execute: @Sendable (inout CommandContext) throws -> [String: JSONValue]
    /// Receives the reply once the batch is durable, or the error that refused or failed the command.
    var completion: @Sendable (Result<[String: JSONValue], any Error>) -> Void
}

/// Runs every command of the daemon on one thread, several queued commands in one transaction (group commit).
///
/// Each reply waits for its batch's fsync, so an acknowledged command is durable; while one batch commits, new
/// commands queue and go together in the next one, so throughput grows with the number of concurrent clients.
/// A command that fails rolls back only its own savepoint. After a commit, `onCommit` receives the new events
/// (in log order) before any reply is sent, so a follower is woken no later than the writer's client.
final class CommandWriter: Sendable {
    private struct Queue {
        var pending: [WriterCommand] = []
        var stopping = false
        var stopped = false
    }

    private let log: SQLiteEventLog
    private let clock: OfficeClock
    private let logger: Logger
    private let maximumBatch: Int
    private let onCommit: @Sendable ([RecordedEvent]) -> Void
    private let queue = Mutex(Queue())
    private let wakeUp = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    /// Creates a writer; call ``start()`` to run it.
    init(
        log: SQLiteEventLog, clock: OfficeClock, logger: Logger, maximumBatch: Int = 512,
        onCommit: @escaping @Sendable ([RecordedEvent]) -> Void
    ) {
        self.log = log
        self.clock = clock
        self.logger = logger
        self.maximumBatch = maximumBatch
        self.onCommit = onCommit
    }

    /// Starts the writer thread.
    func start() {
        let thread = Thread { [self] in
            Self.yieldToInteractiveThreads()
            self.runLoop()
        }
        thread.name = "oversight-writer"
        thread.start()
    }

    /// `SCHED_BATCH` of `<linux/sched.h>`; glibc's `<sched.h>` defines it only with `_GNU_SOURCE`, which the Swift
    /// Glibc module does not set.
    static let schedBatch: Int32 = 3

    /// Marks the calling (writer) thread `SCHED_BATCH`, so that its wake-ups do not preempt queries.
    ///
    /// It keeps its share of the CPU, but on waking it no longer preempts a running query, event-loop or follower
    /// thread; they, waking, still preempt it. With the cores busy, a query's wait for a core is then bounded by the
    /// scheduler's tick rather than lengthened by each of the writer's wake-ups. Needs no privilege; if refused, the
    /// thread stays `SCHED_OTHER`.
    private static func yieldToInteractiveThreads() {
        #if os(Linux)
        var parameters = sched_param()
        parameters.sched_priority = 0
        _ = sched_setscheduler(0, CommandWriter.schedBatch, &parameters)
        #endif
    }

    /// Queues a command; its completion runs on the writer thread after the batch commits.
    func submit(_ command: WriterCommand) {
        let accepted = queue.withLock { queue -> Bool in
            guard !queue.stopping else { return false }
            queue.pending.append(command)
            return true
        }
        guard accepted else {
            command.completion(.failure(WriterError.stopping))
            return
        }
        wakeUp.signal()
    }

    /// Finishes every queued command, then stops the thread (waiting without blocking a cooperative thread).
    func stop() async {
        let alreadyStopping = queue.withLock { queue -> Bool in
            defer { queue.stopping = true }
            return queue.stopping
        }
        guard !alreadyStopping else { return }
        wakeUp.signal()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async { [finished] in
                finished.wait()
                continuation.resume()
            }
        }
    }

    private func runLoop() {
        let states = AggregateStates()
        while true {
            wakeUp.wait()
            let (batch, done) = queue.withLock { queue -> ([WriterCommand], Bool) in
                let count = min(queue.pending.count, maximumBatch)
                let batch = Array(queue.pending.prefix(count))
                queue.pending.removeFirst(count)
                if !queue.pending.isEmpty { wakeUp.signal() }
                return (batch, queue.stopping && queue.pending.isEmpty)
            }
            if !batch.isEmpty { commit(batch, states: states) }
            if done {
                queue.withLock { $0.stopped = true }
                finished.signal()
                return
            }
        }
    }

    /// Runs one batch in one transaction and answers every command in it.
    private func commit(_ batch: [WriterCommand], states: AggregateStates) {
        let now = clock.now()
        let today = clock.today(at: now)
        var results: [Result<[String: JSONValue], any Error>] = []
        var events: [RecordedEvent] = []
        do {
            (results, events) = try log.write { transaction in
                var results: [Result<[String: JSONValue], any Error>] = []
                var events: [RecordedEvent] = []
                results.reserveCapacity(batch.count)
                for command in batch {
                    var context = CommandContext(
                        transaction: transaction, metadata: command.metadata, now: now, today: today,
                        states: states
                    )
                    do {
                        let reply = try transaction.savepoint {
                            try Self.run(command, context: &context, transaction: transaction)
                        }
                        results.append(.success(reply))
                        events += context.appended
                    } catch {
                        results.append(Result { try Self.retried(command, failure: error, transaction: transaction) })
                    }
                }
                return (results, events)
            }
        } catch {
            logger.error("Batch commit failed", metadata: [LogKey.error: "\(error)", LogKey.batch: "\(batch.count)"])
            results = batch.map { _ in .failure(error) }
            events = []
        }
        if !events.isEmpty { onCommit(events) }
        for (command, result) in zip(batch, results) {
            command.completion(result)
        }
    }

    /// One command: decide and append, then remember the reply under the command id.
    ///
    /// A retried id is found by the INSERT of its record (one statement for every command, instead of a lookup
    /// before each): the retry's own writes are rolled back with its savepoint and ``retried(_:failure:transaction:)``
    /// answers from the record.
    private static func run(
        _ command: WriterCommand, context: inout CommandContext, transaction: WriteTransaction
    ) throws -> [String: JSONValue] {
        let reply = try command.execute(&context)
        if let id = command.commandID {
            try transaction.recordCommand(
                StoredCommand(
                    id: id, requestHash: command.requestHash, result: JSONValue.object(reply).jsonString,
                    position: context.appended.last?.position ?? 0
                )
            )
        }
        return reply
    }

    /// After a command's savepoint was rolled back: the first result when its id is already recorded for the same
    /// request (a retry, even one that would now be refused), ``StoreError/commandIDReused(id:)`` for another
    /// request; otherwise the command's own failure.
    private static func retried(
        _ command: WriterCommand, failure: any Error, transaction: WriteTransaction
    ) throws -> [String: JSONValue] {
        switch failure {
        case StoreError.storageFull, StoreError.storageFailed: throw failure
        default: break
        }
        guard let id = command.commandID, let stored = try transaction.storedCommand(id: id) else { throw failure }
        guard stored.requestHash == command.requestHash else { throw StoreError.commandIDReused(id: id) }
        return try JSONValue.parse(stored.result).objectValue ?? [:]
    }
}

/// Why the writer could not take a command.
enum WriterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The daemon is shutting down and takes no new commands.
    case stopping

    var description: String {
        switch self {
        case .stopping: "oversightd is shutting down and takes no new commands; retry when it is back"
        }
    }
}

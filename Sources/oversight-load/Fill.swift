import ArgumentParser
import Synchronization
import Varlink

/// `fill`: makes the log large through the daemon, with many clients, in the history years.
///
/// Each client repeats one topic's life: plan it (in one of ``Workload/historyYears``), record 40 activities, add
/// 4 items led by departments, answer each: 49 events per topic, so streams stay short and every read model but
/// the board year's grows. Stops once at least `events` events were written by this run.
struct Fill: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append at least N events through the daemon (topics, activities, items, answers).")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "How many events to append.")
    var events: Int

    @Option(help: "Concurrent client connections.")
    var clients = 64

    func validate() throws {
        guard events >= 1 else { throw ValidationError("--events must be 1 or more, not \(events).") }
        guard clients >= 1 else { throw ValidationError("--clients must be 1 or more, not \(clients).") }
    }

    func run() async throws {
        let connections = try await connection.connect(clients)
        let written = EventCounter()
        let target = events
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (index, client) in connections.enumerated() {
                group.addTask {
                    var round = 0
                    while written.count.load(ordering: .relaxed) < target {
                        let count = try await Self.topicLife(client: client, client: index, round: round)
                        written.count.add(count, ordering: .relaxed)
                        round += 1
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = (clock.now - started).seconds
        let total = written.count.load(ordering: .relaxed)
        let head = try await connections[0].call("org.oversight.log.Status")["headPosition"]?.intValue ?? 0
        for client in connections { await client.close() }
        Report.print(
            [
                "events": .int(Int64(total)), "seconds": .double(elapsed),
                "eventsPerSecond": .double(Double(total) / elapsed), "head": .int(head),
            ],
            summary: "\(total) events in \(Int(elapsed)) s (\(Int(Double(total) / elapsed)) events/s), head \(head)")
    }

    /// One topic's life; returns the number of events appended.
    static func topicLife(client: VarlinkClient, client index: Int, round: Int) async throws -> Int {
        let years = Workload.historyYears
        let year = years.lowerBound + (index + round) % years.count
        let seed = index * 100_000 + round * 50
        let plan = "org.oversight.topics.Plan"
        let topic = try await client.call(plan, Workload.planTopic(year: year, index: seed))
            .recordID("topic", method: plan)
        for activity in 0..<40 {
            _ = try await client.call(
                "org.oversight.topics.RecordActivity",
                Workload.recordActivity(topic: topic, year: year, index: seed + activity))
        }
        var items: [String] = []
        for item in 0..<4 {
            let add = "org.oversight.items.Add"
            items.append(
                try await client.call(add, Workload.addItem(topic: topic, year: year, index: seed + item))
                    .recordID("item", method: add))
        }
        for (offset, item) in items.enumerated() {
            _ = try await client.call(
                "org.oversight.items.Answer", Workload.answerItem(item: item, year: year, index: seed + offset))
        }
        return 1 + 40 + 2 * items.count
    }
}

/// The number of events the fill's clients have appended so far, shared by them.
final class EventCounter: Sendable {
    let count = Atomic<Int>(0)
}

import ArgumentParser
import Varlink

/// `write`: N clients issue durable one-event commands as fast as their replies come back.
struct Write: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Durable commands from N concurrent clients, each waiting for its reply: latency and throughput.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Concurrent client connections.")
    var clients = 1

    @Option(help: "How long to run, in seconds (after a warm-up of 1 s that is not counted).")
    var seconds = 10.0

    func validate() throws {
        guard clients >= 1 else { throw ValidationError("--clients must be 1 or more, not \(clients).") }
        guard seconds > 0 else { throw ValidationError("--seconds must be more than 0, not \(seconds).") }
    }

    func run() async throws {
        let result = try await WriteRun(socket: connection.socket, clients: clients, seconds: seconds).run()
        let rate = Double(result.latency.samples.count) / result.elapsed
        Report.print(
            [
                "clients": .int(Int64(clients)), "seconds": .double(result.elapsed), "commandsPerSecond": .double(rate),
                "latency": result.latency.summary,
            ],
            summary: "\(clients) clients: \(Int(rate)) commands/s")
    }
}

/// Timed writers shared by `write`, `query` and `follow`: N clients, each a ``TopicWriter``.
struct WriteRun {
    let socket: String
    let clients: Int
    let seconds: Double
    var warmUp = Duration.seconds(1)
    /// Called for every counted command with the instants it was sent and answered and its event's position.
    var onCommand: (@Sendable (_ sent: ContinuousClock.Instant, _ answered: ContinuousClock.Instant, Int64) -> Void)?

    /// Runs the writers; returns every counted command's latency and the counted time in seconds.
    func run() async throws -> (latency: LatencyRecorder, elapsed: Double) {
        let connections = try await ConnectionOptions.connect(socket: socket, count: clients)
        let clock = ContinuousClock()
        let start = clock.now + warmUp
        let end = start + .seconds(seconds)
        let latency = try await withThrowingTaskGroup(of: LatencyRecorder.self) { group in
            for (index, client) in connections.enumerated() {
                group.addTask { [onCommand] in
                    var writer = TopicWriter(client: client, year: Workload.loadYear, clientIndex: index * 1000)
                    var recorder = LatencyRecorder()
                    while true {
                        let sent = clock.now
                        if sent >= end { break }
                        let position = try await writer.next()
                        if sent >= start {
                            let answered = clock.now
                            recorder.record(answered - sent)
                            onCommand?(sent, answered, position)
                        }
                    }
                    return recorder
                }
            }
            var all = LatencyRecorder()
            for try await recorder in group { all.merge(recorder) }
            return all
        }
        for client in connections { await client.close() }
        return (latency, seconds)
    }
}

extension ConnectionOptions {
    /// Opens `count` connections to the daemon at `socket`.
    static func connect(socket: String, count: Int) async throws -> [VarlinkClient] {
        var clients: [VarlinkClient] = []
        for _ in 0..<count {
            clients.append(try await VarlinkClient.connect(unixSocketPath: socket))
        }
        return clients
    }
}

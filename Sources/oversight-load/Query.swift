import ArgumentParser
import Varlink

/// `query`: one client reads the boards in turn while N clients write.
struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query latency (topic board, one department's items, scorecard) while N clients write.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Concurrent writing clients during the queries.")
    var writers = 16

    @Option(help: "How long to run, in seconds (after a warm-up of 1 s that is not counted).")
    var seconds = 10.0

    func validate() throws {
        guard writers >= 0 else { throw ValidationError("--writers must be 0 or more, not \(writers).") }
        guard seconds > 0 else { throw ValidationError("--seconds must be more than 0, not \(seconds).") }
    }

    func run() async throws {
        let reader = try await VarlinkClient.connect(unixSocketPath: connection.socket)
        let clock = ContinuousClock()
        let warmUp = Duration.seconds(1)
        let start = clock.now + warmUp
        let end = start + .seconds(seconds)
        let writeRun = WriteRun(socket: connection.socket, clients: writers, seconds: seconds, warmUp: warmUp)
        async let written: (latency: LatencyRecorder, elapsed: Double) =
            writers > 0 ? writeRun.run() : (LatencyRecorder(), seconds)
        var perQuery = Array(repeating: LatencyRecorder(), count: Workload.queries.count)
        var all = LatencyRecorder()
        var turn = 0
        while true {
            let sent = clock.now
            if sent >= end { break }
            let query = Workload.queries[turn % Workload.queries.count]
            _ = try await reader.call(query.method, query.parameters)
            if sent >= start {
                let latency = clock.now - sent
                perQuery[turn % Workload.queries.count].record(latency)
                all.record(latency)
            }
            turn += 1
        }
        let writes = try await written
        await reader.close()
        var queries: [String: JSONValue] = [:]
        for (index, query) in Workload.queries.enumerated() {
            queries[query.name] = perQuery[index].summary
        }
        let writeRate = Double(writes.latency.samples.count) / writes.elapsed
        Report.print(
            [
                "writers": .int(Int64(writers)), "seconds": .double(seconds), "latency": all.summary,
                "queries": .object(queries), "writeCommandsPerSecond": .double(writeRate),
            ],
            summary: "\(all.samples.count) queries under \(writers) writers (\(Int(writeRate)) commands/s)")
    }
}

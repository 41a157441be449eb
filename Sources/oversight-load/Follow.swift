import ArgumentParser
import Synchronization
import Varlink

/// `follow`: how long after a command is sent a `log follow` client receives its event.
///
/// `latency` runs from sending the command (so it includes the command's own durable commit: an upper bound of
/// commit → follower); `afterReply` from the writer client receiving its reply (a lower bound).
struct Follow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Append → follower latency: from sending a command to a Log.Follow client receiving its event.")

    @OptionGroup var connection: ConnectionOptions

    @Option(help: "Concurrent writing clients.")
    var writers = 1

    @Option(help: "How long to run, in seconds (after a warm-up of 1 s that is not counted).")
    var seconds = 10.0

    func validate() throws {
        guard writers >= 1 else { throw ValidationError("--writers must be 1 or more, not \(writers).") }
        guard seconds > 0 else { throw ValidationError("--seconds must be more than 0, not \(seconds).") }
    }

    func run() async throws {
        let follower = try await VarlinkClient.connect(unixSocketPath: connection.socket)
        let status = try await VarlinkClient.connect(unixSocketPath: connection.socket)
        let head = try await status.call("org.oversight.log.Status")["headPosition"]?.intValue ?? 0
        await status.close()
        let clock = ContinuousClock()
        let seen = Mutex([Int64: ContinuousClock.Instant]())
        let sent = Mutex([Int64: (sent: ContinuousClock.Instant, answered: ContinuousClock.Instant)]())
        let following = Task {
            for try await reply in follower.callMore("org.oversight.log.Follow", ["after": .int(head)]) {
                let now = clock.now
                guard let position = reply["event"]?["position"]?.intValue else {
                    throw ReplyError.missing(field: "event.position", method: "org.oversight.log.Follow")
                }
                seen.withLock { $0[position] = now }
            }
        }
        var run = WriteRun(socket: connection.socket, clients: writers, seconds: seconds)
        run.onCommand = { instant, answered, position in sent.withLock { $0[position] = (instant, answered) } }
        _ = try await run.run()
        // Every event is committed once its command is answered; give the follower a moment to receive the last.
        let last = sent.withLock { $0.keys.max() } ?? head
        let deadline = clock.now + .seconds(5)
        while clock.now < deadline, seen.withLock({ $0[last] }) == nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        following.cancel()
        var latency = LatencyRecorder()
        var afterReply = LatencyRecorder()
        var missed = 0
        let sends = sent.withLock { $0 }
        let arrivals = seen.withLock { $0 }
        for (position, instants) in sends {
            guard let arrival = arrivals[position] else {
                missed += 1
                continue
            }
            latency.record(arrival - instants.sent)
            // The follower is woken before the writer's reply is sent, so this may be negative (recorded as 0).
            afterReply.record(max(arrival - instants.answered, .zero))
        }
        Report.print(
            [
                "writers": .int(Int64(writers)), "seconds": .double(seconds), "latency": latency.summary,
                "afterReply": afterReply.summary,
                "missed": .int(Int64(missed)),
            ],
            summary: "\(latency.samples.count) events followed, \(missed) not seen within 5 s")
    }
}

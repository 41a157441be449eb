import Foundation
import Glibc
import Logging
import NIOPosix
import OversightStore
import Synchronization
import Testing
import Varlink

@testable import OversightService

/// Log.Follow over a real socket: pages from the log, then live events, in order, with no gap or duplicate.
struct FollowerHubTests {
    @Test func `a follower far behind is fed page by page, then sees new commits live, each event once`() async throws {
        let directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("fh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = try SQLiteEventLog(
            path: directory.appendingPathComponent("log.sqlite").path, logger: Logger(label: "t"))
        let meta = EventMetadata(actor: "clerk")
        func append(_ count: Int, from start: Int) throws {
            try log.write { transaction in
                for index in start..<(start + count) {
                    _ = try transaction.append(
                        [EventDraft(type: "Probe", data: #"{"n":\#(index)}"#)], to: "probe-\(index)",
                        expectedVersion: .noStream, meta: meta, recordedAt: Date()
                    )
                }
            }
        }
        try append(1_300, from: 0)

        let hub = FollowerHub(log: log, head: try log.head().position, pageSize: 100, logger: Logger(label: "t")) {
            ["position": .int($0.position)]
        }
        let interface = try VarlinkInterface(
            description: """
                interface org.example.follow

                # [Requires 'more' flag]
                method Follow(after: int) -> (event: object)
                """
        )
        struct Handler: VarlinkInterfaceHandler {
            let interface: VarlinkInterface
            let hub: FollowerHub
            func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
                hub.follow(after: call.parameters["after"]?.intValue ?? 0, responder: responder)
            }
        }
        let server = VarlinkServer(
            info: VarlinkServiceInfo(vendor: "t", product: "t", version: "1", url: "u"),
            handlers: [Handler(interface: interface, hub: hub)], eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: Logger(label: "t")
        )
        let socket = directory.appendingPathComponent("s").path
        try await server.start(unixSocketPath: socket)
        let client = try await VarlinkClient.connect(unixSocketPath: socket)

        var positions: [Int64] = []
        for try await reply in client.callMore("org.example.follow.Follow", ["after": 250]) {
            positions.append(reply["event"]?["position"]?.intValue ?? -1)
            if positions.count == 1_050 {
                try append(20, from: 1_300)
                hub.committed(upTo: try log.head().position)
            }
            if positions.count == 1_070 { break }
        }
        #expect(positions == Array(251...1_320).map(Int64.init))
        await client.close()
        hub.stop()
        await server.shutdown(gracePeriod: .seconds(1))
    }
}

/// The real `org.oversight.log` interface over a real socket, fed by a hub that reads through a ``CountingLog``.
private final class LogFixture {
    let directory: URL
    let log: SQLiteEventLog
    let counting: CountingLog
    let hub: FollowerHub
    let server: VarlinkServer
    let threadPool = NIOThreadPool(numberOfThreads: 1)
    var socket: String { directory.appendingPathComponent("s").path }

    init(pageSize: Int = 100, scanLimit: Int = 50_000, now: @escaping @Sendable () -> Date = { Date() }) async throws {
        directory = URL(fileURLWithPath: "/tmp").appendingPathComponent("fh-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let quiet = Logger(label: "t", factory: { _ in SwiftLogNoOpLogHandler() })
        log = try SQLiteEventLog(path: directory.appendingPathComponent("log.sqlite").path, logger: quiet)
        counting = CountingLog(log)
        hub = FollowerHub(
            log: counting, head: try log.head().position, pageSize: pageSize, scanLimit: scanLimit, now: now,
            logger: quiet
        ) { (try? LogInterface.encode($0)) ?? .null }
        threadPool.start()
        let interface = try LogInterface(
            log: log, followers: hub, queries: QueryRunner(reader: log.reader, threadPool: threadPool)
        ) { DaemonStatus(version: "t", uptimeSeconds: 0, connections: 0, stateDirectory: "") }
        server = VarlinkServer(
            info: VarlinkServiceInfo(vendor: "t", product: "t", version: "1", url: "u"), handlers: [interface],
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton, logger: quiet)
        try await server.start(unixSocketPath: socket)
    }

    /// Appends `count` events, one per stream `<prefix><n>`, with `padding` bytes of payload, in one commit, and
    /// tells the hub (as the writer does after each commit).
    func append(
        _ count: Int, streamPrefix: String = "probe-", padding: Int = 0, recordedAt: Date = Date(),
        type: String = "Probe"
    ) throws {
        let pad = String(repeating: "x", count: padding)
        try log.write { transaction in
            for _ in 0..<count {
                let position = try transaction.head().position + 1
                _ = try transaction.append(
                    [EventDraft(type: type, data: #"{"n":\#(position),"pad":"\#(pad)"}"#)],
                    to: "\(streamPrefix)\(position)", expectedVersion: .noStream, meta: EventMetadata(actor: "clerk"),
                    recordedAt: recordedAt)
            }
        }
        hub.committed(upTo: try log.head().position)
    }

    /// Appends `count` events in one commit, like ``append(_:streamPrefix:padding:recordedAt:type:)``, and hands
    /// the hub the committed events, as the daemon's writer does.
    func appendDelivering(_ count: Int, streamPrefix: String = "probe-") throws {
        let events = try log.write { transaction in
            var events: [RecordedEvent] = []
            for _ in 0..<count {
                let position = try transaction.head().position + 1
                events += try transaction.append(
                    [EventDraft(type: "Probe", data: #"{"n":\#(position)}"#)], to: "\(streamPrefix)\(position)",
                    expectedVersion: .noStream, meta: EventMetadata(actor: "clerk"), recordedAt: Date())
            }
            return events
        }
        hub.committed(events)
    }

    func shutdown() async throws {
        hub.stop()
        await server.shutdown(gracePeriod: .seconds(1))
        try await threadPool.shutdownGracefully()
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Forwards to the log and counts the events the hub has read through it.
private final class CountingLog: FilteredEventLog {
    let base: SQLiteEventLog
    let eventsRead = Atomic<Int>(0)

    init(_ base: SQLiteEventLog) { self.base = base }

    func events(inStream stream: String) throws -> [RecordedEvent] { try base.events(inStream: stream) }
    func head() throws -> LogHead { try base.head() }
    func verifyChain() throws -> ChainVerification { try base.verifyChain() }
    func event(at position: Int64) throws -> RecordedEvent? { try base.event(at: position) }

    func events(after position: Int64, limit: Int) throws -> [RecordedEvent] {
        let events = try base.events(after: position, limit: limit)
        eventsRead.add(events.count, ordering: .relaxed)
        return events
    }

    func events(after position: Int64, limit: Int, matching filter: EventFilter, scanLimit: Int) throws -> EventPage {
        let page = try base.events(after: position, limit: limit, matching: filter, scanLimit: scanLimit)
        eventsRead.add(page.events.count, ordering: .relaxed)
        return page
    }
}

/// A varlink client on a plain socket, which reads only when told to (a follower that stops reading).
private struct RawClient {
    let fd: Int32

    init(socket path: String) throws {
        fd = Glibc.socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else { throw RawClientError.cannotConnect }
    }

    func send(_ call: JSONValue) {
        let bytes = call.jsonBytes + [0]
        _ = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
    }

    /// Reads replies until `done` says stop (or the connection ends).
    func read(until done: ([JSONValue]) -> Bool) throws -> [JSONValue] {
        var replies: [JSONValue] = []
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while !done(replies) {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            guard count > 0 else { break }
            pending += buffer[0..<count]
            while let end = pending.firstIndex(of: 0) {
                replies.append(try JSONValue.parse(pending[..<end]))
                pending.removeSubrange(...end)
            }
        }
        return replies
    }

    func close() { _ = Glibc.close(fd) }
}

private enum RawClientError: Error { case cannotConnect }

/// Following through the real `org.oversight.log` interface: filters, `until`, cursors, and slow followers.
struct FollowerHubFilterTests {
    @Test
    func
        `a follower that stops reading never holds up commits, holds at most a page, and then gets every event in order`()
        async throws
    {
        let fixture = try await LogFixture(pageSize: 100)
        let client = try RawClient(socket: fixture.socket)
        defer { client.close() }
        client.send(["method": "org.oversight.log.Follow", "parameters": ["after": 0], "more": true])
        // 20 commits of 100 events of about 4 KiB while the client reads nothing: each commit returns at once
        // (the hub only schedules work), whatever the follower does.
        let total = 2_000
        for _ in 0..<(total / 100) {
            try fixture.append(100, padding: 4_000)
        }
        // Let the hub fill the socket as far as it can, until its reads stop moving.
        var read = -1
        for _ in 0..<100 {
            try await Task.sleep(for: .milliseconds(100))
            let now = fixture.counting.eventsRead.load(ordering: .relaxed)
            if now == read { break }
            read = now
        }
        // What the hub has read is what the socket buffers hold plus at most the page in hand (here: one page of
        // 100), far less than the 8 MiB committed. The follower is still there, not dropped.
        #expect(read > 0)
        #expect(read <= 500, "the hub read \(read) of \(total) events for a follower that reads nothing")
        #expect(fixture.hub.count == 1)

        let replies = try client.read { $0.count >= total }
        let positions = replies.map { $0["parameters"]?["event"]?["position"]?.intValue ?? -1 }
        #expect(positions == Array(1...Int64(total)))
        #expect(replies.allSatisfy { $0["continues"]?.boolValue == true })
        #expect(fixture.counting.eventsRead.load(ordering: .relaxed) == total)
        try await fixture.shutdown()
    }

    @Test func `a follower at the head gets each commit's events from the writer, without reading the log`()
        async throws
    {
        let fixture = try await LogFixture(pageSize: 10)
        try fixture.append(2)
        let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
        var events: [JSONValue] = []
        var readBeforeLive = 0
        for try await reply in client.callMore("org.oversight.log.Follow", ["after": 0]) {
            events.append(try #require(reply["event"]))
            if events.count == 2 {
                // Caught up from the log; the hub is idle at the head once its position reaches it.
                for _ in 0..<1_000 where fixture.hub.positions != [2] { try await Task.sleep(for: .milliseconds(5)) }
                readBeforeLive = fixture.counting.eventsRead.load(ordering: .relaxed)
                try fixture.appendDelivering(3)
            }
            if events.count == 5 {
                // Commits in quick succession: a follower still busy with one catches up on the rest from the log.
                for _ in 0..<20 { try fixture.appendDelivering(2, streamPrefix: "more-") }
            }
            if events.count == 45 { break }
        }
        #expect(events.compactMap { $0["position"]?.intValue } == Array(1...45).map(Int64.init))
        #expect(events[2]["stream"]?.stringValue == "probe-3")
        #expect(events[2]["data"]?["n"]?.intValue == 3)
        #expect(readBeforeLive == 2)
        #expect(fixture.counting.eventsRead.load(ordering: .relaxed) < 45, "later commits came from the writer")
        await client.close()
        try await fixture.shutdown()
    }

    @Test func `a filtered follower at the head is handed only its matching events, and moves past the rest`()
        async throws
    {
        let fixture = try await LogFixture()
        let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
        var positions: [Int64] = []
        let replies = client.callMore("org.oversight.log.Follow", ["after": 0, "stream": ["topic-*"]])
        for _ in 0..<1_000 where fixture.hub.positions != [0] { try await Task.sleep(for: .milliseconds(5)) }
        try fixture.appendDelivering(2, streamPrefix: "item-")
        try fixture.appendDelivering(2, streamPrefix: "topic-")
        for try await reply in replies {
            positions.append(reply["event"]?["position"]?.intValue ?? -1)
            if positions.count == 2 { break }
        }
        #expect(positions == [3, 4])
        for _ in 0..<1_000 where fixture.hub.positions != [4] { try await Task.sleep(for: .milliseconds(5)) }
        #expect(fixture.hub.positions == [4])
        await client.close()
        try await fixture.shutdown()
    }

    @Test func `a filtered follower receives only its streams, and its position moves over the events it skips`()
        async throws
    {
        let fixture = try await LogFixture(pageSize: 10, scanLimit: 25)
        for round in 0..<20 {
            try fixture.append(3, streamPrefix: round.isMultiple(of: 5) ? "topic-" : "item-")
        }
        let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
        var positions: [Int64] = []
        var ending: VarlinkError?
        do {
            for try await reply in client.callMore(
                "org.oversight.log.Follow", ["after": 0, "stream": ["topic-*"], "type": ["Probe"]])
            {
                let event = try #require(reply["event"])
                #expect(event["stream"]?.stringValue?.hasPrefix("topic-") == true)
                positions.append(event["position"]?.intValue ?? -1)
                if positions.count == 12 {
                    // Every later event is an item: the hub scans them without sending anything.
                    try fixture.append(30, streamPrefix: "item-")
                    for _ in 0..<1_000 where fixture.hub.positions != [90] {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    #expect(fixture.hub.positions == [90])
                    fixture.hub.stop()
                }
            }
        } catch let error as VarlinkError {
            ending = error
        }
        #expect(positions == [1, 2, 3, 16, 17, 18, 31, 32, 33, 46, 47, 48])
        // The hub reads only the matching events, and the resume position is past the skipped ones.
        #expect(fixture.counting.eventsRead.load(ordering: .relaxed) == 12)
        #expect(ending?.name == "org.oversight.log.ServiceStopping")
        #expect(ending?.parameters["lastPosition"]?.intValue == 90)
        await client.close()
        try await fixture.shutdown()
    }

    @Test func `with until the stream ends at the first event recorded after it, with no event after until sent`()
        async throws
    {
        let until = Date(timeIntervalSince1970: 1_724_034_600)
        // The clock is before until: only the log can end the stream.
        let fixture = try await LogFixture(now: { until.addingTimeInterval(-3600) })
        try fixture.append(3, recordedAt: until.addingTimeInterval(-10))
        try fixture.append(2, recordedAt: until)
        let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
        var replies: [[String: JSONValue]] = []
        for try await reply in client.callMore(
            "org.oversight.log.Follow", ["until": .string(Timestamp.format(until))])
        {
            replies.append(reply)
            if replies.count == 5 {
                try fixture.append(1, recordedAt: until.addingTimeInterval(0.001))
            }
        }
        #expect(replies.compactMap { $0["event"]?["position"]?.intValue } == [1, 2, 3, 4, 5])
        #expect(replies.last?["untilPassed"]?.intValue == 6)
        #expect(replies.last?["event"] == nil)
        await client.close()
        try await fixture.shutdown()
    }

    @Test func `with until past by the daemon's clock a follower at the head ends without waiting for an event`()
        async throws
    {
        let until = Date(timeIntervalSince1970: 1_724_034_600)
        let fixture = try await LogFixture(now: { until.addingTimeInterval(FollowerHub.untilGrace + 1) })
        try fixture.append(4, recordedAt: until.addingTimeInterval(-60))
        let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
        var replies: [[String: JSONValue]] = []
        for try await reply in client.callMore(
            "org.oversight.log.Follow",
            ["after": 1, "stream": ["probe-3", "probe-4"], "until": .string(Timestamp.format(until))])
        {
            replies.append(reply)
        }
        #expect(replies.compactMap { $0["event"]?["position"]?.intValue } == [3, 4])
        #expect(replies.last?["untilPassed"]?.intValue == 4)
        await client.close()
        try await fixture.shutdown()
    }

    @Test func `a cursor whose event has another hash, or no event, is refused before anything is sent`()
        async throws
    {
        let fixture = try await LogFixture()
        try fixture.append(5)
        let third = try #require(try fixture.log.event(at: 3))
        let second = try #require(try fixture.log.event(at: 2))
        func follow(after: Int64, hash: Data) async throws -> ([Int64], VarlinkError?) {
            let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
            var positions: [Int64] = []
            var failure: VarlinkError?
            do {
                for try await reply in client.callMore(
                    "org.oversight.log.Follow", ["after": .int(after), "afterHash": .string(hash.hex)])
                {
                    positions.append(reply["event"]?["position"]?.intValue ?? -1)
                    if positions.last == 5 { break }
                }
            } catch let error as VarlinkError {
                failure = error
            }
            await client.close()
            return (positions, failure)
        }
        let good = try await follow(after: 3, hash: third.hash)
        #expect(good.0 == [4, 5] && good.1 == nil)
        let rewritten = try await follow(after: 3, hash: second.hash)
        #expect(rewritten.0.isEmpty)
        #expect(rewritten.1?.name == "org.oversight.log.CursorMismatch")
        #expect(rewritten.1?.parameters["found"]?.stringValue == third.hash.hex)
        let missing = try await follow(after: 9, hash: third.hash)
        #expect(missing.0.isEmpty)
        #expect(missing.1?.name == "org.oversight.log.CursorMismatch")
        #expect(missing.1?.parameters["found"] == nil)
        try await fixture.shutdown()
    }

    @Test func `Show pages a sparse filter with next and refuses a bad filter in words`() async throws {
        let fixture = try await LogFixture()
        try fixture.append(4, streamPrefix: "topic-")
        let client = try await VarlinkClient.connect(unixSocketPath: fixture.socket)
        let page = try await client.call("org.oversight.log.Show", ["after": 0, "limit": 2, "stream": ["topic-3"]])
        #expect(page["events"]?.arrayValue?.compactMap { $0["position"]?.intValue } == [3])
        #expect(page["next"]?.intValue == 4)
        #expect(page["head"]?.intValue == 4)
        let old = try await client.call("org.oversight.log.Show", ["after": 2])
        #expect(old["events"]?.arrayValue?.count == 2)
        let refused: [([String: JSONValue], String)] = [
            (["stream": ["a*b"]], "stream"), (["type": ["*"]], "type"), (["actor": [""]], "actor"),
            (["since": "yesterday"], "since"), (["until": "2024-02-30T00:00:00Z"], "until"),
            (["since": "2024-08-20T00:00:00Z", "until": "2024-08-19T00:00:00Z"], "until"),
            (["afterHash": "zz"], "afterHash"),
        ]
        for (parameters, name) in refused {
            do {
                _ = try await client.call("org.oversight.log.Show", parameters)
                Issue.record("Show accepted \(parameters)")
            } catch let error as VarlinkError {
                #expect(error.name == "org.oversight.log.InvalidArgument")
                #expect(error.parameters["parameter"]?.stringValue == name)
                #expect(error.parameters["message"]?.stringValue?.contains(name) == true)
            }
        }
        await client.close()
        try await fixture.shutdown()
    }
}

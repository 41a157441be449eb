import Foundation
import Logging
import NIOPosix
import OversightStore
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

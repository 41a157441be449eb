import Foundation
import NIOCore
import NIOPosix
import Synchronization
import Testing
import Varlink

#if canImport(Glibc)
import Glibc
#endif

/// The server over a real Unix socket in a temporary directory, driven by raw sockets and by ``VarlinkClient``.
struct SocketRoundTripTests {
    @Test func `a message split across reads is answered once`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            let bytes = Array("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"split\"}}".utf8) + [0]
            for start in stride(from: 0, to: bytes.count, by: 7) {
                try raw.send(Array(bytes[start..<min(start + 7, bytes.count)]))
                try await Task.sleep(for: .milliseconds(2))
            }
            #expect(try await raw.readMessage() == ["parameters": ["text": "split"]])
            #expect(try await raw.read(timeout: .milliseconds(100)) == .timedOut)
        }
    }

    @Test func `pipelined calls are answered in order, even when earlier ones reply later`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            let calls = [
                "{\"method\":\"org.example.test.Slow\",\"parameters\":{\"milliseconds\":150,\"text\":\"a\"}}",
                "{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"b\"}}",
                "{\"method\":\"org.example.test.Slow\",\"parameters\":{\"milliseconds\":10,\"text\":\"c\"}}",
                "{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"d\"}}",
                "{\"method\":\"org.varlink.service.GetInfo\"}",
            ]
            try raw.send(calls.flatMap { Array($0.utf8) + [0] })
            for text in ["a", "b", "c", "d"] {
                #expect(try await raw.readMessage() == ["parameters": ["text": .string(text)]])
            }
            #expect(try await raw.readMessage()["parameters"]?["product"] == "VarlinkTests")
        }
    }

    @Test func `a oneway call gets no reply at all, not even an error`() async throws {
        let handler = try TestInterfaceHandler()
        try await withServer(handlers: [handler]) { _, path in
            let raw = try RawConnection(path: path)
            try raw.send("{\"method\":\"org.example.test.Log\",\"parameters\":{\"message\":\"m1\"},\"oneway\":true}")
            try raw.send("{\"method\":\"org.example.test.Fail\",\"parameters\":{\"reason\":\"r\"},\"oneway\":true}")
            try raw.send("{\"method\":\"org.nope.X\",\"oneway\":true}")
            try raw.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"after\"}}")
            #expect(try await raw.readMessage() == ["parameters": ["text": "after"]])
            #expect(try await raw.read(timeout: .milliseconds(150)) == .timedOut)
            #expect(handler.logged.withLock { $0 } == ["m1"])
        }
    }

    @Test func `more on a plain method gives one reply without continues`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            try raw.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"x\"},\"more\":true}")
            #expect(try await raw.readMessage() == ["parameters": ["text": "x"]])
            try raw.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"y\"}}")
            #expect(try await raw.readMessage() == ["parameters": ["text": "y"]])
        }
    }

    @Test func `streaming sends continues on all but the last reply`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            try raw.send("{\"method\":\"org.example.test.Count\",\"parameters\":{\"count\":3},\"more\":true}")
            #expect(try await raw.readMessage() == ["parameters": ["n": 1], "continues": true])
            #expect(try await raw.readMessage() == ["parameters": ["n": 2], "continues": true])
            #expect(try await raw.readMessage() == ["parameters": ["n": 3]])
            try raw.send("{\"method\":\"org.example.test.Count\",\"parameters\":{\"count\":3}}")
            #expect(try await raw.readMessage() == ["error": "org.varlink.service.ExpectedMore", "parameters": [:]])
        }
    }

    @Test func `dispatch errors name the interface, method or parameter`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            let cases: [(String, JSONValue)] = [
                (
                    "{\"method\":\"org.nope.Foo\"}",
                    ["error": "org.varlink.service.InterfaceNotFound", "parameters": ["interface": "org.nope"]]
                ),
                (
                    "{\"method\":\"org.example.test.Nope\",\"parameters\":{}}",
                    ["error": "org.varlink.service.MethodNotFound", "parameters": ["method": "Nope"]]
                ),
                (
                    "{\"method\":\"org.example.test.NotImplementedYet\"}",
                    [
                        "error": "org.varlink.service.MethodNotImplemented",
                        "parameters": ["method": "NotImplementedYet"],
                    ]
                ),
                (
                    "{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":5}}",
                    ["error": "org.varlink.service.InvalidParameter", "parameters": ["parameter": "text"]]
                ),
                (
                    "{\"method\":\"org.example.test.Ping\",\"parameters\":null}",
                    ["error": "org.varlink.service.InvalidParameter", "parameters": ["parameter": "text"]]
                ),
                (
                    "{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"x\",\"bogus\":1}}",
                    ["error": "org.varlink.service.InvalidParameter", "parameters": ["parameter": "bogus"]]
                ),
                (
                    "{\"method\":\"org.example.test.Tag\",\"parameters\":{\"level\":\"loud\"}}",
                    ["error": "org.varlink.service.InvalidParameter", "parameters": ["parameter": "level"]]
                ),
                (
                    "{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"x\"},\"upgrade\":true}",
                    ["error": "org.varlink.service.InvalidParameter", "parameters": ["parameter": "upgrade"]]
                ),
                (
                    "{\"method\":\"org.example.test.Fail\",\"parameters\":{\"reason\":\"r\"},\"more\":true}",
                    [
                        "error": "org.example.test.Failed",
                        "parameters": ["reason": "r", "message": "it failed as asked"],
                    ]
                ),
                (
                    "{\"method\":\"org.example.test.Log\",\"parameters\":{\"message\":\"m\"},\"oneway\":false,\"x.y\":1}",
                    ["parameters": [:]]
                ),
                (
                    "{\"parameters\":{\"a\":1,\"b\":2,\"scale\":0.5},\"method\":\"org.example.test.Add\"}",
                    ["parameters": ["sum": 1.5]]
                ),
            ]
            for (call, expected) in cases {
                try raw.send(call)
                #expect(try await raw.readMessage() == expected, "\(call)")
            }
        }
    }

    @Test(arguments: [
        "{\"method\":",  // invalid JSON
        "[1,2]",  // not an object
        "{\"parameters\":{}}",  // no method
        "{\"method\":42}",  // method not a string
        "{\"method\":\"org.example.test.Ping\",\"more\":true,\"oneway\":true}",
        "{\"method\":\"org.example.test.Ping\",\"parameters\":[]}",
        "{\"method\":\"org.example.test.Ping\",\"more\":\"yes\"}",
        "\u{FEFF}{\"method\":\"org.example.test.Ping\"}",
    ])
    func `a protocol violation closes the connection and only that one`(message: String) async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let bystander = try RawConnection(path: path)
            let raw = try RawConnection(path: path)
            try raw.send(message)
            #expect(try await raw.read() == .closed)
            try bystander.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"ok\"}}")
            #expect(try await bystander.readMessage() == ["parameters": ["text": "ok"]])
        }
    }

    @Test func `invalid UTF-8 closes the connection`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            try raw.send(
                Array("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"".utf8) + [0xFF, 0xFE]
                    + Array("\"}".utf8) + [0])
            #expect(try await raw.read() == .closed)
        }
    }

    @Test func `an oversize message closes the connection, a message under the limit is fine`() async throws {
        var configuration = VarlinkServerConfiguration()
        configuration.maximumMessageSize = 4096
        try await withServer(handlers: [try TestInterfaceHandler()], configuration: configuration) { _, path in
            let fits = try RawConnection(path: path)
            let text = String(repeating: "a", count: 3000)
            try fits.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"\(text)\"}}")
            #expect(try await fits.readMessage() == ["parameters": ["text": .string(text)]])

            let raw = try RawConnection(path: path)
            try raw.send(Array("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"".utf8))
            try raw.send([UInt8](repeating: UInt8(ascii: "a"), count: 8192))
            #expect(try await raw.read() == .closed)
        }
    }

    @Test func `too many pipelined calls close the connection`() async throws {
        var configuration = VarlinkServerConfiguration()
        configuration.maximumPendingCalls = 2
        try await withServer(handlers: [try TestInterfaceHandler()], configuration: configuration) { _, path in
            let raw = try RawConnection(path: path)
            var calls = "{\"method\":\"org.example.test.Slow\",\"parameters\":{\"milliseconds\":300,\"text\":\"a\"}}\0"
            for _ in 0..<3 { calls += "{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"b\"}}\0" }
            try raw.send(Array(calls.utf8))
            #expect(try await raw.read() == .closed)
        }
    }

    @Test func `peer EOF during an idle stream runs onCancel promptly`() async throws {
        let handler = try TestInterfaceHandler()
        try await withServer(handlers: [handler]) { server, path in
            let raw = try RawConnection(path: path)
            try raw.send("{\"method\":\"org.example.test.Follow\",\"more\":true}")
            #expect(try await raw.readMessage() == ["parameters": ["n": 1], "continues": true])
            #expect(handler.cancelledFollows.load(ordering: .sequentiallyConsistent) == 0)
            raw.shutdownWrite()
            #expect(
                await eventually(timeout: .seconds(2)) {
                    handler.cancelledFollows.load(ordering: .sequentiallyConsistent) == 1
                })
            #expect(try await raw.read() == .closed)
            #expect(await eventually { server.connectionCount == 0 })
        }
    }

    @Test func `EOF after pipelined plain calls still answers them, then closes`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let raw = try RawConnection(path: path)
            try raw.send("{\"method\":\"org.example.test.Slow\",\"parameters\":{\"milliseconds\":50,\"text\":\"a\"}}")
            try raw.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"b\"}}")
            raw.shutdownWrite()
            #expect(try await raw.readMessage() == ["parameters": ["text": "a"]])
            #expect(try await raw.readMessage() == ["parameters": ["text": "b"]])
            #expect(try await raw.read() == .closed)
        }
    }

    @Test func `GetInfo lists every interface sorted, GetInterfaceDescription returns the text verbatim`() async throws
    {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            let info = try await client.call("org.varlink.service.GetInfo")
            #expect(info["vendor"] == "Test")
            #expect(info["product"] == "VarlinkTests")
            #expect(info["version"] == "1")
            #expect(info["url"] == "https://example.org")
            #expect(info["interfaces"] == ["org.example.test", "org.varlink.service"])
            let test = try await client.call(
                "org.varlink.service.GetInterfaceDescription", ["interface": "org.example.test"])
            #expect(test == ["description": .string(TestInterfaceHandler.idl)])
            let service = try await client.call(
                "org.varlink.service.GetInterfaceDescription",
                ["interface": "org.varlink.service"]
            )
            #expect(service["description"]?.stringValue == VarlinkInterface.service.description)
            await #expect(throws: VarlinkError.interfaceNotFound("org.nope")) {
                try await client.call("org.varlink.service.GetInterfaceDescription", ["interface": "org.nope"])
            }
            await client.close()
        }
    }

    @Test func `the client round-trips calls, errors, streams and oneway calls`() async throws {
        let handler = try TestInterfaceHandler()
        try await withServer(handlers: [handler]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: "unix:\(path);mode=0600")
            #expect(try await client.call("org.example.test.Ping", ["text": "héllo 😀"]) == ["text": "héllo 😀"])
            #expect(try await client.call("org.example.test.Add", ["a": 2, "b": 3]) == ["sum": 5.0])
            await #expect(
                throws: VarlinkError(
                    "org.example.test.Failed", parameters: ["reason": "r", "message": "it failed as asked"])
            ) {
                try await client.call("org.example.test.Fail", ["reason": "r"])
            }
            var received: [JSONValue] = []
            for try await reply in client.callMore("org.example.test.Count", ["count": 4]) {
                received.append(reply["n"] ?? nil)
            }
            #expect(received == [1, 2, 3, 4])
            // more on a plain method: one reply, and the stream ends.
            var plain: [[String: JSONValue]] = []
            for try await reply in client.callMore("org.example.test.Ping", ["text": "p"]) { plain.append(reply) }
            #expect(plain == [["text": "p"]])
            // An error ends a stream by throwing.
            await #expect(throws: VarlinkError.invalidParameter("count")) {
                for try await _ in client.callMore("org.example.test.Count", [:]) {}
            }
            try await client.callOneway("org.example.test.Log", ["message": "one"])
            #expect(try await client.call("org.example.test.Ping", ["text": "after"]) == ["text": "after"])
            #expect(handler.logged.withLock { $0 } == ["one"])
            // Concurrent calls on one connection are answered in the order sent.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let text = JSONValue.string("c\(index)")
                        let reply = try await client.call("org.example.test.Ping", ["text": text])
                        #expect(reply == ["text": text])
                    }
                }
                try await group.waitForAll()
            }
            await client.close()
            await #expect(throws: VarlinkClientError.connectionClosed) {
                try await client.call("org.example.test.Ping", ["text": "closed"])
            }
        }
    }

    @Test func `cancelling a stream consumer closes the connection and cancels the call`() async throws {
        let handler = try TestInterfaceHandler()
        try await withServer(handlers: [handler]) { server, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            let consumer = Task {
                var count = 0
                for try await _ in client.callMore("org.example.test.Follow") { count += 1 }
                return count
            }
            #expect(await eventually { handler.startedFollows.load(ordering: .sequentiallyConsistent) == 1 })
            #expect(server.connectionCount == 1)
            consumer.cancel()
            _ = try? await consumer.value
            #expect(await eventually { handler.cancelledFollows.load(ordering: .sequentiallyConsistent) == 1 })
            #expect(await eventually { server.connectionCount == 0 })
        }
    }

    @Test func `the client rejects a server that breaks the protocol`() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/bad.sock"
            // A fake server answering every call with continues although the call had no more.
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .childChannelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(BadServerHandler())
                    }
                }
                .bind(unixDomainSocketPath: path).get()
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            await #expect(throws: VarlinkClientError.protocolViolation(.unexpectedContinues)) {
                try await client.call("a.b.C")
            }
            await client.close()
            try await channel.close()
        }
    }

    @Test func `client addresses other than unix paths are refused`() async throws {
        for address in ["tcp:127.0.0.1:1", "unix:@abstract", "", "unix:"] {
            await #expect(throws: VarlinkClientError.invalidAddress(address)) {
                _ = try await VarlinkClient.connect(unixSocketPath: address)
            }
        }
    }

    @Test func `handlers see the peer credentials and a connection id`() async throws {
        try await withServer(handlers: [try TestInterfaceHandler()]) { _, path in
            let first = try await VarlinkClient.connect(unixSocketPath: path)
            let second = try await VarlinkClient.connect(unixSocketPath: path)
            let one = try await first.call("org.example.test.WhoAmI")
            let two = try await second.call("org.example.test.WhoAmI")
            #expect(one["pid"] == .int(Int64(getpid())))
            #expect(one["uid"] == .int(Int64(getuid())))
            #expect(one["gid"] == .int(Int64(getgid())))
            #expect(one["connection"] != two["connection"])
            await first.close()
            await second.close()
        }
    }

    @Test func `a connection beyond the per-UID limit gets the limit error for its first call, then is closed`()
        async throws
    {
        var configuration = VarlinkServerConfiguration()
        configuration.maximumConnectionsPerUID = 2
        configuration.connectionLimitError = VarlinkError("org.example.test.TooMany", parameters: ["limit": 2])
        try await withServer(handlers: [try TestInterfaceHandler()], configuration: configuration) { server, path in
            let first = try RawConnection(path: path)
            let second = try RawConnection(path: path)
            #expect(await eventually { server.connectionCount == 2 })
            let third = try RawConnection(path: path)
            try third.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"3\"}}")
            #expect(
                try await third.readMessage() == ["error": "org.example.test.TooMany", "parameters": ["limit": 2]])
            #expect(try await third.read() == .closed)
            // One that never sends a call is closed after a short wait, unanswered.
            let silent = try RawConnection(path: path)
            #expect(try await silent.read() == .closed)
            try first.send("{\"method\":\"org.example.test.Ping\",\"parameters\":{\"text\":\"1\"}}")
            #expect(try await first.readMessage() == ["parameters": ["text": "1"]])
            _ = second
            #expect(server.connectionCount == 2)
        }
    }

    @Test func `the socket file gets the configured mode and is removed at shutdown`() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/mode.sock"
            var configuration = VarlinkServerConfiguration()
            configuration.socketMode = 0o600
            let server = VarlinkServer(
                info: testServiceInfo,
                handlers: [],
                configuration: configuration,
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: quietLogger
            )
            try await server.start(unixSocketPath: path)
            var info = stat()
            #expect(stat(path, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o600)
            await #expect(throws: VarlinkServerError.alreadyStarted) {
                try await server.start(unixSocketPath: path + "2")
            }
            await server.shutdown(gracePeriod: .milliseconds(100))
            #expect(!FileManager.default.fileExists(atPath: path))
        }
    }

    @Test func `graceful shutdown finishes calls in flight and cancels streams`() async throws {
        let handler = try TestInterfaceHandler()
        try await withTemporaryDirectory { directory in
            let path = directory + "/shutdown.sock"
            let server = VarlinkServer(
                info: testServiceInfo,
                handlers: [handler],
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: quietLogger
            )
            try await server.start(unixSocketPath: path)
            let idle = try RawConnection(path: path)
            let streaming = try RawConnection(path: path)
            try streaming.send("{\"method\":\"org.example.test.Follow\",\"more\":true}")
            #expect(try await streaming.readMessage()["continues"] == true)
            let slow = try RawConnection(path: path)
            try slow.send(
                "{\"method\":\"org.example.test.Slow\",\"parameters\":{\"milliseconds\":200,\"text\":\"done\"}}")
            #expect(await eventually { server.connectionCount == 3 })
            #expect(await eventually { handler.startedSlows.load(ordering: .sequentiallyConsistent) == 1 })

            let clock = ContinuousClock()
            let started = clock.now
            await server.shutdown(gracePeriod: .seconds(1))
            let elapsed = clock.now - started
            // The slow call finished inside the grace period; the stream was force-closed at the deadline.
            #expect(try await slow.readMessage() == ["parameters": ["text": "done"]])
            #expect(try await slow.read() == .closed)
            #expect(try await idle.read() == .closed)
            #expect(try await streaming.read() == .closed)
            #expect(handler.cancelledFollows.load(ordering: .sequentiallyConsistent) == 1)
            #expect(server.connectionCount == 0)
            #expect(elapsed >= .milliseconds(900))
            #expect(throws: RawConnection.Failure.self) { _ = try RawConnection(path: path) }
        }
    }

    @Test func `a listening socket can be adopted and is not unlinked`() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory + "/adopted.sock"
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            #expect(fd >= 0)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let pathBytes = Array(path.utf8)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                for (index, byte) in pathBytes.enumerated() { raw[index] = byte }
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            #expect(bound == 0)
            #expect(listen(fd, 16) == 0)
            let server = VarlinkServer(
                info: testServiceInfo,
                handlers: [try TestInterfaceHandler()],
                eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
                logger: quietLogger
            )
            try await server.start(adoptingListeningSocket: fd)
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            #expect(try await client.call("org.example.test.Ping", ["text": "adopted"]) == ["text": "adopted"])
            await client.close()
            await server.shutdown(gracePeriod: .milliseconds(100))
            #expect(FileManager.default.fileExists(atPath: path))
        }
    }
}

/// Answers every message with a reply that wrongly continues.
private final class BadServerHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = ByteBuffer(string: "{\"continues\":true,\"parameters\":{}}\0")
        context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: nil)
    }
}

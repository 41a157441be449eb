import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Many connections at once, and the per-user connection limit (`max-connections-per-user`).
@Suite(.serialized)
struct ConnectionLimitTests {
    @Test func `1000 connections held open while commands succeed`() throws {
        let limit = raiseOpenFileLimit(to: 4096)
        try #require(limit >= 2200, "the open-file limit is \(limit); 1000 connections need about 2100 descriptors")
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let pid = daemon.process.processIdentifier
        let before = residentKiB(of: pid) ?? 0

        let held = try (0..<1000).map { _ in try WireConnection(path: scratch.socket) }
        // Each is served: one call on every connection, all sent before any reply is read.
        for connection in held { #expect(connection.send(method: "org.oversight.log.Status")) }
        var served = 0
        for connection in held {
            if case .reply(let reply) = connection.read(), reply["error"] == nil { served += 1 }
        }
        #expect(served == 1000)
        let status = try held[0].parameters("org.oversight.log.Status")
        #expect((status["connections"] as? Int ?? 0) >= 1000, "\(status)")

        // With all of them open, 16 clients record and each command is acknowledged.
        let failures = Collected<String>()
        let socket = scratch.socket
        onThreads(16) { client in
            guard let connection = try? WireConnection(path: socket) else {
                failures.append("client \(client) could not connect")
                return
            }
            for number in 0..<10 {
                do {
                    _ = try connection.parameters(
                        "org.oversight.departments.Add", ["code": "c\(client)-\(number)", "name": "部门"])
                } catch {
                    failures.append("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let list = try held[999].parameters("org.oversight.departments.List")
        #expect((list["departments"] as? [Any])?.count == 160)
        let during = residentKiB(of: pid) ?? 0
        print("1000 connections: daemon RSS \(before / 1024) MiB before, \(during / 1024) MiB with them open")
        #expect(during - before < 256 * 1024, "1000 idle connections cost \((during - before) / 1024) MiB")
        withExtendedLifetime(held) {}
        #expect(daemon.stop() == 0)
    }

    @Test func `beyond max-connections-per-user a connection gets TooManyConnections and is closed`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--max-connections-per-user", "8"])
        var held = try Self.admittedConnections(8, scratch.socket)

        let ninth = try WireConnection(path: scratch.socket)
        let refused = try ninth.call("org.oversight.departments.Add", ["code": "fgw", "name": "市发展和改革委员会"])
        #expect(refused["error"] as? String == "org.oversight.log.TooManyConnections")
        let parameters = refused["parameters"] as? [String: Any] ?? [:]
        #expect(parameters["limit"] as? Int == 8)
        #expect((parameters["message"] as? String)?.contains("max-connections-per-user") == true)
        guard case .closed = ninth.read() else {
            Issue.record("the refused connection stayed open")
            return
        }
        // The CLI says it in words.
        let cli = try daemon.ctl("department", "list")
        #expect(cli.status == 75)
        #expect(cli.stderr.contains("8 connections"), "\(cli.stderr)")

        // Nothing the refused connection sent was run, and the others still work.
        #expect((try held[0].parameters("org.oversight.departments.List")["departments"] as? [Any])?.isEmpty == true)
        // Closing one makes room for a new one.
        held.removeLast()
        #expect(try Self.admittedConnections(1, scratch.socket).count == 1)
        #expect(daemon.stop() == 0)
    }

    /// Opens `count` connections the daemon serves, retrying a refused one while an earlier connection (the start-up
    /// probe, one just closed) is still being let go.
    private static func admittedConnections(_ count: Int, _ socket: String) throws -> [WireConnection] {
        var connections: [WireConnection] = []
        for _ in 0..<200 where connections.count < count {
            let connection = try WireConnection(path: socket)
            if (try? connection.parameters("org.oversight.log.Status")) != nil {
                connections.append(connection)
            } else {
                usleep(10_000)
            }
        }
        try #require(connections.count == count, "only \(connections.count) of \(count) connections were admitted")
        return connections
    }

    @Test func `max-connections-per-user is read from the configuration file and checked`() throws {
        let scratch = try Scratch()
        let file = scratch.url.appendingPathComponent("oversightd.conf").path
        try "max-connections-per-user = 2\n".write(toFile: file, atomically: true, encoding: .utf8)
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--config", file])
        let held = try Self.admittedConnections(2, scratch.socket)
        let third = try WireConnection(path: scratch.socket)
        #expect(
            try third.call("org.oversight.log.Status")["error"] as? String == "org.oversight.log.TooManyConnections")
        withExtendedLifetime(held) {}
        #expect(daemon.stop() == 0)

        try "max-connections-per-user = 0\n".write(toFile: file, atomically: true, encoding: .utf8)
        let invalid = try run(
            Binaries.daemon, ["--config", file, "--socket", scratch.socket, "--state-dir", scratch.stateDirectory])
        #expect(invalid.status == 78)
        #expect(invalid.stderr.contains("line 1, key max-connections-per-user"), "\(invalid.stderr)")
        let flag = try run(
            Binaries.daemon,
            ["--max-connections-per-user=0", "--socket", scratch.socket, "--state-dir", scratch.stateDirectory])
        #expect(flag.status == 78)
        #expect(flag.stderr.contains("--max-connections-per-user"), "\(flag.stderr)")
    }
}

import Foundation
import Testing
import Varlink

#if canImport(Glibc)
import Glibc
#endif

/// The configuration file, SIGHUP reload and access control by peer credentials, with the real binaries.
@Suite(.serialized)
struct AccessControlTests {
    /// A configuration file in the scratch directory.
    private func writeConfiguration(_ text: String, in scratch: Scratch) throws -> String {
        let path = scratch.url.appendingPathComponent("oversightd.conf").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Sends SIGHUP and returns the notifications up to the `READY=1` that ends the reload.
    private func reload(_ daemon: Daemon, _ notify: NotifySocket) -> [String] {
        kill(daemon.process.processIdentifier, SIGHUP)
        var messages: [String] = []
        while let message = notify.receive() {
            messages.append(message)
            let lines = message.split(separator: "\n")
            if lines.contains("READY=1"), messages.contains(where: { $0.contains("RELOADING=1") }) { break }
        }
        return messages
    }

    private static func monotonicMicroseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1_000
    }

    /// The events of the log, oldest first.
    private func events(_ daemon: Daemon) throws -> [[String: Any]] {
        let shown = try daemon.ctl("log", "show", "--json")
        #expect(shown.status == 0, "\(shown.stderr)")
        return try shown.stdout.split(separator: "\n").map { try json(String($0)) }
    }

    private static var userName: String {
        getpwuid(getuid()).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid:\(getuid())"
    }

    @Test func `SIGHUP sends RELOADING=1 with MONOTONIC_USEC, then READY=1`() throws {
        let scratch = try Scratch()
        let notify = try NotifySocket(path: scratch.url.appendingPathComponent("notify").path)
        let configuration = try writeConfiguration("# empty\n", in: scratch)
        let daemon = try Daemon(
            scratch: scratch, extraArguments: ["--config", configuration], environment: ["NOTIFY_SOCKET": notify.path])
        let ready = try #require(notify.receive())
        #expect(ready.split(separator: "\n").contains("READY=1"))

        let before = Self.monotonicMicroseconds()
        let messages = reload(daemon, notify)
        let after = Self.monotonicMicroseconds()
        let reloading = try #require(messages.first { $0.contains("RELOADING=1") }, "\(messages)")
        let lines = reloading.split(separator: "\n").map(String.init)
        #expect(lines.contains("RELOADING=1"))
        let stamp = try #require(lines.first { $0.hasPrefix("MONOTONIC_USEC=") }, "\(lines)")
        let microseconds = try #require(UInt64(stamp.dropFirst("MONOTONIC_USEC=".count)))
        #expect(microseconds >= before && microseconds <= after, "CLOCK_MONOTONIC of the reload, in µs")
        let last = try #require(messages.last)
        #expect(last.split(separator: "\n").contains("READY=1"))
        #expect(last.contains("STATUS=") && last.contains("configuration reloaded"), "\(last)")
        #expect(daemon.stop() == 0)
    }

    @Test func `a reader is refused a recording command, and becomes clerk after the file changes and SIGHUP`() throws {
        let scratch = try Scratch()
        let notify = try NotifySocket(path: scratch.url.appendingPathComponent("notify").path)
        let uid = getuid()
        let configuration = try writeConfiguration(
            "[roles]\nadmin = none\nclerk = none\nreader = user:\(uid)\n", in: scratch)
        let daemon = try Daemon(
            scratch: scratch, extraArguments: ["--config", configuration], environment: ["NOTIFY_SOCKET": notify.path])
        _ = notify.receive()

        let refused = try daemon.ctl("department", "add", "fgw", "发展和改革委员会")
        #expect(refused.status == 77, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("permission denied"), "\(refused.stderr)")
        #expect(refused.stderr.contains("needs the clerk role"), "\(refused.stderr)")
        #expect(try events(daemon).isEmpty, "a refused command writes nothing")
        let listed = try daemon.ctl("department", "list", "--json")
        #expect(listed.status == 0, "a reader may query: \(listed.stderr)")
        #expect(try daemon.ctl("verify").status == 0)

        _ = try writeConfiguration("[roles]\nadmin = none\nclerk = user:\(uid)\nreader = user:\(uid)\n", in: scratch)
        let messages = reload(daemon, notify)
        #expect(messages.last?.contains("configuration reloaded") == true, "\(messages)")
        let added = try daemon.ctl("department", "add", "fgw", "发展和改革委员会")
        #expect(added.status == 0, "\(added.stderr)")
        let recorded = try events(daemon)
        #expect(recorded.count == 1)
        #expect(recorded.first?["actor"] as? String == Self.userName)
        #expect((recorded.first?["uid"] as? NSNumber)?.uint32Value == uid)

        // An invalid file on reload: logged, READY=1 with a STATUS saying so, and the roles stay as they were.
        _ = try writeConfiguration("[roles]\nclerk = user:\(uid)\nclerk = none\n", in: scratch)
        let failed = reload(daemon, notify)
        let last = try #require(failed.last)
        #expect(last.split(separator: "\n").contains("READY=1"))
        #expect(last.contains("STATUS=Reload failed, keeping the previous configuration"), "\(last)")
        #expect(last.contains("line 3, key roles.clerk: given twice"), "\(last)")
        let stillClerk = try daemon.ctl("department", "add", "jw", "教育局")
        #expect(stillClerk.status == 0, "\(stillClerk.stderr)")
        #expect(daemon.stop() == 0)
        let log = String(decoding: daemon.stderr.get(), as: UTF8.self)
        #expect(log.contains("Reload failed; keeping the previous configuration"), "\(log)")
    }

    @Test func `without a role a peer is refused every product method`() throws {
        let scratch = try Scratch()
        let configuration = try writeConfiguration(
            "[roles]\nadmin = none\nclerk = none\nreader = user:\(getuid() &+ 1)\n", in: scratch)
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--config", configuration])
        let listed = try daemon.ctl("department", "list")
        #expect(listed.status == 77)
        #expect(listed.stderr.contains("needs the reader role"), "\(listed.stderr)")
        #expect(daemon.stop() == 0)
    }

    @Test func `an invalid configuration file stops the daemon with exit 78 naming the key and the line`() throws {
        let scratch = try Scratch()
        let configuration = try writeConfiguration(
            "# oversightd\nsocket = /tmp/x.sock\n\ntime-zone = Mars/Olympus\n", in: scratch)
        let result = try run(
            Binaries.daemon,
            ["--config", configuration, "--socket", scratch.socket, "--state-dir", scratch.stateDirectory],
            timeout: 20)
        #expect(result.status == 78)
        #expect(
            result.stderr.contains("\(configuration) line 4, key time-zone: unknown time zone \"Mars/Olympus\""),
            "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.socket))

        let missing = try run(
            Binaries.daemon,
            ["--config", scratch.url.appendingPathComponent("none.conf").path, "--socket", scratch.socket],
            timeout: 20)
        #expect(missing.status == 78)
        #expect(missing.stderr.contains("none.conf: cannot be read"), "\(missing.stderr)")
    }

    @Test func `flags win over the file and the file's evaluation rule is the default rule`() throws {
        let scratch = try Scratch()
        let configuration = try writeConfiguration(
            "socket = /nonexistent/dir/never.sock\nevaluation-rule = present>2/3\n", in: scratch)
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--config", configuration])
        #expect(try daemon.ctl("department", "add", "fgw", "发展和改革委员会").status == 0)
        let recorded = try daemon.ctl(
            "evaluation", "record", "--department", "fgw", "--date", "2024-06-28", "--entitled", "30", "--present",
            "27", "--satisfied", "17", "--basic", "6", "--dissatisfied", "4", "--not-voting", "0",
            "--json")
        #expect(recorded.status == 0, "\(recorded.stderr)")
        let evaluation = try json(recorded.stdout)["evaluation"] as? [String: Any]
        #expect(evaluation?["rule"] as? String == "present>2/3", "\(recorded.stdout)")
        // 17 satisfied of 27 present do not exceed 2/3 (18); 23 satisfied + basically do.
        #expect(evaluation?["verdict"] as? String == "basically-satisfied", "\(recorded.stdout)")
        #expect(daemon.stop() == 0)
    }

    @Test func `watchdog = off in the file keeps the daemon from pinging even with WATCHDOG_USEC set`() throws {
        let scratch = try Scratch()
        let notify = try NotifySocket(path: scratch.url.appendingPathComponent("notify").path)
        let configuration = try writeConfiguration("watchdog = off\n", in: scratch)
        let daemon = try Daemon(
            scratch: scratch, extraArguments: ["--config", configuration],
            environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "100000"])
        let ready = try #require(notify.receive())
        #expect(ready.split(separator: "\n").contains("READY=1"))
        // Pings would come every 50 ms; whatever was sent meanwhile is queued before the reload's messages.
        usleep(500_000)
        let messages = reload(daemon, notify)
        #expect(messages.first?.contains("RELOADING=1") == true, "\(messages)")
        #expect(!messages.contains { $0.contains("WATCHDOG=1") }, "\(messages)")
        #expect(daemon.stop() == 0)
    }

    @Test func `the actor of an event comes from the peer credentials, never from the client`() async throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let client = try await VarlinkClient.connect(unixSocketPath: scratch.socket)
        let refused = await #expect(throws: VarlinkError.self) {
            _ = try await client.call(
                "org.oversight.departments.Add",
                ["code": .string("fgw"), "name": .string("发展和改革委员会"), "actor": .string("mallory")])
        }
        #expect(refused?.name == "org.varlink.service.InvalidParameter")
        #expect(refused?.parameters["parameter"]?.stringValue == "actor")
        _ = try await client.call(
            "org.oversight.departments.Add",
            ["code": .string("fgw"), "name": .string("发展和改革委员会"), "commandId": .string("c-1")])
        let shown = try await client.call("org.oversight.log.Show", [:])
        await client.close()
        let event = try #require(shown["events"]?.arrayValue?.first)
        #expect(shown["events"]?.arrayValue?.count == 1, "the refused call wrote nothing")
        #expect(event["actor"]?.stringValue == Self.userName)
        #expect(event["uid"]?.intValue == Int64(getuid()))
        #expect(event["commandId"]?.stringValue == "c-1")
        #expect(daemon.stop() == 0)
    }

    /// The users created by `Scripts/setup-test-deps` when it runs as root.
    private static let readerUser = "ovtest-reader"
    private static let clerkUser = "ovtest-clerk"

    @Test func `by default another local user is reader and a member of group oversight is clerk`() throws {
        guard getuid() == 0 else {
            print("skipped: the default role mapping test runs other users' clients, which needs root")
            return
        }
        guard let reader = getpwnam(Self.readerUser)?.pointee, let clerk = getpwnam(Self.clerkUser)?.pointee,
            getgrnam("oversight") != nil
        else {
            print(
                "skipped: users \(Self.readerUser) and \(Self.clerkUser) or group oversight are missing; run Scripts/setup-test-deps as root"
            )
            return
        }
        let (readerUID, readerGID, clerkUID, clerkGID) = (reader.pw_uid, reader.pw_gid, clerk.pw_uid, clerk.pw_gid)
        let scratch = try Scratch()
        // No configuration file: the default mapping (root and the daemon's own user are admin).
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--config", "/dev/null"])
        // Let the other users open the socket (under systemd the socket unit's group does this).
        chmod(scratch.socket, 0o666)
        func ctl(as uid: UInt32, _ gid: UInt32, _ arguments: String...) throws -> CommandResult {
            try run(
                URL(fileURLWithPath: "/usr/bin/setpriv"),
                ["--reuid", "\(uid)", "--regid", "\(gid)", "--init-groups", "--", Binaries.ctl.path] + arguments,
                environment: ["OVERSIGHT_SOCKET": scratch.socket])
        }

        let refused = try ctl(as: readerUID, readerGID, "department", "add", "fgw", "发展和改革委员会")
        #expect(refused.status == 77, "\(refused.stdout) \(refused.stderr)")
        #expect(refused.stderr.contains("needs the clerk role, which the user \(Self.readerUser) does not hold"))
        #expect(try events(daemon).isEmpty)
        #expect(try ctl(as: readerUID, readerGID, "department", "list").status == 0)

        let added = try ctl(as: clerkUID, clerkGID, "department", "add", "fgw", "发展和改革委员会")
        #expect(added.status == 0, "\(added.stderr)")
        #expect(try daemon.ctl("department", "add", "jw", "教育局").status == 0, "root is admin, so clerk too")
        let recorded = try events(daemon)
        #expect(recorded.count == 2)
        #expect(recorded.first?["actor"] as? String == Self.clerkUser)
        #expect((recorded.first?["uid"] as? NSNumber)?.uint32Value == clerkUID)
        #expect(recorded.last?["actor"] as? String == "root")
        #expect(daemon.stop() == 0)
    }
}

import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A datagram socket standing in for systemd's notification socket.
final class NotifySocket {
    let path: String
    private let fd: Int32

    init(path: String) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        let bound = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        try #require(bound == 0)
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    /// The next datagram, or nil after the timeout.
    func receive() -> String? {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return String(decoding: buffer.prefix(count), as: UTF8.self)
    }

    deinit { close(fd) }
}

@Suite(.serialized)
struct SystemdAndInterfaceTests {
    @Test func `the daemon tells systemd it is ready once listening and that it is stopping on SIGTERM`() throws {
        let scratch = try Scratch()
        let notify = try NotifySocket(path: scratch.url.appendingPathComponent("notify").path)
        let daemon = try Daemon(scratch: scratch, environment: ["NOTIFY_SOCKET": notify.path])
        let ready = try #require(notify.receive())
        #expect(ready.split(separator: "\n").contains("READY=1"))
        #expect(Daemon.canConnect(scratch.socket), "READY=1 is sent only after the socket listens")
        #expect(ready.contains("STATUS=Serving on \(scratch.socket); log head 0;"), "\(ready)")
        // The status line follows the log head.
        #expect(try daemon.ctl("department", "add", "fgw", "市发展和改革委员会").status == 0)
        var status = ""
        while let message = notify.receive(), !status.contains("log head 1") { status = message }
        #expect(status.contains("STATUS=Serving on \(scratch.socket); log head 1;"), "\(status)")
        #expect(daemon.stop() == 0)
        var messages: [String] = []
        while let message = notify.receive() {
            messages.append(message)
            if message.contains("STOPPING=1") { break }
        }
        #expect(messages.contains { $0.split(separator: "\n").contains("STOPPING=1") })
    }

    @Test func `with WATCHDOG_USEC set the daemon pings the watchdog at half the interval`() throws {
        let scratch = try Scratch()
        let notify = try NotifySocket(path: scratch.url.appendingPathComponent("notify").path)
        let daemon = try Daemon(
            scratch: scratch, environment: ["NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "200000"]
        )
        var pings = 0
        let deadline = Date().addingTimeInterval(5)
        while pings < 3, Date() < deadline, let message = notify.receive() {
            if message.split(separator: "\n").contains("WATCHDOG=1") { pings += 1 }
        }
        #expect(pings >= 3)
        #expect(daemon.stop() == 0)
    }

    @Test func `a listening socket passed the way systemd does it is served and never unlinked`() throws {
        let scratch = try Scratch()
        // python binds and listens, moves the socket to fd 3, sets LISTEN_PID to its own pid and execs the daemon.
        let launcher = """
            import os, socket, sys
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(sys.argv[1]); s.listen(16)
            os.dup2(s.fileno(), 3); os.set_inheritable(3, True)
            os.environ.update(LISTEN_FDS="1", LISTEN_PID=str(os.getpid()), LISTEN_FDNAMES="varlink")
            os.execv(sys.argv[2], [sys.argv[2], "--socket", sys.argv[1] + ".unused", "--state-dir", sys.argv[3]])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", launcher, scratch.socket, Binaries.daemon.path, scratch.stateDirectory]
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(20)
        var added = CommandResult(status: -1, stdout: "", stderr: "")
        while Date() < deadline {
            added = try run(Binaries.ctl, ["department", "add", "fgw", "市发展和改革委员会", "--socket", scratch.socket])
            if added.status == 0 { break }
            usleep(100_000)
        }
        #expect(added.status == 0, "\(added.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.socket + ".unused"), "no socket of its own")
        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: scratch.socket), "an inherited socket is never unlinked")
    }

    @Test func `the socket is created with mode 0660`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.socket)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o660)
        #expect(daemon.stop() == 0)
    }

    @Test func `python varlink lists our interfaces and parses every interface description`() throws {
        let python = try #require(TestTools.python, "run Scripts/setup-test-deps to create .venv with varlink")
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let info = try run(python, ["-m", "varlink.cli", "info", "unix:\(scratch.socket)"])
        #expect(info.status == 0, "\(info.stderr)")
        let resources = TestTools.packageRoot.appendingPathComponent("Sources/OversightService/Resources")
        let ours = try FileManager.default.contentsOfDirectory(atPath: resources.path)
            .filter { $0.hasSuffix(".varlink") }.map { String($0.dropLast(".varlink".count)) }
        #expect(ours.count >= 10, "interfaces found: \(ours)")
        for interface in ours.sorted() + ["org.varlink.service"] {
            #expect(info.stdout.contains(interface))
            let help = try run(python, ["-m", "varlink.cli", "help", "unix:\(scratch.socket)/\(interface)"])
            #expect(help.status == 0 && help.stdout.contains("interface \(interface)"), "\(interface): \(help.stderr)")
        }
        let call = try run(
            python,
            [
                "-m", "varlink.cli", "call", "unix:\(scratch.socket)/org.oversight.departments.Add",
                #"{"code": "fgw", "name": "市发展和改革委员会"}"#,
            ]
        )
        #expect(call.stderr.isEmpty, "\(call.stderr)")
        #expect(call.stdout.contains("\"position\": 1"))
        #expect(daemon.stop() == 0)
    }

    @Test func `oversightd --varlink-certification passes the python and go certification clients`() throws {
        let python = try #require(TestTools.python, "run Scripts/setup-test-deps to create .venv with varlink")
        let script = TestTools.sharedDirectory.appendingPathComponent("tools/varlink-certify")
        try #require(FileManager.default.fileExists(atPath: script.path), "set OVERSIGHT_SHARED_DIR to ../shared")
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch, extraArguments: ["--varlink-certification"])
        let result = try run(
            URL(fileURLWithPath: "/bin/bash"), [script.path, "unix:\(scratch.socket)"],
            environment: ["PY": python.path], timeout: 120
        )
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("6 passed, 0 failed"))
        #expect(daemon.stop() == 0)
    }

    @Test func `the go interface checker accepts every interface file`() throws {
        let checker = URL(fileURLWithPath: "/usr/bin/varlink-go-interface-generator")
        try #require(FileManager.default.isExecutableFile(atPath: checker.path), "run Scripts/setup-test-deps")
        let scratch = try Scratch()
        let resources = TestTools.packageRoot.appendingPathComponent("Sources/OversightService/Resources")
        for file in try FileManager.default.contentsOfDirectory(atPath: resources.path) where file.hasSuffix(".varlink")
        {
            let copy = scratch.url.appendingPathComponent(file)
            try FileManager.default.copyItem(at: resources.appendingPathComponent(file), to: copy)
            let result = try run(checker, [copy.path])
            #expect(result.status == 0, "\(file): \(result.stdout) \(result.stderr)")
        }
    }
}

/// Third-party tools the tests use, installed by Scripts/setup-test-deps.
enum TestTools {
    /// The package's root directory.
    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }

    /// The shared directory beside the project (`$OVERSIGHT_SHARED_DIR`, else `<root>/../shared`).
    static var sharedDirectory: URL {
        if let path = ProcessInfo.processInfo.environment["OVERSIGHT_SHARED_DIR"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        let beside = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
        return FileManager.default.fileExists(atPath: beside.path) ? beside : URL(fileURLWithPath: "/work/shared")
    }

    /// The venv's python with `varlink` installed, if present.
    static var python: URL? {
        let path = packageRoot.appendingPathComponent(".venv/bin/python")
        return FileManager.default.isExecutableFile(atPath: path.path) ? path : nil
    }
}

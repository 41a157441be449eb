import Foundation
import Logging
import NIOCore
import NIOPosix
import Testing
import Varlink

#if canImport(Glibc)
import Glibc
#endif

/// A temporary directory removed when the closure returns.
func withTemporaryDirectory<T>(_ body: (String) async throws -> T) async throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("vl-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try await body(path)
}

/// A logger that discards everything (tests assert on behaviour, not on logs).
let quietLogger: Logger = {
    var logger = Logger(label: "varlink-tests", factory: { _ in SwiftLogNoOpLogHandler() })
    logger.logLevel = .critical
    return logger
}()

let testServiceInfo = VarlinkServiceInfo(
    vendor: "Test", product: "VarlinkTests", version: "1", url: "https://example.org")

/// Starts a server with `handlers` on `<dir>/test.sock`, runs `body`, then shuts the server down.
func withServer<T>(
    handlers: [any VarlinkInterfaceHandler],
    configuration: VarlinkServerConfiguration = .init(),
    _ body: (_ server: VarlinkServer, _ socketPath: String) async throws -> T
) async throws -> T {
    try await withTemporaryDirectory { directory in
        let path = directory + "/test.sock"
        let server = VarlinkServer(
            info: testServiceInfo,
            handlers: handlers,
            configuration: configuration,
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            logger: quietLogger
        )
        try await server.start(unixSocketPath: path)
        do {
            let result = try await body(server, path)
            await server.shutdown(gracePeriod: .seconds(1))
            return result
        } catch {
            await server.shutdown(gracePeriod: .seconds(1))
            throw error
        }
    }
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while clock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return condition()
}

/// A raw Unix socket, to see exactly what goes over the wire.
///
/// Reads block in `poll` on the connection's own dispatch queue, never on the cooperative thread pool (blocking
/// it starves other tests and handlers on a 2-core machine).
/// `@unchecked Sendable`: the buffer is only touched from `queue`, sends are plain syscalls on an fd.
final class RawConnection: @unchecked Sendable {
    enum Failure: Error, CustomStringConvertible {
        case system(String, Int32)
        var description: String {
            switch self {
            case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
            }
        }
    }

    /// What a read produced.
    enum ReadResult: Equatable {
        case message(JSONValue)
        case closed
        case timedOut
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private let queue = DispatchQueue(label: "raw-connection")

    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure.system("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let pathBytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in pathBytes.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let code = errno
            Glibc.close(fd)
            throw Failure.system("connect", code)
        }
    }

    deinit { Glibc.close(fd) }

    /// Sends raw bytes.
    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard written > 0 else { throw Failure.system("send", errno) }
            offset += written
        }
    }

    /// Sends a JSON text and its NUL.
    func send(_ json: String) throws {
        try send(Array(json.utf8) + [0])
    }

    /// Closes the sending side (EOF for the server).
    func shutdownWrite() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads the next NUL-terminated message, waiting at most `timeout`.
    func read(timeout: Duration = .seconds(5)) async throws -> ReadResult {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try self.readBlocking(timeout: timeout) })
            }
        }
    }

    private func readBlocking(timeout: Duration) throws -> ReadResult {
        let clock = ContinuousClock()
        let deadline = clock.now + timeout
        while true {
            if let nul = buffer.firstIndex(of: 0) {
                let message = Array(buffer[..<nul])
                buffer.removeSubrange(...nul)
                return .message(try JSONValue.parse(message))
            }
            let remaining = deadline - clock.now
            guard remaining > .zero else { return .timedOut }
            var pollFD = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let milliseconds = Int32(
                max(1, remaining.components.seconds * 1000 + remaining.components.attoseconds / 1_000_000_000_000_000))
            let ready = poll(&pollFD, 1, milliseconds)
            if ready == 0 { return .timedOut }
            guard ready > 0 else { throw Failure.system("poll", errno) }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count == 0 { return .closed }
            if count < 0 {
                if errno == ECONNRESET { return .closed }
                throw Failure.system("recv", errno)
            }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    /// Reads a message and returns it, failing the test on timeout or close.
    func readMessage(
        timeout: Duration = .seconds(5),
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> JSONValue {
        let result = try await read(timeout: timeout)
        guard case .message(let message) = result else {
            Issue.record("expected a message, got \(result)", sourceLocation: sourceLocation)
            return .null
        }
        return message
    }
}

/// Paths of the package and of the shared tools.
enum TestPaths {
    /// The package root (two levels above this file's directory).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$OVERSIGHT_SHARED_DIR`, else `<root>/../shared` if it exists, else `/work/shared`.
    static var sharedDirectory: String {
        if let fromEnvironment = ProcessInfo.processInfo.environment["OVERSIGHT_SHARED_DIR"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        let sibling = packageRoot.deletingLastPathComponent().appendingPathComponent("shared").path
        if FileManager.default.fileExists(atPath: sibling) { return sibling }
        return "/work/shared"
    }

    static var python: String { packageRoot.appendingPathComponent(".venv/bin/python").path }

    static let setupHint = "run Scripts/setup-test-deps from the package root to install the third-party varlink tools"

    /// The absolute path of an executable on PATH, if any.
    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Records an issue (does not skip) when the python venv with varlink is missing.
    static func requirePython(sourceLocation: SourceLocation = #_sourceLocation) -> Bool {
        let ok =
            FileManager.default.isExecutableFile(atPath: python)
            && FileManager.default.fileExists(
                atPath: packageRoot.appendingPathComponent(".venv/lib/python3.11/site-packages/varlink").path
            )
        if !ok {
            Issue.record("python varlink 31.0.0 is missing in .venv: \(setupHint)", sourceLocation: sourceLocation)
        }
        return ok
    }

    /// Records an issue (does not skip) when varlink-go-certification is missing.
    static func requireGoCertification(sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        guard let path = which("varlink-go-certification") else {
            Issue.record("varlink-go-certification is missing: \(setupHint)", sourceLocation: sourceLocation)
            return nil
        }
        return path
    }
}

/// The result of a finished child process.
struct ProcessOutput {
    var status: Int32
    var output: String
}

/// Runs a process to completion (stdout and stderr merged), killing it after `timeout`.
func runProcess(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String] = [:],
    timeout: Duration = .seconds(120)
) async throws -> ProcessOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    process.environment = env
    let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("vl-out-\(UUID().uuidString)")
    _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
    defer { try? FileManager.default.removeItem(at: outputURL) }
    let handle = try FileHandle(forWritingTo: outputURL)
    process.standardOutput = handle
    process.standardError = handle
    try process.run()
    let clock = ContinuousClock()
    let deadline = clock.now + timeout
    while process.isRunning, clock.now < deadline {
        try await Task.sleep(for: .milliseconds(20))
    }
    if process.isRunning {
        // SIGKILL: children of the test's worker threads inherit a mask that blocks SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
    try handle.close()
    let output = (try? String(contentsOf: outputURL, encoding: .utf8)) ?? ""
    return ProcessOutput(status: process.terminationStatus, output: output)
}

/// A background process (a reference server), terminated by ``stop()``.
final class BackgroundProcess {
    private let process = Process()
    private let outputURL = FileManager.default.temporaryDirectory.appendingPathComponent("vl-bg-\(UUID().uuidString)")

    init(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        process.environment = env
        _ = FileManager.default.createFile(atPath: outputURL.path, contents: nil)
        let handle = try FileHandle(forWritingTo: outputURL)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
    }

    /// What the process printed so far.
    var output: String { (try? String(contentsOf: outputURL, encoding: .utf8)) ?? "" }

    /// Kills the process and waits for it.
    ///
    /// SIGKILL, because children spawned from the test's worker threads inherit a mask that blocks SIGTERM.
    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: outputURL)
    }
}

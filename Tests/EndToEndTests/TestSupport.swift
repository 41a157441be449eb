import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Where the built binaries are: next to the test bundle (`.build/<triple>/debug/`).
enum Binaries {
    static var directory: URL {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // The test binary may be inside OversightPackageTests.xctest/ on some layouts.
        while directory.path != "/"
            && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("oversightd").path)
        {
            directory = directory.deletingLastPathComponent()
        }
        return directory
    }

    static var daemon: URL { directory.appendingPathComponent("oversightd") }
    static var ctl: URL { directory.appendingPathComponent("oversightctl") }
}

/// The result of running a command to completion.
struct CommandResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// A temporary directory for one test: socket, state directory, files.
final class Scratch {
    let url: URL

    init() throws {
        // Unix socket paths are limited to 107 bytes: keep the directory short.
        let base = URL(fileURLWithPath: "/tmp", isDirectory: true)
        url = base.appendingPathComponent("ov-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    var socket: String { url.appendingPathComponent("d.sock").path }
    var stateDirectory: String { url.appendingPathComponent("state").path }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// Runs a process to completion and captures its output.
func run(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], timeout: Double = 30
) throws
    -> CommandResult
{
    let process = Process()
    process.executableURL = executable
    process.arguments = arguments
    var env = ProcessInfo.processInfo.environment
    env.merge(environment) { _, new in new }
    process.environment = env
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Read both pipes concurrently so a full pipe never blocks the child.
    let outData = LockedData()
    let errData = LockedData()
    let group = DispatchGroup()
    for (pipe, sink) in [(out, outData), (err, errData)] {
        group.enter()
        DispatchQueue.global().async {
            sink.set(pipe.fileHandleForReading.readDataToEndOfFile())
            group.leave()
        }
    }
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    if process.isRunning {
        process.terminate()
        Issue.record("\(executable.lastPathComponent) \(arguments) timed out")
    }
    process.waitUntilExit()
    group.wait()
    return CommandResult(
        status: process.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
        stderr: String(decoding: errData.get(), as: UTF8.self)
    )
}

/// A Data box shared between a reader thread and the test.
final class LockedData: @unchecked Sendable {
    /// Guarded by `lock`; @unchecked because NSLock protects every access.
    private var data = Data()
    private let lock = NSLock()
    func set(_ value: Data) { lock.lock(); data = value; lock.unlock() }
    func append(_ value: Data) { lock.lock(); data.append(value); lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

/// A running `oversightd` on a scratch socket and state directory.
final class Daemon {
    let process = Process()
    let scratch: Scratch
    let stderr = LockedData()

    /// Starts the daemon and waits until its socket accepts connections.
    init(scratch: Scratch, extraArguments: [String] = [], environment: [String: String] = [:]) throws {
        self.scratch = scratch
        process.executableURL = Binaries.daemon
        process.arguments = ["--socket", scratch.socket, "--state-dir", scratch.stateDirectory] + extraArguments
        var env = ProcessInfo.processInfo.environment
        env.merge(environment) { _, new in new }
        env["NOTIFY_SOCKET"] = environment["NOTIFY_SOCKET"]
        process.environment = env
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        let sink = stderr
        err.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if !chunk.isEmpty { sink.append(chunk) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if !process.isRunning { break }
            if Self.canConnect(scratch.socket) { return }
            usleep(20_000)
        }
        throw DaemonError.didNotStart(String(decoding: stderr.get(), as: UTF8.self))
    }

    enum DaemonError: Error { case didNotStart(String) }

    /// Runs `oversightctl` against this daemon.
    func ctl(_ arguments: String...) throws -> CommandResult {
        try ctl(arguments)
    }

    func ctl(_ arguments: [String]) throws -> CommandResult {
        try run(Binaries.ctl, arguments, environment: ["OVERSIGHT_SOCKET": scratch.socket])
    }

    /// Sends SIGTERM and waits for the exit status.
    @discardableResult
    func stop(signal: Int32 = SIGTERM) -> Int32 {
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        process.waitUntilExit()
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    static func canConnect(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() where index < buffer.count - 1 { buffer[index] = byte }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1)
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        } == 0
    }
}

/// Parses one JSON document printed by `--json`.
func json(_ text: String) throws -> [String: Any] {
    let object = try JSONSerialization.jsonObject(with: Data(text.utf8))
    guard let dictionary = object as? [String: Any] else { throw JSONShapeError.notAnObject(text) }
    return dictionary
}

enum JSONShapeError: Error { case notAnObject(String) }

import Foundation
import GRDB
import Logging
import OversightStore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// SplitMix64: a small seeded generator, so that a failing run can be repeated from its printed seed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// The seed for the test `name`: `OVERSIGHT_TEST_SEED` if set, else a fresh one; printed either way.
    static func seed(for name: String) -> UInt64 {
        let seed =
            ProcessInfo.processInfo.environment["OVERSIGHT_TEST_SEED"].flatMap { UInt64($0) }
            ?? UInt64.random(in: 1...UInt64.max)
        print("\(name): seed \(seed) (repeat with OVERSIGHT_TEST_SEED=\(seed))")
        return seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// What one read from a ``WireConnection`` produced.
enum WireRead {
    /// One reply object.
    case reply([String: Any])
    /// A message that is not a JSON object (a defect of the server).
    case malformed(Data)
    /// The server closed the connection (or reset it).
    case closed
    /// Nothing arrived in time.
    case timedOut
}

/// A blocking varlink connection on a raw Unix socket, for load, fault and fuzz input from many threads.
///
/// Not thread-safe: one thread uses one connection.
final class WireConnection {
    private let fd: Int32
    private var buffer: [UInt8] = []

    /// Connects to `path`; reads wait at most `timeout` seconds.
    init(path: String, timeout: Double = 10) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw WireError.system("socket", errno) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (index, byte) in bytes.enumerated() where index < raw.count - 1 { raw[index] = byte }
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            Glibc.close(fd)
            throw WireError.system("connect", code)
        }
        var interval = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &interval, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { Glibc.close(fd) }

    /// Sends raw bytes; false if the server has closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { return false }
            offset += written
        }
        return true
    }

    /// Sends one call object and its NUL.
    @discardableResult
    func send(method: String, _ parameters: [String: Any] = [:], more: Bool = false) -> Bool {
        var call: [String: Any] = ["method": method, "parameters": parameters]
        if more { call["more"] = true }
        guard let data = try? JSONSerialization.data(withJSONObject: call) else { return false }
        return send(Array(data) + [0])
    }

    /// Closes the sending side: the server sees EOF.
    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads the next message.
    func read() -> WireRead {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let message = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let object = try? JSONSerialization.jsonObject(with: message) as? [String: Any] else {
                    return .malformed(message)
                }
                return .reply(object)
            }
            var chunk = [UInt8](repeating: 0, count: 65536)
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer += chunk[..<count]
            } else if count == 0 {
                return .closed
            } else if errno == EINTR {
                continue
            } else if errno == EAGAIN || errno == EWOULDBLOCK {
                return .timedOut
            } else {
                return .closed
            }
        }
    }

    /// Calls `method` and returns its reply (an error reply included).
    func call(_ method: String, _ parameters: [String: Any] = [:]) throws -> [String: Any] {
        guard send(method: method, parameters) else { throw WireError.closed(method) }
        switch read() {
        case .reply(let reply): return reply
        case .malformed(let data): throw WireError.malformed(String(decoding: data, as: UTF8.self))
        case .closed: throw WireError.closed(method)
        case .timedOut: throw WireError.timedOut(method)
        }
    }

    /// Calls `method` and returns its parameters, throwing the error reply as ``WireError/failed(_:_:)``.
    func parameters(_ method: String, _ parameters: [String: Any] = [:]) throws -> [String: Any] {
        let reply = try call(method, parameters)
        if let error = reply["error"] as? String { throw WireError.failed(error, "\(reply["parameters"] ?? [:])") }
        return reply["parameters"] as? [String: Any] ?? [:]
    }
}

/// Why a ``WireConnection`` call did not give a reply.
enum WireError: Error, CustomStringConvertible {
    case system(String, Int32)
    case closed(String)
    case timedOut(String)
    case malformed(String)
    case failed(String, String)

    var description: String {
        switch self {
        case .system(let call, let code): "\(call): \(String(cString: strerror(code)))"
        case .closed(let method): "the daemon closed the connection during \(method)"
        case .timedOut(let method): "no reply to \(method) in time"
        case .malformed(let text): "a reply that is not a JSON object: \(text.prefix(200))"
        case .failed(let name, let parameters): "\(name) \(parameters)"
        }
    }
}

/// Runs `body(index)` on `count` threads of their own at once (blocking I/O must not starve a shared pool), and
/// waits for all of them.
func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
    group.wait()
}

/// Values collected from many threads.
final class Collected<Value>: @unchecked Sendable {
    /// Guarded by `lock`; @unchecked because NSLock protects every access.
    private var values: [Value] = []
    private let lock = NSLock()

    func append(_ value: Value) { lock.lock(); values.append(value); lock.unlock() }
    func append(contentsOf more: [Value]) { lock.lock(); values += more; lock.unlock() }
    var all: [Value] { lock.lock(); defer { lock.unlock() }; return values }
}

/// A flag one thread sets and others poll.
final class StopFlag: @unchecked Sendable {
    /// Guarded by `lock`; @unchecked because NSLock protects every access.
    private var raised = false
    private let lock = NSLock()

    func raise() { lock.lock(); raised = true; lock.unlock() }
    var isRaised: Bool { lock.lock(); defer { lock.unlock() }; return raised }
}

/// The resident set size of process `pid` in KiB (`VmRSS` in `/proc/PID/status`), or nil if it is gone.
func residentKiB(of pid: Int32) -> Int? {
    guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
    }
    return nil
}

/// Raises this process's open-file limit (inherited by the daemons it starts) to at least `wanted`, if allowed.
///
/// - Returns: The soft limit in force afterwards.
@discardableResult
func raiseOpenFileLimit(to wanted: UInt) -> UInt {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    if limit.rlim_cur < wanted {
        limit.rlim_cur = min(wanted, limit.rlim_max)
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
    return limit.rlim_cur
}

/// Every event of the log, read page by page with `org.oversight.log.Show`.
func allEvents(_ connection: WireConnection) throws -> [[String: Any]] {
    var events: [[String: Any]] = []
    while true {
        let page = try connection.parameters("org.oversight.log.Show", ["after": events.count, "limit": 10000])
        let batch = page["events"] as? [[String: Any]] ?? []
        events += batch
        if batch.isEmpty || events.count >= (page["head"] as? Int ?? 0) { return events }
    }
}

/// The command id recorded with an event, if any.
func commandID(of event: [String: Any]) -> String? {
    event["commandId"] as? String
}

/// Checks a stopped (or killed) daemon's database offline, on a copy: the hash chain verifies, every projection's
/// checkpoint is at the head, and every read-model table equals a rebuild from the events.
func expectReadModelsEqualRebuild(stateDirectory: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let copy = URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("ov-copy-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: copy) }
    let database = copy.appendingPathComponent("oversight.sqlite").path
    let source = (stateDirectory as NSString).appendingPathComponent("oversight.sqlite")
    for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
        try FileManager.default.copyItem(atPath: source + suffix, toPath: database + suffix)
    }
    // A plain connection replays the write-ahead log as it stands, without catching projections up.
    let (head, lagging) = try DatabaseQueue(path: database).read { db in
        let head = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(position), 0) FROM event") ?? 0
        let lagging = try String.fetchAll(
            db, sql: "SELECT name FROM projection_checkpoint WHERE position != ?", arguments: [head])
        return (head, lagging)
    }
    #expect(lagging.isEmpty, "read models behind the head \(head): \(lagging)", sourceLocation: sourceLocation)
    let live = try DemoYearTests.dumpReadModels(database)
    var logger = Logger(label: "test")
    logger.logLevel = .warning
    let log = try SQLiteEventLog(path: database, projections: ReadModels.all, logger: logger)
    let verification = try log.verifyChain()
    #expect(verification.isIntact, "hash chain: \(verification)", sourceLocation: sourceLocation)
    try log.rebuildProjections()
    let rebuilt = try DemoYearTests.dumpReadModels(database)
    #expect(rebuilt.keys.sorted() == live.keys.sorted(), sourceLocation: sourceLocation)
    for table in live.keys.sorted() where rebuilt[table] != live[table] {
        Issue.record("read model \(table) differs from a rebuild", sourceLocation: sourceLocation)
    }
}

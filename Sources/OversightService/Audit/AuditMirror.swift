import Foundation
import Logging
import OversightStore
import Synchronization
import Varlink

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The audit mirror: every committed event appended as one JSON line to a plain file, for `tail -f` and log
/// shippers.
///
/// A line holds `position`, `recordedAt`, `stream`, `version`, `type`, `actor`, `uid`, `commandId`, `data` (the
/// stored JSON, verbatim), `prevHash` and `hash`. The file is only ever appended to (`O_APPEND`). The log stays
/// the truth: at start-up ``open(path:log:logger:)`` reconciles the mirror with it — a partial last line left by
/// a crash is cut off, the last complete line is compared with the log's event at that position (a mismatch is
/// reported), and the events after it are appended, so no line is missing or written twice.
final class AuditMirror: Sendable {
    /// The mirror's path.
    let path: String
    private let fd: Int32
    private let logger: Logger
    /// The last position written, and the first problem found (reported by `Audit.Info`).
    private let state: Mutex<(last: Int64, problem: String?)>

    /// Why the mirror cannot be used; the daemon does not start.
    struct MirrorError: Error, CustomStringConvertible {
        var description: String
    }

    private init(path: String, fd: Int32, last: Int64, problem: String?, logger: Logger) {
        self.path = path
        self.fd = fd
        self.logger = logger
        self.state = Mutex((last, problem))
    }

    deinit { close(fd) }

    /// The first problem found in the mirror since start, if any.
    var problem: String? { state.withLock { $0.problem } }

    /// Opens (creating if needed) the mirror at `path` and brings it level with `log`.
    static func open(path: String, log: SQLiteEventLog, logger: Logger) throws -> AuditMirror {
        let directory = (path as NSString).deletingLastPathComponent
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw MirrorError(
                description: "cannot create the audit mirror's directory \(directory): \(error.localizedDescription)")
        }
        let fd = Glibc.open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else {
            throw MirrorError(description: "cannot open the audit mirror \(path): \(String(cString: strerror(errno)))")
        }
        do {
            let (last, problem) = try reconcileTail(fd: fd, path: path, log: log, logger: logger)
            let mirror = AuditMirror(path: path, fd: fd, last: last, problem: problem, logger: logger)
            try mirror.catchUp(log)
            return mirror
        } catch {
            close(fd)
            throw error
        }
    }

    /// Appends `events` (in log order, after a commit); events already in the mirror are skipped.
    func append(_ events: [RecordedEvent]) {
        let last = state.withLock { $0.last }
        let fresh = events.filter { $0.position > last }
        guard let newest = fresh.last else { return }
        var text = ""
        for event in fresh { text += Self.line(event) + "\n" }
        do {
            try write(text)
            state.withLock { $0.last = newest.position }
        } catch {
            // The log has the events; the next start appends what is missing.
            report("the audit mirror could not be written (\(error)); it will be completed at the next start")
        }
    }

    /// Appends every event of the log after the mirror's last line.
    private func catchUp(_ log: SQLiteEventLog) throws {
        var appended: Int64 = 0
        while true {
            let after = state.withLock { $0.last }
            let page = try log.events(after: after, limit: 1000)
            guard let newest = page.last else { break }
            try write(page.map { Self.line($0) + "\n" }.joined())
            state.withLock { $0.last = newest.position }
            appended += Int64(page.count)
        }
        if appended > 0 {
            logger.notice(
                "Audit mirror completed from the log", metadata: [LogKey.path: "\(path)", LogKey.events: "\(appended)"])
        }
    }

    private func report(_ problem: String) {
        logger.error("Audit mirror problem", metadata: [LogKey.path: "\(path)", LogKey.error: "\(problem)"])
        state.withLock { state in
            if state.problem == nil { state.problem = problem }
        }
    }

    private func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if result < 0, errno == EINTR { continue }
            guard result > 0 else { throw MirrorError(description: String(cString: strerror(errno))) }
            written += result
        }
    }

    /// One event as a mirror line: a JSON object with its keys in sorted order, then `data` last.
    ///
    /// The stored `data` text is inserted verbatim (it is JSON without line breaks; one that has any is
    /// re-serialized); strings go through the varlink JSON serializer. Written directly, in the order
    /// `JSONValue` sorts the keys, since every committed event goes through here.
    static func line(_ event: RecordedEvent) -> String {
        let data =
            event.data.utf8.contains(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") })
            ? ((try? JSONValue.parse(event.data))?.jsonString ?? "null") : event.data
        var text = "{\"actor\":" + JSONValue.string(event.meta.actor).jsonString
        if let commandID = event.meta.commandID {
            text += ",\"commandId\":" + JSONValue.string(commandID).jsonString
        }
        text += ",\"hash\":\"" + event.hash.hex + "\",\"position\":" + String(event.position)
        text += ",\"prevHash\":\"" + event.prevHash.hex + "\",\"recordedAt\":\"" + Timestamp.format(event.recordedAt)
        text += "\",\"stream\":" + JSONValue.string(event.stream).jsonString
        text += ",\"type\":" + JSONValue.string(event.type).jsonString
        if let uid = event.meta.uid { text += ",\"uid\":" + String(uid) }
        text += ",\"version\":" + String(event.version) + ",\"data\":" + data + "}"
        return text
    }

    /// Cuts a partial last line, and checks the last complete line against the log.
    ///
    /// - Returns: The position of the last line (0 for an empty mirror) and the problem found, if any.
    private static func reconcileTail(
        fd: Int32, path: String, log: SQLiteEventLog, logger: Logger
    ) throws
        -> (Int64, String?)
    {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw MirrorError(description: "cannot read the audit mirror \(path): \(String(cString: strerror(errno)))")
        }
        let size = Int64(info.st_size)
        guard size > 0 else { return (0, nil) }
        // The last line: read backwards in chunks until a newline before it is found.
        var tail: [UInt8] = []
        var offset = size
        var lineStart: Int64?
        while offset > 0 && lineStart == nil {
            let chunk = min(Int64(65_536), offset)
            offset -= chunk
            var buffer = [UInt8](repeating: 0, count: Int(chunk))
            let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, Int(chunk), off_t(offset)) }
            guard count == Int(chunk) else {
                throw MirrorError(
                    description: "cannot read the audit mirror \(path): \(String(cString: strerror(errno)))")
            }
            tail = buffer + tail
            // Ignore the file's final newline when looking for the start of the last line.
            let searchEnd = tail.last == 0x0A ? tail.count - 1 : tail.count
            if let index = tail[..<searchEnd].lastIndex(of: 0x0A) {
                lineStart = offset + Int64(index) + 1
            }
        }
        let start = lineStart ?? 0
        var lastLine = Array(tail[Int(start - offset)...])
        if lastLine.last != 0x0A {
            // A line cut short by a crash: it was never complete, so it is removed and written again in full.
            guard ftruncate(fd, off_t(start)) == 0 else {
                throw MirrorError(
                    description: "cannot repair the audit mirror \(path): \(String(cString: strerror(errno)))")
            }
            logger.notice("Audit mirror: removed a partial last line", metadata: [LogKey.path: "\(path)"])
            guard start > 0 else { return (0, nil) }
            return try reconcileTail(fd: fd, path: path, log: log, logger: logger)
        }
        lastLine.removeLast()
        guard let object = try? JSONValue.parse(String(decoding: lastLine, as: UTF8.self)),
            let position = object["position"]?.intValue, position > 0, let hash = object["hash"]?.stringValue
        else {
            let problem = "the last line of the audit mirror \(path) is not an event line"
            logger.error("Audit mirror problem", metadata: [LogKey.error: "\(problem)"])
            throw MirrorError(description: problem + "; move the file aside so that the daemon writes a new one")
        }
        let head = try log.head().position
        guard position <= head else {
            let problem =
                "the audit mirror ends at position \(position) but the log at \(head): "
                + "the log has lost events the mirror recorded"
            logger.error("Audit mirror problem", metadata: [LogKey.error: "\(problem)"])
            return (position, problem)
        }
        let event = try log.events(after: position - 1, limit: 1).first
        guard let event, event.hash.hex == hash else {
            let problem =
                "the audit mirror's line for position \(position) has hash \(hash), the log's event has "
                + (event?.hash.hex ?? "none")
            logger.error("Audit mirror problem", metadata: [LogKey.error: "\(problem)"])
            return (position, problem)
        }
        return (position, nil)
    }
}

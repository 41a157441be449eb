import ArgumentParser
import Foundation
import Synchronization
import Varlink

#if canImport(Glibc)
import Glibc
#endif

/// Where a reader of the log stopped: the position and hash of the last event it printed.
///
/// Stored in a cursor file as one line of JSON, `{"hash":"<64 hex digits>","position":N}`, replaced atomically
/// (written to a temporary file in the same directory, then renamed over it) after each printed event.
struct LogCursor: Equatable {
    /// The position of the last printed event.
    var position: Int64
    /// The hash of that event (lowercase hex).
    var hash: String

    /// Why a cursor file cannot be used.
    enum Problem: Error, CustomStringConvertible {
        /// The file exists but cannot be read.
        case unreadable(path: String, reason: String)
        /// The file's content is not a cursor.
        case malformed(path: String)
        /// The file cannot be written.
        case unwritable(path: String, reason: String)

        var description: String {
            switch self {
            case .unreadable(let path, let reason): "the cursor file \(path) cannot be read: \(reason)"
            case .malformed(let path):
                "the cursor file \(path) is not a cursor written by oversightctl log "
                    + "(expected one line {\"hash\":\"<64 hex digits>\",\"position\":N}); "
                    + "remove it to start from --after, or point --cursor-file elsewhere"
            case .unwritable(let path, let reason): "the cursor file \(path) cannot be written: \(reason)"
            }
        }
    }

    /// The cursor in `path`, or nil when there is no such file.
    static func read(_ path: String) throws -> LogCursor? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Problem.unreadable(path: path, reason: error.localizedDescription)
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let value = try? JSONValue.parse(text), let object = value.objectValue, object.count == 2,
            let position = object["position"]?.intValue, position >= 1, let hash = object["hash"]?.stringValue,
            hash.utf8.count == 64, hash.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        else { throw Problem.malformed(path: path) }
        return LogCursor(position: position, hash: hash)
    }

    /// The cursor at `event` (a wire `Event`), or nil when it lacks a position or hash.
    init?(event: JSONValue) {
        guard let position = event["position"]?.intValue, let hash = event["hash"]?.stringValue else { return nil }
        self.init(position: position, hash: hash)
    }

    init(position: Int64, hash: String) {
        self.position = position
        self.hash = hash
    }

    /// Replaces `path` with this cursor: a temporary file beside it, then `rename(2)`.
    func write(to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(
            ".\(url.lastPathComponent).tmp-\(getpid())")
        let line = JSONValue.object(["position": .int(position), "hash": .string(hash)]).jsonString + "\n"
        do {
            try Data(line.utf8).write(to: temporary)
        } catch {
            throw Problem.unwritable(path: path, reason: error.localizedDescription)
        }
        guard rename(temporary.path, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary.path)
            throw Problem.unwritable(path: path, reason: reason)
        }
    }
}

/// Makes "print an event, then move the cursor past it" one step that SIGINT and SIGTERM do not split.
///
/// While a cursor file is kept, both signals are caught: outside a step the process exits at once (status 130
/// or 143); inside one it exits as soon as the step is done. So an interrupted reader never leaves an event
/// printed but not in its cursor, or the reverse. (SIGKILL cannot be caught: killed between the two writes,
/// the reader prints that one event again on resume.)
final class CursorSteps {
    private struct State {
        var inStep = false
        var pendingSignal: Int32?
    }

    /// The state shared with the signal handlers.
    private final class Shared: Sendable {
        let state = Mutex(State())
    }

    private let shared = Shared()
    private let sources: [any DispatchSourceSignal]

    /// Catches SIGINT and SIGTERM until the process ends.
    init() {
        let shared = self.shared
        sources = [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                let exitNow = shared.state.withLock { state -> Bool in
                    if state.inStep {
                        state.pendingSignal = number
                        return false
                    }
                    return true
                }
                if exitNow { exit(128 + number) }
            }
            source.resume()
            return source
        }
    }

    /// Runs `body` with SIGINT and SIGTERM held off; exits after it if one arrived meanwhile.
    func step(_ body: () throws -> Void) rethrows {
        shared.state.withLock { $0.inStep = true }
        defer {
            let pending = shared.state.withLock { state -> Int32? in
                state.inStep = false
                return state.pendingSignal
            }
            if let pending { exit(128 + pending) }
        }
        try body()
    }
}

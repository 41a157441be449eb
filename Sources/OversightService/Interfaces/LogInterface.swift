import Foundation
import GRDB
import OversightStore
import Varlink

/// `org.oversight.log`: read, follow and verify the event log, and the daemon's status.
struct LogInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let log: SQLiteEventLog
    let followers: FollowerHub
    let threadPool: QueryRunner
    let status: @Sendable () -> DaemonStatus

    init(
        log: SQLiteEventLog, followers: FollowerHub, queries: QueryRunner,
        status: @escaping @Sendable () -> DaemonStatus
    )
        throws
    {
        self.interface = try InterfaceResources.load("org.oversight.log")
        self.log = log
        self.followers = followers
        self.threadPool = queries
        self.status = status
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        let log = self.log
        do {
            switch call.methodName {
            case "Show":
                let after = try Self.position(parameters, "after")
                let limit = try parameters.optionalInt("limit") ?? 100
                guard (1...10_000).contains(limit) else {
                    throw parameters.invalid("limit", "limit must be between 1 and 10000, not \(limit)")
                }
                let cursorHash = try Self.cursorHash(parameters)
                let filter = try Self.filter(parameters)
                threadPool.run(call, responder) {
                    if let cursorHash {
                        let found = try log.event(at: after)?.hash
                        guard found == cursorHash else {
                            throw FollowerHub.cursorMismatch(position: after, expected: cursorHash, found: found)
                        }
                    }
                    let page = try log.events(
                        after: after, limit: limit, matching: filter, scanLimit: Self.showScanLimit)
                    return [
                        "events": .array(try page.events.map(Self.encode)), "head": .int(page.head),
                        "next": .int(page.scannedThrough),
                    ]
                }
            case "Follow":
                let after = try Self.position(parameters, "after")
                followers.follow(
                    after: after, cursorHash: try Self.cursorHash(parameters), filter: try Self.filter(parameters),
                    responder: responder)
            case "Verify":
                threadPool.run(call, responder) {
                    let report = try log.verifyChain()
                    var reply: [String: JSONValue] = [
                        "intact": .bool(report.isIntact), "checked": .int(report.checked),
                        "headPosition": .int(report.head.position), "headHash": .string(report.head.hash.hex),
                    ]
                    reply["firstBadPosition"] = report.firstBadPosition.map(JSONValue.int)
                    reply["problem"] = report.problem.map(JSONValue.string)
                    return reply
                }
            case "Status":
                let status = self.status
                threadPool.run(call, responder) {
                    let head = try log.head()
                    let current = status()
                    let projections = try log.projectionCheckpoints().map { checkpoint -> JSONValue in
                        .object([
                            "name": .string(checkpoint.name), "version": .int(Int64(checkpoint.version)),
                            "position": .int(checkpoint.position), "lag": .int(head.position - checkpoint.position),
                        ])
                    }
                    return [
                        "version": .string(current.version), "headPosition": .int(head.position),
                        "headHash": .string(head.hash.hex), "databaseBytes": .int(try log.databaseSize()),
                        "uptimeSeconds": .double(current.uptimeSeconds),
                        "connections": .int(Int64(current.connections)),
                        "stateDirectory": .string(current.stateDirectory), "projections": .array(projections),
                    ]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// How many positions one `Show` looks at, at most (it says where to continue in `next`).
    static let showScanLimit = 50_000

    /// The filter of a `Show` or `Follow` call (every part optional; see the interface's comments).
    static func filter(_ parameters: Parameters) throws -> EventFilter {
        func patterns(_ name: String) throws -> [EventFilter.Pattern] {
            try parameters.stringArray(name).map { text in
                guard let pattern = EventFilter.Pattern(parsing: text) else {
                    throw parameters.invalid(
                        name,
                        "\(name) must be a name or a prefix ending in * (such as topic-*), with no other *, "
                            + "not \"\(text)\"")
                }
                return pattern
            }
        }
        func time(_ name: String) throws -> String? {
            guard let text = parameters.optionalString(name) else { return nil }
            guard let stored = EventFilter.timestamp(parsing: text) else {
                throw parameters.invalid(
                    name,
                    "\(name) must be a UTC time written YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DDTHH:MM:SS.mmmZ, "
                        + "not \"\(text)\"")
            }
            return stored
        }
        let actors = parameters.stringArray("actor")
        if actors.contains(where: \.isEmpty) { throw parameters.invalid("actor", "actor must not be empty") }
        let filter = EventFilter(
            streams: try patterns("stream"), types: try patterns("type"), actors: actors, since: try time("since"),
            until: try time("until"))
        if let since = filter.since, let until = filter.until, since > until {
            throw parameters.invalid("until", "until (\(until)) is before since (\(since))")
        }
        return filter
    }

    /// The `afterHash` of a call, as bytes.
    private static func cursorHash(_ parameters: Parameters) throws -> Data? {
        guard let text = parameters.optionalString("afterHash") else { return nil }
        guard let hash = bytes(hex: text), hash.count == 32 else {
            throw parameters.invalid("afterHash", "afterHash must be a SHA-256 hash: 64 hex digits")
        }
        return hash
    }

    /// The bytes written as hexadecimal digits (either case), or nil when `text` is not that.
    private static func bytes(hex text: String) -> Data? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
            default: nil
            }
        }
        var bytes = Data(capacity: digits.count / 2)
        for index in stride(from: 0, to: digits.count, by: 2) {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
        }
        return bytes
    }

    private static func position(_ parameters: Parameters, _ name: String) throws -> Int64 {
        let value = try parameters.optionalInt(name) ?? 0
        guard value >= 0 else { throw parameters.invalid(name, "\(name) must be a log position, 0 or more") }
        return Int64(value)
    }

    /// The wire form of a recorded event (type `Event` of the interface).
    static func encode(_ event: RecordedEvent) throws -> JSONValue {
        var object: [String: JSONValue] = [
            "position": .int(event.position), "stream": .string(event.stream), "version": .int(event.version),
            "type": .string(event.type), "recordedAt": .string(Timestamp.format(event.recordedAt)),
            "actor": .string(event.meta.actor), "data": try JSONValue.parse(event.data),
            "prevHash": .string(event.prevHash.hex), "hash": .string(event.hash.hex),
        ]
        object["uid"] = event.meta.uid.map(JSONValue.int)
        object["commandId"] = event.meta.commandID.map(JSONValue.string)
        return .object(object)
    }
}

/// What `Log.Status` reports about the running daemon besides the log.
struct DaemonStatus: Sendable {
    var version: String
    var uptimeSeconds: Double
    var connections: Int
    var stateDirectory: String
}

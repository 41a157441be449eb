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
                threadPool.run(call, responder) {
                    let events = try log.events(after: after, limit: limit)
                    return ["events": .array(try events.map(Self.encode)), "head": .int(try log.head().position)]
                }
            case "Follow":
                let after = try Self.position(parameters, "after")
                followers.follow(after: after, responder: responder)
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

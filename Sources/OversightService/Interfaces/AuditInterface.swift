import Foundation
import OversightAudit
import OversightStore
import Varlink

/// `org.oversight.audit`: signed checkpoints, inclusion and consistency proofs, and raw events for archives.
///
/// Reads run on the query pool; signing goes through the writer (``Checkpointer``). Every method is open to
/// the reader role: a checkpoint attests what is already recorded and writes no event.
struct AuditInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let log: SQLiteEventLog
    let checkpointer: Checkpointer
    let mirror: AuditMirror?
    let queries: QueryRunner

    init(log: SQLiteEventLog, checkpointer: Checkpointer, mirror: AuditMirror?, queries: QueryRunner) throws {
        self.interface = try InterfaceResources.load("org.oversight.audit")
        self.log = log
        self.checkpointer = checkpointer
        self.mirror = mirror
        self.queries = queries
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        let log = self.log
        let checkpointer = self.checkpointer
        do {
            switch call.methodName {
            case "Info":
                let mirror = self.mirror
                queries.run(call, responder) {
                    var reply: [String: JSONValue] = [
                        "verifierKey": .string(checkpointer.signer.verifier.encoded),
                        "origin": .string(checkpointer.signer.verifier.name),
                        "headPosition": .int(try log.head().position),
                        "checkpointEvery": .int(Int64(checkpointer.settings.checkpointEvery)),
                    ]
                    reply["checkpointIntervalSeconds"] = checkpointer.settings.checkpointInterval.map {
                        .int($0.components.seconds)
                    }
                    reply["mirror"] = mirror.map { .string($0.path) }
                    reply["mirrorProblem"] = mirror?.problem.map(JSONValue.string)
                    reply["latest"] = try log.latestCheckpoint().map(Self.encode)
                    return reply
                }
            case "Latest":
                queries.run(call, responder) {
                    var reply: [String: JSONValue] = [:]
                    reply["checkpoint"] = try log.latestCheckpoint().map(Self.encode)
                    return reply
                }
            case "Sign":
                let interface = call.interface
                Task {
                    do {
                        let before = try log.latestCheckpoint()?.size
                        guard let checkpoint = try await checkpointer.signNow() else { throw Self.emptyLog(interface) }
                        responder.reply([
                            "checkpoint": Self.encode(checkpoint), "created": .bool(checkpoint.size != before),
                        ])
                    } catch {
                        responder.fail(ErrorMapping.varlinkError(error, interface: interface))
                    }
                }
            case "Checkpoints":
                let before = try parameters.optionalInt("before") ?? Int(Int64.max)
                let limit = try Self.limit(parameters, default: 100)
                queries.run(call, responder) {
                    let rows = try log.checkpoints(limit: limit, before: Int64(before))
                    return ["checkpoints": .array(rows.map(Self.encode))]
                }
            case "Prove":
                let position = try parameters.int("position")
                guard position >= 1 else { throw parameters.invalid("position", "a position is 1 or more") }
                let treeSize = try parameters.optionalInt("treeSize")
                if let treeSize, treeSize < position {
                    throw parameters.invalid(
                        "treeSize", "the tree of \(treeSize) events does not contain position \(position)")
                }
                withTreeSize(treeSize, covering: Int64(position), call, responder) { size in
                    let inclusion = try log.inclusionProof(position: Int64(position), treeSize: size)
                    var reply: [String: JSONValue] = [
                        "event": Self.encode(inclusion.event), "treeSize": .int(size),
                        "proof": .array(inclusion.proof.map { .string($0.base64EncodedString()) }),
                        "rootHash": .string(inclusion.rootHash.base64EncodedString()),
                    ]
                    reply["checkpoint"] = try log.checkpoint(size: size).map(Self.encode)
                    return reply
                }
            case "Consistency":
                let oldSize = try parameters.int("oldSize")
                guard oldSize >= 0 else { throw parameters.invalid("oldSize", "a tree size is 0 or more") }
                let newSize = try parameters.optionalInt("newSize")
                if let newSize, newSize < oldSize {
                    throw parameters.invalid("newSize", "the new tree size \(newSize) is below the old \(oldSize)")
                }
                withTreeSize(newSize, covering: Int64(oldSize), call, responder) { size in
                    let consistency = try log.consistencyProof(oldSize: Int64(oldSize), newSize: size)
                    var reply: [String: JSONValue] = [
                        "oldRoot": .string(consistency.oldRoot.base64EncodedString()),
                        "newRoot": .string(consistency.newRoot.base64EncodedString()),
                        "proof": .array(consistency.proof.map { .string($0.base64EncodedString()) }),
                    ]
                    reply["checkpoint"] = try log.checkpoint(size: size).map(Self.encode)
                    return reply
                }
            case "Events":
                let after = try parameters.optionalInt("after") ?? 0
                guard after >= 0 else { throw parameters.invalid("after", "after must be a log position, 0 or more") }
                let limit = try Self.limit(parameters, default: 1000)
                queries.run(call, responder) {
                    [
                        "events": .array(try log.rawEvents(after: Int64(after), limit: limit).map(Self.encode)),
                        "head": .int(try log.head().position),
                    ]
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(ErrorMapping.varlinkError(error, interface: call.interface))
        }
    }

    /// Runs `body` with the tree size asked for, or with the newest checkpoint's size — signing a checkpoint
    /// first when the newest does not reach `position`.
    private func withTreeSize(
        _ asked: Int?, covering position: Int64, _ call: VarlinkCall, _ responder: VarlinkResponder,
        _ body: @escaping @Sendable (Int64) throws -> [String: JSONValue]
    ) {
        if let asked {
            queries.run(call, responder) { try Self.mapped(call.interface) { try body(Int64(asked)) } }
            return
        }
        let log = self.log
        let checkpointer = self.checkpointer
        let queries = self.queries
        let interface = call.interface
        Task {
            do {
                var size = try log.latestCheckpoint()?.size ?? 0
                if size < max(position, 1) {
                    guard let signed = try await checkpointer.signNow() else { throw Self.emptyLog(interface) }
                    size = signed.size
                }
                let chosen = size
                queries.run(call, responder) { try Self.mapped(interface) { try body(chosen) } }
            } catch {
                responder.fail(ErrorMapping.varlinkError(error, interface: interface))
            }
        }
    }

    /// Turns the store's refusals of an audit query into `InvalidArgument`.
    private static func mapped(
        _ interface: String, _ body: () throws -> [String: JSONValue]
    ) throws
        -> [String: JSONValue]
    {
        do {
            return try body()
        } catch let error as AuditQueryError {
            let parameter =
                switch error {
                case .beyondHead: "treeSize"
                case .positionOutsideTree: "position"
                case .oldLargerThanNew: "oldSize"
                }
            throw VarlinkError(
                "\(interface).InvalidArgument",
                parameters: ["parameter": .string(parameter), "message": .string(error.description)])
        }
    }

    private static func emptyLog(_ interface: String) -> VarlinkError {
        VarlinkError(
            "\(interface).EmptyLog", parameters: ["message": .string("the log has no events yet: nothing to sign")])
    }

    private static func limit(_ parameters: Parameters, default value: Int) throws -> Int {
        let limit = try parameters.optionalInt("limit") ?? value
        guard (1...10_000).contains(limit) else {
            throw parameters.invalid("limit", "limit must be between 1 and 10000, not \(limit)")
        }
        return limit
    }

    /// The wire form of a stored checkpoint (type `Checkpoint`).
    static func encode(_ checkpoint: StoredCheckpoint) -> JSONValue {
        .object([
            "size": .int(checkpoint.size), "rootHash": .string(checkpoint.rootHash.base64EncodedString()),
            "signedAt": .string(checkpoint.signedAt), "note": .string(checkpoint.note),
        ])
    }

    /// The wire form of a raw event (type `RawEvent`).
    static func encode(_ event: RawEvent) -> JSONValue {
        .object([
            "position": .int(event.position), "stream": .string(event.stream), "version": .int(event.version),
            "type": .string(event.type), "data": .string(event.data), "meta": .string(event.meta),
            "recordedAt": .string(event.recordedAt), "prevHash": .string(event.prevHash.hex),
            "hash": .string(event.hash.hex),
        ])
    }
}

import Dispatch
import Foundation
import OversightStore
import Varlink

/// `org.oversight.admin`: online backup and read-model rebuild, reserved to the admin role.
///
/// Both run on one serial queue of their own, never on an event loop nor on the query pool: a long backup does
/// not hold up queries, and two administrative operations never run at once. A rebuild replays the log into a
/// snapshot copy off the writer, so commands keep committing; they wait only for the short swap of the tables.
struct AdminInterface: VarlinkInterfaceHandler {
    let interface: VarlinkInterface
    let log: SQLiteEventLog
    private let queue = DispatchQueue(label: "oversight-admin", qos: .utility)

    init(log: SQLiteEventLog) throws {
        self.interface = try InterfaceResources.load("org.oversight.admin")
        self.log = log
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = Parameters(call)
        let log = self.log
        let name = call.interface
        do {
            switch call.methodName {
            case "Backup":
                let path = try parameters.string("path")
                guard path.hasPrefix("/") else {
                    throw parameters.invalid(
                        "path",
                        "the backup path must be absolute: the daemon writes the file on its own machine "
                            + "(under systemd, inside /var/lib/oversight), not \"\(path)\"")
                }
                queue.async {
                    do {
                        responder.reply(Self.encode(try log.backup(to: path)))
                    } catch {
                        responder.fail(Self.varlinkError(error, interface: name))
                    }
                }
            case "Rebuild":
                let projection = parameters.optionalString("name")
                queue.async {
                    do {
                        let result = try log.rebuildProjectionsOnline(named: projection.map { [$0] })
                        responder.reply([
                            "rebuilt": .array(result.rebuilt.map(JSONValue.string)),
                            "headPosition": .int(result.head.position),
                        ])
                    } catch {
                        responder.fail(Self.varlinkError(error, interface: name))
                    }
                }
            default:
                responder.fail(.methodNotImplemented(call.methodName))
            }
        } catch {
            responder.fail(Self.varlinkError(error, interface: name))
        }
    }

    /// The wire form of a backup report.
    private static func encode(_ report: BackupReport) -> [String: JSONValue] {
        let verification = report.verification
        var reply: [String: JSONValue] = [
            "path": .string(report.path), "bytes": .int(report.bytes), "events": .int(verification.checked),
            "headPosition": .int(verification.head.position), "headHash": .string(verification.head.hash.hex),
            "intact": .bool(verification.isIntact),
        ]
        reply["firstBadPosition"] = verification.firstBadPosition.map(JSONValue.int)
        reply["problem"] = verification.problem.map(JSONValue.string)
        return reply
    }

    /// The declared error for a failed backup or rebuild.
    private static func varlinkError(_ error: any Error, interface: String) -> VarlinkError {
        switch error {
        case let error as VarlinkError:
            return error
        case let error as BackupError:
            switch error {
            case .exists(let path):
                return VarlinkError(
                    "\(interface).FileExists",
                    parameters: ["path": .string(path), "message": .string(error.description)])
            case .notAbsolute, .noDirectory:
                return VarlinkError(
                    "\(interface).InvalidArgument",
                    parameters: ["parameter": .string("path"), "message": .string(error.description)])
            case .failed:
                return VarlinkError(
                    "\(interface).ServiceUnavailable", parameters: ["message": .string(error.description)])
            }
        case StoreError.unknownProjection(let name, let known):
            return VarlinkError(
                "\(interface).ProjectionNotFound",
                parameters: [
                    "name": .string(name), "known": .array(known.map(JSONValue.string)),
                    "message": .string(StoreError.unknownProjection(name: name, known: known).description),
                ])
        default:
            return VarlinkError(
                "\(interface).ServiceUnavailable",
                parameters: ["message": .string("nothing was changed: \(error)")])
        }
    }
}

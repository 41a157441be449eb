import OversightDomain
import OversightStore
import Varlink

/// A refusal with a stable machine-readable key, as sent in a `Rejected` error's `reason`.
protocol ReasonCoded: Error, CustomStringConvertible {
    /// A stable key such as `alreadyClosed`; never changes once shipped.
    var reason: String { get }
}

/// Turns every error a command or query can meet into a declared error of the calling interface.
enum ErrorMapping {
    /// The varlink error for `error`, raised by a call to `interface`.
    static func varlinkError(_ error: any Error, interface: String) -> VarlinkError {
        switch error {
        case let error as VarlinkError:
            return error
        case let error as any ReasonCoded:
            return VarlinkError(
                "\(interface).Rejected",
                parameters: ["reason": .string(error.reason), "message": .string(error.description)]
            )
        case StoreError.versionConflict(let stream, let expected, let actual):
            let expectedVersion: Int64 =
                switch expected {
                case .any: -1
                case .noStream: 0
                case .exactly(let version): version
                }
            return VarlinkError(
                "\(interface).Conflict",
                parameters: ["stream": .string(stream), "expected": .int(expectedVersion), "actual": .int(actual)]
            )
        case StoreError.commandIDReused(let id):
            return VarlinkError("\(interface).CommandIdReused", parameters: ["commandId": .string(id)])
        case StoreError.storageFull:
            return VarlinkError("\(interface).StorageFull", parameters: ["message": .string("\(error)")])
        case StoreError.storageFailed:
            return VarlinkError("\(interface).ServiceUnavailable", parameters: ["message": .string("\(error)")])
        default:
            return VarlinkError(
                "\(interface).ServiceUnavailable",
                parameters: ["message": .string("nothing was written: \(error)")]
            )
        }
    }

    /// The answer to the first call of a connection beyond the per-user limit, `org.oversight.log.TooManyConnections`.
    static func tooManyConnections(limit: Int) -> VarlinkError {
        VarlinkError(
            "org.oversight.log.TooManyConnections",
            parameters: [
                "limit": .int(Int64(limit)),
                "message": .string(
                    "this user already holds \(limit) connections to oversightd, the most allowed "
                        + "(max-connections-per-user); this connection was closed; close idle connections or raise "
                        + "the limit"),
            ]
        )
    }
}

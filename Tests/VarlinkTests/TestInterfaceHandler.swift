import Dispatch
import NIOCore
import Synchronization
import Varlink

/// `org.example.test`: a small interface exercising every server behaviour.
final class TestInterfaceHandler: VarlinkInterfaceHandler {
    static let idl = """
        # Interface used by the Varlink tests.
        interface org.example.test

        type Level (debug, info, warning)

        method Ping(text: string) -> (text: string)

        method Add(a: int, b: int, scale: ?float) -> (sum: float)

        method Tag(level: Level, tags: ?[string]int, point: ?(x: float, y: float)) -> (level: Level)

        # Sends `count` replies; the last without continues.
        # [Requires 'more' flag]
        method Count(count: int) -> (n: int)

        # Sends one reply, then waits until cancelled.
        # [Requires 'more' flag]
        method Follow() -> (n: int)

        # Replies from another thread after a delay.
        method Slow(milliseconds: int, text: string) -> (text: string)

        # Fails with Failed.
        method Fail(reason: string) -> ()

        # Records a message (meant for oneway).
        method Log(message: string) -> ()

        # Returns the caller's credentials.
        method WhoAmI() -> (pid: int, uid: int, gid: int, connection: int)

        # Declared, not implemented.
        method NotImplementedYet() -> ()

        error Failed (reason: string, message: ?string)

        """

    let interface: VarlinkInterface
    let logged = Mutex<[String]>([])
    let cancelledFollows = Atomic<Int>(0)
    let startedFollows = Atomic<Int>(0)
    let startedSlows = Atomic<Int>(0)

    init() throws {
        interface = try VarlinkInterface(description: Self.idl)
    }

    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        let parameters = call.parameters
        switch call.methodName {
        case "Ping":
            responder.reply(["text": parameters["text"] ?? nil])
        case "Add":
            let sum = Double((parameters["a"]?.intValue ?? 0) + (parameters["b"]?.intValue ?? 0))
            responder.reply(["sum": .double(sum * (parameters["scale"]?.doubleValue ?? 1))])
        case "Tag":
            responder.reply(["level": parameters["level"] ?? nil])
        case "Count":
            let count = parameters["count"]?.intValue ?? 0
            if count > 1 {
                for n in 1..<count { responder.send(["n": .int(n)]) }
            }
            responder.reply(["n": .int(count)])
        case "Follow":
            startedFollows.add(1, ordering: .sequentiallyConsistent)
            responder.onCancel { self.cancelledFollows.add(1, ordering: .sequentiallyConsistent) }
            responder.send(["n": 1])
        case "Slow":
            startedSlows.add(1, ordering: .sequentiallyConsistent)
            let milliseconds = parameters["milliseconds"]?.intValue ?? 0
            let text = parameters["text"] ?? nil
            // A plain dispatch queue (not the cooperative pool, which blocking test code may occupy).
            DispatchQueue(label: "slow").asyncAfter(deadline: .now() + .milliseconds(Int(milliseconds))) {
                responder.reply(["text": text])
            }
        case "Fail":
            responder.fail(
                VarlinkError(
                    "org.example.test.Failed",
                    parameters: ["reason": parameters["reason"] ?? nil, "message": "it failed as asked"]
                )
            )
        case "Log":
            logged.withLock { $0.append(parameters["message"]?.stringValue ?? "") }
            responder.reply()
        case "WhoAmI":
            responder.reply([
                "pid": .int(Int64(context.peer?.pid ?? -1)),
                "uid": .int(Int64(context.peer?.uid ?? 0)),
                "gid": .int(Int64(context.peer?.gid ?? 0)),
                "connection": .int(Int64(context.connectionID)),
            ])
        default:
            responder.fail(.methodNotImplemented(call.methodName))
        }
    }
}

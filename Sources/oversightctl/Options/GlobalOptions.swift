import ArgumentParser
import Foundation

/// Options every command takes: where the daemon is, and whether to print JSON.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The daemon's socket (default: $OVERSIGHT_SOCKET, else /run/oversight/oversightd.sock).", valueName: "path"
        )
    )
    var socket: String?

    @Flag(name: .long, help: "Print JSON (one document; one object per line for log show/follow) instead of tables.")
    var json = false

    /// The socket path to use.
    var socketPath: String {
        if let socket { return socket }
        if let fromEnvironment = ProcessInfo.processInfo.environment["OVERSIGHT_SOCKET"], !fromEnvironment.isEmpty {
            return fromEnvironment
        }
        return "/run/oversight/oversightd.sock"
    }
}

/// The idempotency option of commands that record something.
struct CommandIDOption: ParsableArguments {
    @Option(
        name: .customLong("command-id"),
        help: ArgumentHelp(
            "Idempotency key (default: a new random one). Re-running with the same key returns the first result and records nothing.",
            valueName: "id"
        )
    )
    var commandID: String?

    /// The key to send.
    var value: String { commandID ?? UUID().uuidString.lowercased() }
}

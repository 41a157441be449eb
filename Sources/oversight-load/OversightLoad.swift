import ArgumentParser
import Foundation
import Varlink

/// The load generator of the benchmarks: drives a running oversightd over varlink and prints what it measured.
///
/// Each subcommand prints one JSON object on standard output (the bench driver reads it) and a one-line summary
/// on standard error. Latencies are in milliseconds; a command's latency runs from sending the call to receiving
/// its reply, which the daemon sends only after the command's batch is fsync'd.
@main
struct OversightLoad: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oversight-load",
        abstract: "Load generator for oversightd benchmarks (speaks varlink on the daemon's socket).",
        discussion: """
            Examples:
              oversight-load seed --socket /tmp/b/d.sock
              oversight-load write --socket /tmp/b/d.sock --clients 16 --seconds 10
              oversight-load query --socket /tmp/b/d.sock --writers 16 --seconds 10
              oversight-load follow --socket /tmp/b/d.sock --seconds 10
              oversight-load fill --socket /tmp/b/d.sock --events 1000000 --clients 64
            """,
        subcommands: [Seed.self, Write.self, Query.self, Follow.self, Fill.self]
    )
}

/// Options every subcommand takes.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's varlink socket.", valueName: "path"))
    var socket: String

    /// Opens `count` connections to the daemon.
    func connect(_ count: Int) async throws -> [VarlinkClient] {
        try await Self.connect(socket: socket, count: count)
    }
}

/// Prints a subcommand's result: JSON on standard output, a summary line on standard error.
enum Report {
    /// Prints `result` as one JSON line and `summary` as a line for people.
    static func print(_ result: [String: JSONValue], summary: String) {
        Swift.print(JSONValue.object(result).jsonString)
        FileHandle.standardError.write(Data("oversight-load: \(summary)\n".utf8))
    }
}

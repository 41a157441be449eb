import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl log …`: the event log, as auditors read it.
    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or follow the event log.",
            subcommands: [Show.self, Follow.self, Export.self]
        )
    }
}

/// One event as a line of text: position, time, stream and version, type, actor, data.
func describeEvent(_ event: JSONValue) -> String {
    let position = event["position"]?.intValue ?? 0
    let time = event["recordedAt"]?.stringValue ?? ""
    let stream = event["stream"]?.stringValue ?? ""
    let version = event["version"]?.intValue ?? 0
    let type = event["type"]?.stringValue ?? ""
    let actor = event["actor"]?.stringValue ?? ""
    let data = event["data"]?.jsonString ?? "{}"
    return "\(position)  \(time)  \(stream)@\(version)  \(type)  by \(actor)  \(data)"
}

extension OversightCtl.Log {
    /// `log show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print events after a position, oldest first.",
            discussion: "Example: oversightctl log show --after 100 --limit 20"
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Print events after this position (default 0: from the start).") var after: Int = 0
        @Option(help: "At most this many events (1 to 10000).") var limit: Int = 100

        func validate() throws {
            guard after >= 0 else { throw ValidationError("--after must be 0 or more.") }
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000.") }
        }

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            let reply = try await connection.call(
                "org.oversight.log.Show", ["after": .int(Int64(after)), "limit": .int(Int64(limit))]
            )
            await connection.close()
            for event in reply["events"]?.arrayValue ?? [] {
                CLIOutput.line(options.json ? event.jsonString : describeEvent(event))
            }
        }
    }

    /// `log follow`.
    struct Follow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print every event after a position, then each new one as it is recorded, until interrupted.",
            discussion: """
                Resumes exactly after --after: no gap, no duplicate. If the daemon stops, the last line on stderr \
                says which --after resumes.
                Example: oversightctl log follow --after 120 --json
                """
        )

        @OptionGroup var options: GlobalOptions
        @Option(help: "Start after this position (default 0: from the start).") var after: Int = 0

        func validate() throws {
            guard after >= 0 else { throw ValidationError("--after must be 0 or more.") }
        }

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var last = Int64(after)
            do {
                for try await reply in connection.client.callMore("org.oversight.log.Follow", ["after": .int(last)]) {
                    guard let event = reply["event"] else { continue }
                    CLIOutput.line(options.json ? event.jsonString : describeEvent(event))
                    last = event["position"]?.intValue ?? last
                }
            } catch let error as VarlinkError {
                await connection.close()
                CLIOutput.error(ErrorWords.describe(error, method: "org.oversight.log.Follow"))
                throw ExitCode(ErrorWords.exitCode(error))
            } catch {
                await connection.close()
                CLIOutput.error("the connection to oversightd was lost: \(error); resume with --after \(last)")
                throw ExitCode(69)
            }
            await connection.close()
            CLIOutput.error("oversightd ended the stream; resume with --after \(last)")
            throw ExitCode(75)
        }
    }
}

extension OversightCtl {
    /// `oversightctl verify`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Walk the hash chain of the whole log; exit 0 when intact, 1 naming the first bad position."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            let reply = try await connection.call("org.oversight.log.Verify")
            await connection.close()
            let intact = reply["intact"]?.boolValue ?? false
            if options.json {
                CLIOutput.json(.object(reply))
            } else if intact {
                CLIOutput.line(
                    "Intact: \(reply["checked"]?.intValue ?? 0) events checked; head \(reply["headPosition"]?.intValue ?? 0) "
                        + (reply["headHash"]?.stringValue ?? "")
                )
            } else {
                CLIOutput.line(
                    "BROKEN at position \(reply["firstBadPosition"]?.intValue ?? 0): "
                        + (reply["problem"]?.stringValue ?? "unknown problem")
                )
            }
            if !intact { throw ExitCode(1) }
        }
    }

    /// `oversightctl status`.
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "The daemon's version, uptime, log head, database size, connections, and each read model's position.",
            discussion: "A read model's lag is the log head minus its position (0: it has applied every event)."
        )

        @OptionGroup var options: GlobalOptions

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            let reply = try await connection.call("org.oversight.log.Status")
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            let bytes = reply["databaseBytes"]?.intValue ?? 0
            let uptime = Int(reply["uptimeSeconds"]?.doubleValue ?? 0)
            var table = TextTable(headers: ["", ""])
            table.maximumCellWidth = 100
            table.showsHeaders = false
            table.rows = [
                ["Version:", reply["version"]?.stringValue ?? ""],
                ["Socket:", connection.socketPath],
                ["State directory:", reply["stateDirectory"]?.stringValue ?? ""],
                ["Log head:", "\(reply["headPosition"]?.intValue ?? 0) \(reply["headHash"]?.stringValue ?? "")"],
                ["Database:", String(format: "%.1f MiB (%lld bytes)", Double(bytes) / 1_048_576, bytes)],
                [
                    "Uptime:",
                    String(
                        format: "%dd %02dh %02dm %02ds", uptime / 86400, uptime / 3600 % 24, uptime / 60 % 60,
                        uptime % 60),
                ],
                ["Connections:", String(reply["connections"]?.intValue ?? 0)],
            ]
            CLIOutput.line(table.render())
            var projections = TextTable(headers: ["PROJECTION", "VERSION", "POSITION", "LAG"])
            projections.rows = (reply["projections"]?.arrayValue ?? []).map { projection in
                [
                    projection["name"]?.stringValue ?? "", String(projection["version"]?.intValue ?? 0),
                    String(projection["position"]?.intValue ?? 0), String(projection["lag"]?.intValue ?? 0),
                ]
            }
            CLIOutput.line("")
            CLIOutput.line(projections.render())
        }
    }
}

import ArgumentParser
import Foundation
import Varlink

extension OversightCtl {
    /// `oversightctl admin …`: backup and read-model rebuild (the admin role).
    struct Admin: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Back up the log online, rebuild read models (admin role).",
            discussion: """
                Restoring is done by the daemon's own binary while it is stopped:
                  systemctl stop oversightd.socket oversightd.service
                  oversightd --restore FILE --state-dir /var/lib/oversight
                  systemctl start oversightd.socket
                """,
            subcommands: [Backup.self, Rebuild.self]
        )
    }
}

extension OversightCtl.Admin {
    /// `admin backup FILE`.
    struct Backup: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of the log to a new file while the daemon keeps recording.",
            discussion: """
                The daemon writes FILE, on its own machine and with its own permissions: FILE is an absolute path \
                in a directory oversightd may write (under systemd: inside /var/lib/oversight, such as \
                /var/lib/oversight/backups/), and must not exist. The copy holds every event recorded before the \
                command; its hash chain is verified before the reply.
                Example: oversightctl admin backup /var/lib/oversight/backups/2024-12-31.sqlite
                """
        )

        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The new backup file, as the daemon sees it (absolute).", valueName: "file"))
        var file: String

        func validate() throws {
            guard file.hasPrefix("/") else {
                throw ValidationError(
                    "FILE must be an absolute path: oversightd writes it on its side "
                        + "(under systemd, inside /var/lib/oversight), not '\(file)'.")
            }
        }

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            let reply = try await connection.call("org.oversight.admin.Backup", ["path": .string(file)])
            await connection.close()
            let intact = reply["intact"]?.boolValue ?? false
            if options.json {
                CLIOutput.json(.object(reply))
            } else if intact {
                CLIOutput.line(
                    "Backed up \(reply["events"]?.intValue ?? 0) events to \(reply["path"]?.stringValue ?? file) "
                        + "(\(reply["bytes"]?.intValue ?? 0) bytes); chain intact, head "
                        + "\(reply["headPosition"]?.intValue ?? 0) \(reply["headHash"]?.stringValue ?? "")")
            } else {
                CLIOutput.error(
                    "the backup \(file) was written but its chain is BROKEN at position "
                        + "\(reply["firstBadPosition"]?.intValue ?? 0): \(reply["problem"]?.stringValue ?? "?"); "
                        + "run `oversightctl verify`")
            }
            if !intact { throw ExitCode(1) }
        }
    }

    /// `admin rebuild [NAME]`.
    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Rebuild read models from the log while the daemon keeps serving.",
            discussion: """
                Rebuilds the read model NAME (see `oversightctl status`), or every one. It is rebuilt in a snapshot \
                copy while commands are recorded as usual, then swapped in with one short write; readers see \
                the old tables until then.
                Example: oversightctl admin rebuild topic-board
                """
        )

        @OptionGroup var options: GlobalOptions
        @Argument(help: ArgumentHelp("The read model to rebuild (default: every one).", valueName: "name"))
        var name: String?

        func run() async throws {
            let connection = try await DaemonConnection.open(options)
            var parameters: [String: JSONValue] = [:]
            if let name { parameters["name"] = .string(name) }
            let reply = try await connection.call("org.oversight.admin.Rebuild", parameters)
            await connection.close()
            if options.json { return CLIOutput.json(.object(reply)) }
            let names = (reply["rebuilt"]?.arrayValue ?? []).compactMap(\.stringValue)
            CLIOutput.line(
                "Rebuilt \(names.joined(separator: ", ")) up to position \(reply["headPosition"]?.intValue ?? 0)")
        }
    }
}

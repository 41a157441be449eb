import ArgumentParser
import Foundation
import Varlink

#if canImport(Glibc)
import Glibc
#endif

/// The CLI's link to oversightd: one connection per command, and errors put into words.
struct DaemonConnection {
    let client: VarlinkClient
    let socketPath: String

    /// Connects, or exits with status 69 (EX_UNAVAILABLE) and a sentence saying what to check.
    static func open(_ options: GlobalOptions) async throws -> DaemonConnection {
        let path = options.socketPath
        do {
            return DaemonConnection(client: try await VarlinkClient.connect(unixSocketPath: path), socketPath: path)
        } catch {
            CLIOutput.error(
                "cannot connect to oversightd at \(path): \(error). Is the daemon running? "
                    + "Use --socket or OVERSIGHT_SOCKET to point at another socket."
            )
            throw ExitCode(69)
        }
    }

    /// Calls a method; on an error reply prints it in words and exits non-zero.
    func call(_ method: String, _ parameters: [String: JSONValue] = [:]) async throws -> [String: JSONValue] {
        do {
            return try await client.call(method, parameters)
        } catch let error as VarlinkError {
            await client.close()
            CLIOutput.error(ErrorWords.describe(error, method: method, recording: parameters["commandId"] != nil))
            throw ExitCode(ErrorWords.exitCode(error))
        } catch {
            await client.close()
            CLIOutput.error("the connection to oversightd at \(socketPath) failed: \(error)")
            throw ExitCode(69)
        }
    }

    /// Closes the connection.
    func close() async { await client.close() }

    /// Calls one method on a connection of its own; with `--json` prints the reply and returns `nil` (the
    /// command is done), else returns the reply for the command to print in words.
    static func request(
        _ options: GlobalOptions, _ method: String, _ parameters: [String: JSONValue] = [:]
    ) async throws -> [String: JSONValue]? {
        let connection = try await open(options)
        let reply = try await connection.call(method, parameters)
        await connection.close()
        if options.json {
            CLIOutput.json(.object(reply))
            return nil
        }
        return reply
    }
}

/// Turns varlink errors from the daemon into sentences for the clerk.
enum ErrorWords {
    /// A sentence describing `error`, the reply to `method` (a recording method when `recording`).
    static func describe(_ error: VarlinkError, method: String? = nil, recording: Bool = false) -> String {
        let parameters = error.parameters
        let short = error.name.split(separator: ".").last.map(String.init) ?? error.name
        if let message = parameters["message"]?.stringValue {
            if short == "InvalidArgument", let parameter = parameters["parameter"]?.stringValue {
                return "invalid \(parameter): \(message)"
            }
            return message
        }
        if short.hasSuffix("NotFound"), !short.hasPrefix("Method"), !short.hasPrefix("Interface"),
            let id = parameters["id"]?.stringValue
        {
            // TopicNotFound, InquiryNotFound, ItemNotFound, ...: the record kind is the name before "NotFound".
            let kind = short.dropLast("NotFound".count).lowercased()
            return "no \(kind) has the id \(id); see `oversightctl \(kind) list`"
        }
        switch short {
        case "Conflict":
            return "another command changed \(parameters["stream"]?.stringValue ?? "the record") at the same time "
                + "(expected version \(parameters["expected"]?.intValue ?? 0), found \(parameters["actual"]?.intValue ?? 0)); "
                + "nothing was recorded, run the command again"
        case "CommandIdReused":
            return
                "the command id \(parameters["commandId"]?.stringValue ?? "?") was already used for a different request; "
                + "nothing was recorded"
        case "ServiceStopping":
            return "oversightd is stopping; resume with --after \(parameters["lastPosition"]?.intValue ?? 0)"
        case "InvalidParameter":
            return "the daemon refused the parameter '\(parameters["parameter"]?.stringValue ?? "?")' "
                + "(is oversightctl the same version as oversightd?)"
        case "MethodNotFound", "MethodNotImplemented", "InterfaceNotFound":
            return "the daemon does not offer \(parameters.values.first?.stringValue ?? error.name) "
                + "(is oversightctl the same version as oversightd?)"
        case "PermissionDenied":
            return permissionDenied(method: method, recording: recording)
        default:
            return "\(error.name) \(JSONValue.object(parameters).jsonString)"
        }
    }

    /// Names the role the call needs (the daemon's rule: `org.oversight.admin` needs admin, a recording method
    /// clerk, anything else reader) and says how to get it.
    static func permissionDenied(method: String?, recording: Bool) -> String {
        let role: String
        if method?.hasPrefix("org.oversight.admin.") == true {
            role = "admin"
        } else if recording {
            role = "clerk"
        } else {
            role = "reader"
        }
        let uid = geteuid()
        let user = getpwuid(uid).flatMap { $0.pointee.pw_name.map { String(cString: $0) } } ?? "uid \(uid)"
        return "permission denied: \(method ?? "this call") needs the \(role) role, which the user \(user) does not "
            + "hold; an administrator can grant it in the [roles] section of /etc/oversight/oversightd.conf and "
            + "reload oversightd (systemctl reload oversightd)"
    }

    /// The exit status for `error`: 75 (EX_TEMPFAIL) when retrying later can help (a full disk and too many
    /// connections included), 77 for permission, else 1.
    static func exitCode(_ error: VarlinkError) -> Int32 {
        switch error.name.split(separator: ".").last {
        case "ServiceStopping", "ServiceUnavailable", "Conflict", "StorageFull", "TooManyConnections": 75
        case "PermissionDenied": 77
        default: 1
        }
    }
}

/// Where the CLI writes.
enum CLIOutput {
    /// Writes a line to stdout.
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// Writes `oversightctl: error: …` to stderr.
    static func error(_ text: String) {
        FileHandle.standardError.write(Data("oversightctl: error: \(text)\n".utf8))
    }

    /// Writes `oversightctl: …` to stderr: a remark beside the output, not an error.
    static func note(_ text: String) {
        FileHandle.standardError.write(Data("oversightctl: \(text)\n".utf8))
    }

    /// Prints a JSON document on one line.
    static func json(_ value: JSONValue) {
        line(value.jsonString)
    }
}

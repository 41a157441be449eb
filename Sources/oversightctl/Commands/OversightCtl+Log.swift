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
            abstract: "Print the events after a position that match the filter, oldest first.",
            discussion: """
                \(LogReadOptions.filterHelp)

                Examples:
                  oversightctl log show --after 100 --limit 20
                  oversightctl log show --stream 'item-*' --since yesterday --until today
                  oversightctl log show --cursor-file audit.cursor   # the next 100 since last time
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var read: LogReadOptions
        @Option(help: "At most this many events (1 to 10000).") var limit: Int = 100

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000.") }
            _ = try read.format(json: options.json)
        }

        func run() async throws {
            let printer = EventPrinter(format: try read.format(json: options.json))
            var parameters = try read.filterParameters(now: Date())
            let start = try read.start()
            let steps = read.cursorFile.map { _ in CursorSteps() }
            let connection = try await DaemonConnection.open(options)
            var after = start.position
            var cursorHash = start.hash
            var printed = 0
            while printed < limit {
                parameters["after"] = .int(after)
                parameters["limit"] = .int(Int64(limit - printed))
                parameters["afterHash"] = cursorHash.map(JSONValue.string)
                let reply = try await connection.call("org.oversight.log.Show", parameters)
                cursorHash = nil
                for event in reply["events"]?.arrayValue ?? [] {
                    try read.emit(event, printer: printer, steps: steps)
                    printed += 1
                }
                let next = reply["next"]?.intValue ?? after
                guard next > after, next < reply["head"]?.intValue ?? 0 else { break }
                after = next
            }
            await connection.close()
        }
    }

    /// `log follow`.
    struct Follow: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Print every matching event after a position, then each new one as it is recorded, until interrupted.",
            discussion: """
                Resumes exactly after --after (or the cursor file's event): no gap, no duplicate. With --until it \
                stops (exit 0) once the log has passed that time. If the daemon stops, the last line on stderr \
                says how to resume.

                \(LogReadOptions.filterHelp)

                Examples:
                  oversightctl log follow --after 120 --output jsonl
                  oversightctl log follow --stream 'inquiry-*' --type 'Evaluation*' --cursor-file audit.cursor
                  oversightctl log follow --since today --until '2024-12-31 18:00'
                """
        )

        @OptionGroup var options: GlobalOptions
        @OptionGroup var read: LogReadOptions

        func validate() throws {
            _ = try read.format(json: options.json)
        }

        func run() async throws {
            let printer = EventPrinter(format: try read.format(json: options.json))
            var parameters = try read.filterParameters(now: Date())
            let start = try read.start()
            let steps = read.cursorFile.map { _ in CursorSteps() }
            parameters["after"] = .int(start.position)
            parameters["afterHash"] = start.hash.map(JSONValue.string)
            let connection = try await DaemonConnection.open(options)
            var last = start.position
            let cursorFile = read.cursorFile
            // How to go on from the last printed event.
            func resume() -> String {
                cursorFile.map { "resume with --cursor-file \($0)" } ?? "resume with --after \(last)"
            }
            do {
                for try await reply in connection.client.callMore("org.oversight.log.Follow", parameters) {
                    if reply["untilPassed"]?.intValue != nil {
                        await connection.close()
                        return
                    }
                    guard let event = reply["event"] else { continue }
                    try read.emit(event, printer: printer, steps: steps)
                    last = event["position"]?.intValue ?? last
                }
            } catch let error as VarlinkError {
                await connection.close()
                var words = ErrorWords.describe(error, method: "org.oversight.log.Follow")
                if error.name == "org.oversight.log.ServiceStopping" {
                    words = "oversightd is stopping; \(resume())"
                }
                CLIOutput.error(words)
                throw ExitCode(ErrorWords.exitCode(error))
            } catch let exit as ExitCode {
                await connection.close()
                throw exit
            } catch {
                await connection.close()
                CLIOutput.error("the connection to oversightd was lost: \(error); \(resume())")
                throw ExitCode(69)
            }
            await connection.close()
            CLIOutput.error("oversightd ended the stream; \(resume())")
            throw ExitCode(75)
        }
    }
}

/// How `log show` and `log follow` print events.
enum EventOutputFormat: String, ExpressibleByArgument, CaseIterable {
    /// One line per event: position, time, stream@version, type, actor, data.
    case text
    /// Each event as an indented JSON object, one after another (as jq prints; `jq -s` makes an array).
    case json
    /// Each event as one compact JSON object per line (JSON Lines).
    case jsonl
}

/// The filter, start and output options `log show` and `log follow` share.
struct LogReadOptions: ParsableArguments {
    /// The filter rules, for the commands' help.
    static let filterHelp = """
        Filters are applied by the daemon. --stream and --type take a name or a prefix ending in * \
        (quote it: 'topic-*'), --actor a user name; each may be repeated (an event matches any of the values \
        of one option) and different options combine (an event must match all). --since and --until are \
        inclusive and compare with the time each event was recorded; they take \(TimeExpression.acceptedForms); \
        local times are in the time zone of TZ. --cursor-file keeps the position and hash of the last printed \
        event: read at start (a missing file means from --after), replaced after each event, and checked \
        against the log on resume (a log rewritten since is refused).
        """

    @Option(
        help: ArgumentHelp(
            "Only this stream, or streams starting with a prefix ending in * (repeatable).",
            valueName: "stream"))
    var stream: [String] = []
    @Option(
        help: ArgumentHelp(
            "Only this event type, or types starting with a prefix ending in * (repeatable).",
            valueName: "type"))
    var type: [String] = []
    @Option(help: ArgumentHelp("Only events recorded by this user (repeatable).", valueName: "user"))
    var actor: [String] = []
    @Option(
        parsing: .unconditional,
        help: ArgumentHelp(
            "Only events recorded at or after this time (-2h works: the value may start with -).",
            valueName: "time"))
    var since: String?
    @Option(
        parsing: .unconditional, help: ArgumentHelp("Only events recorded at or before this time.", valueName: "time"))
    var until: String?
    @Option(help: "Start after this position (0: from the start); a cursor file, if it exists, wins.")
    var after: Int = 0
    @Option(
        name: .customLong("cursor-file"),
        help: ArgumentHelp("Resume after, and record, the last printed event in this file.", valueName: "file"))
    var cursorFile: String?
    @Option(help: ArgumentHelp("text, json (indented objects) or jsonl (one object per line); --json = jsonl."))
    var output: EventOutputFormat?

    func validate() throws {
        guard after >= 0 else { throw ValidationError("--after must be 0 or more.") }
        for (option, values) in [("--stream", stream), ("--type", type)] {
            for value in values where !Self.isPattern(value) {
                throw ValidationError(
                    "\(option) takes a name or a prefix ending in * (such as topic-*), with no other *, "
                        + "not \"\(value)\".")
            }
        }
        if actor.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw ValidationError("--actor takes a user name, not an empty text.")
        }
        _ = try filterParameters(now: Date())
    }

    /// The output format: `--output`, or jsonl for `--json`.
    func format(json: Bool) throws -> EventOutputFormat {
        guard json else { return output ?? .text }
        if let output, output != .jsonl {
            throw ValidationError("--json is short for --output jsonl; it cannot be combined with --output \(output).")
        }
        return .jsonl
    }

    /// The filter as `Show`/`Follow` parameters, with times resolved against `now` and sent as UTC.
    func filterParameters(now: Date) throws -> [String: JSONValue] {
        var parameters: [String: JSONValue] = [:]
        if !stream.isEmpty { parameters["stream"] = .array(stream.map(JSONValue.string)) }
        if !type.isEmpty { parameters["type"] = .array(type.map(JSONValue.string)) }
        if !actor.isEmpty { parameters["actor"] = .array(actor.map(JSONValue.string)) }
        var resolved: [String: Date] = [:]
        for (name, text) in [("since", since), ("until", until)] {
            guard let text else { continue }
            guard let date = TimeExpression.resolve(text, now: now, timeZone: .current) else {
                throw ValidationError(
                    "--\(name) takes \(TimeExpression.acceptedForms); \"\(text)\" is none of these.")
            }
            resolved[name] = date
            parameters[name] = .string(TimeExpression.utcText(date))
        }
        if let since = resolved["since"], let until = resolved["until"], until < since {
            throw ValidationError(
                "--until (\(TimeExpression.utcText(until))) is before --since (\(TimeExpression.utcText(since))).")
        }
        return parameters
    }

    /// Where reading starts: the cursor file's event (with its hash, which the daemon checks), else `--after`.
    func start() throws -> (position: Int64, hash: String?) {
        guard let cursorFile else { return (Int64(after), nil) }
        let directory = URL(fileURLWithPath: cursorFile).deletingLastPathComponent().path
        guard access(directory, W_OK) == 0 else {
            CLIOutput.error(
                "the cursor file \(cursorFile) cannot be written: the directory \(directory) "
                    + (FileManager.default.fileExists(atPath: directory) ? "is not writable" : "does not exist"))
            throw ExitCode(64)
        }
        do {
            guard let cursor = try LogCursor.read(cursorFile) else { return (Int64(after), nil) }
            return (cursor.position, cursor.hash)
        } catch let problem as LogCursor.Problem {
            CLIOutput.error(problem.description)
            throw ExitCode(64)
        }
    }

    /// Prints one event, then (with a cursor file) records it, as one step signals do not split.
    func emit(_ event: JSONValue, printer: EventPrinter, steps: CursorSteps?) throws {
        guard let cursorFile, let steps else { return printer.print(event) }
        guard let cursor = LogCursor(event: event) else { return printer.print(event) }
        do {
            try steps.step {
                printer.print(event)
                try cursor.write(to: cursorFile)
            }
        } catch let problem as LogCursor.Problem {
            CLIOutput.error(problem.description)
            throw ExitCode(73)
        }
    }

    /// Whether `text` is a name or `prefix*` (the daemon's rule).
    private static func isPattern(_ text: String) -> Bool {
        let body = text.hasSuffix("*") ? text.dropLast() : Substring(text)
        return !body.isEmpty && !body.contains("*")
    }
}

/// Prints events in one ``EventOutputFormat``.
struct EventPrinter {
    let format: EventOutputFormat

    func print(_ event: JSONValue) {
        switch format {
        case .text: CLIOutput.line(describeEvent(event))
        case .jsonl: CLIOutput.line(event.jsonString)
        case .json: CLIOutput.line(Self.indented(event))
        }
    }

    /// `value` as JSON indented by two spaces, keys sorted.
    static func indented(_ value: JSONValue, depth: Int = 0) -> String {
        let inner = String(repeating: "  ", count: depth + 1)
        let outer = String(repeating: "  ", count: depth)
        switch value {
        case .array(let elements) where !elements.isEmpty:
            return "[\n" + elements.map { inner + indented($0, depth: depth + 1) }.joined(separator: ",\n")
                + "\n\(outer)]"
        case .object(let members) where !members.isEmpty:
            return "{\n"
                + members.keys.sorted().map { key in
                    inner + JSONValue.string(key).jsonString + ": "
                        + indented(members[key, default: .null], depth: depth + 1)
                }.joined(separator: ",\n") + "\n\(outer)}"
        default:
            return value.jsonString
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

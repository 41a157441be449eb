import ArgumentParser
import Foundation
import Logging
import OversightService
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The Oversight daemon: keeps the event log and serves varlink on a Unix socket.
@main
struct Oversightd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "oversightd",
        abstract: "Keep the oversight record and serve it over varlink.",
        discussion: """
            Runs in the foreground and logs to stderr (journald-friendly under systemd). Stops cleanly on SIGTERM \
            or SIGINT: calls in flight finish, follow streams end, the writer drains.

            Example:
              oversightd --socket /tmp/ov/oversightd.sock --state-dir /tmp/ov/state
              oversightd --restore /var/lib/oversight/backups/2024-12-31.sqlite --state-dir /var/lib/oversight
            """,
        version: OversightVersion.current
    )

    @Option(help: ArgumentHelp("Path of the varlink socket to create.", valueName: "path"))
    var socket: String = "/run/oversight/oversightd.sock"

    @Option(
        name: .customLong("state-dir"), help: ArgumentHelp("Directory of the event log and its lock.", valueName: "dir")
    )
    var stateDirectory: String = "/var/lib/oversight"

    @Option(
        name: .customLong("time-zone"),
        help: ArgumentHelp("Time zone of the office's calendar days.", valueName: "zone"))
    var timeZone: String = "Asia/Shanghai"

    @Option(
        name: .customLong("log-level"), help: "Least severe level logged: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Option(
        name: .customLong("holiday-calendar"),
        help: ArgumentHelp(
            "Public holidays and adjusted working days (调休), one a line: `2024-10-01 holiday 国庆节`, "
                + "`2024-10-12 workday 调休`, ranges `2024-10-01..2024-10-07`, `#` comments. "
                + "Default: Monday to Friday.",
            valueName: "file"))
    var holidayCalendar: String?

    @Option(
        help: ArgumentHelp(
            "Install a backup as the state directory's event log, then exit: the daemon must be stopped (the state "
                + "directory's lock is taken), the file's hash chain must verify, the database in place is kept as "
                + "oversight.sqlite.before-restore-<time>, and the read models are rebuilt.",
            valueName: "file"))
    var restore: String?

    @Flag(
        name: .customLong("varlink-certification"),
        help: "Serve org.varlink.certification only (protocol certification).")
    var varlinkCertification = false

    func validate() throws {
        if restore != nil, varlinkCertification {
            throw ValidationError("--restore and --varlink-certification cannot be used together.")
        }
        guard TimeZone(identifier: timeZone) != nil else {
            throw ValidationError("Unknown time zone '\(timeZone)'; use a name such as Asia/Shanghai.")
        }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("Unknown log level '\(logLevel)'; use trace, debug, info, notice, warning or error.")
        }
    }

    func run() async throws {
        Self.unblockShutdownSignals()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level) }
        let logger = Logger(label: "oversightd")
        if let restore {
            do {
                let lines = try StateRestore.run(from: restore, stateDirectory: stateDirectory, logger: logger)
                for line in lines { print(line) }
                return
            } catch {
                FileHandle.standardError.write(Data("oversightd: \(error)\n".utf8))
                throw ExitCode(StateRestore.exitCode(for: error))
            }
        }
        let daemon: OversightDaemon
        do {
            var configuration = DaemonConfiguration(
                socketPath: socket, stateDirectory: stateDirectory,
                timeZone: TimeZone(identifier: timeZone) ?? .current,
                varlinkCertification: varlinkCertification, logLevel: level
            )
            if let holidayCalendar {
                configuration.workingCalendar = try DaemonConfiguration.loadHolidayCalendar(path: holidayCalendar)
            }
            daemon = try OversightDaemon.prepare(configuration, logger: logger)
        } catch {
            FileHandle.standardError.write(Data("oversightd: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [daemon], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            FileHandle.standardError.write(Data("oversightd: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }

    /// Unblocks SIGTERM and SIGINT, which a parent may have left blocked in the inherited signal mask; otherwise
    /// a graceful stop would never be noticed.
    private static func unblockShutdownSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }
}

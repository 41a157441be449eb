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
            or SIGINT: calls in flight finish, follow streams end, the writer drains. SIGHUP reloads the \
            configuration file (roles, holiday calendar, evaluation rule); an invalid file is logged and the \
            previous configuration stays in force.

            Settings come from the command line, then the configuration file (--config, else \
            /etc/oversight/oversightd.conf when it exists; see docs/CONFIGURATION.md), then the defaults. An \
            invalid configuration stops the daemon with exit status 78 (EX_CONFIG).

            Example:
              oversightd --socket /tmp/ov/oversightd.sock --state-dir /tmp/ov/state
              oversightd --restore /var/lib/oversight/backups/2024-12-31.sqlite --state-dir /var/lib/oversight
            """,
        version: OversightVersion.current
    )

    @Option(
        name: .customLong("config"),
        help: ArgumentHelp(
            "Configuration file (default: /etc/oversight/oversightd.conf, read only if it exists).",
            valueName: "file"))
    var configurationFile: String?

    @Option(
        help: ArgumentHelp(
            "Path of the varlink socket to create (default: /run/oversight/oversightd.sock).", valueName: "path"))
    var socket: String?

    @Option(
        name: .customLong("state-dir"),
        help: ArgumentHelp("Directory of the event log and its lock (default: /var/lib/oversight).", valueName: "dir")
    )
    var stateDirectory: String?

    @Option(
        name: .customLong("time-zone"),
        help: ArgumentHelp("Time zone of the office's calendar days (default: Asia/Shanghai).", valueName: "zone"))
    var timeZone: String?

    @Option(
        name: .customLong("log-level"),
        help: "Least severe level logged: trace, debug, info, notice, warning, error (default: info).")
    var logLevel: String?

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

    @Option(
        name: .customLong("audit-mirror"),
        help: ArgumentHelp(
            "JSON-lines copy of every committed event, for tail -f and log shippers, or `off` (default: "
                + "$LOGS_DIRECTORY/events.jsonl under systemd, else events.jsonl in the state directory).",
            valueName: "path"))
    var auditMirror: String?

    @Option(
        name: .customLong("checkpoint-every"),
        help: ArgumentHelp(
            "Sign a Merkle checkpoint each time the log has grown by this many events; 0: only by time and on "
                + "demand (default: 1000).",
            valueName: "events"))
    var checkpointEvery: Int?

    @Option(
        name: .customLong("max-connections-per-user"),
        help: ArgumentHelp(
            "The most connections one Unix user may hold open; beyond it a connection's first call is refused with "
                + "org.oversight.log.TooManyConnections (default: 1024).",
            valueName: "n"))
    var maxConnectionsPerUser: Int?

    @Flag(
        name: .customLong("varlink-certification"),
        help: "Serve org.varlink.certification only (protocol certification).")
    var varlinkCertification = false

    func validate() throws {
        if restore != nil, varlinkCertification {
            throw ValidationError("--restore and --varlink-certification cannot be used together.")
        }
        if let timeZone, TimeZone(identifier: timeZone) == nil {
            throw ValidationError("Unknown time zone '\(timeZone)'; use a name such as Asia/Shanghai.")
        }
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("Unknown log level '\(logLevel)'; use trace, debug, info, notice, warning or error.")
        }
    }

    func run() async throws {
        // Until the daemon listens for it, a SIGHUP (reload) must not kill it.
        signal(SIGHUP, SIG_IGN)
        Self.unblockShutdownSignals()
        let configuration: DaemonConfiguration
        do {
            configuration = try DaemonConfiguration.resolve(
                CommandLineSettings(
                    configurationFile: configurationFile, socket: socket, stateDirectory: stateDirectory,
                    timeZone: timeZone, logLevel: logLevel, holidayCalendar: holidayCalendar,
                    varlinkCertification: varlinkCertification, auditMirror: auditMirror,
                    checkpointEvery: checkpointEvery, maxConnectionsPerUser: maxConnectionsPerUser))
        } catch {
            // EX_CONFIG: the configuration file, or the holiday calendar it or --holiday-calendar names.
            FileHandle.standardError.write(Data("oversightd: \(error)\n".utf8))
            throw ExitCode(78)
        }
        let level = configuration.logLevel
        LoggingSystem.bootstrap { label in JournalLogHandler(label: label, level: level) }
        let logger = Logger(label: "oversightd")
        if let restore {
            do {
                let lines = try StateRestore.run(
                    from: restore, stateDirectory: configuration.stateDirectory, logger: logger)
                for line in lines { print(line) }
                return
            } catch {
                FileHandle.standardError.write(Data("oversightd: \(error)\n".utf8))
                throw ExitCode(StateRestore.exitCode(for: error))
            }
        }
        let daemon: OversightDaemon
        do {
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

    /// Unblocks SIGTERM, SIGINT and SIGHUP, which a parent may have left blocked in the inherited signal mask;
    /// otherwise a graceful stop or a reload would never be noticed.
    private static func unblockShutdownSignals() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        sigaddset(&signals, SIGHUP)
        sigprocmask(SIG_UNBLOCK, &signals, nil)
    }
}

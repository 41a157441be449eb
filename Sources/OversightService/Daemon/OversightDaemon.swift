import Foundation
import Logging
import NIOCore
import NIOPosix
import OversightAudit
import OversightStore
import ServiceLifecycle
import Synchronization
import Varlink
import VarlinkCertification

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The running daemon: state directory lock, event log, writer, followers and the varlink server.
///
/// ``prepare(_:logger:)`` does everything that can fail for a reason the operator must fix (lock held, socket
/// in use, database unreadable) before any service runs; ``run()`` serves until graceful shutdown (SIGTERM,
/// SIGINT), then stops taking connections, ends follow streams, lets calls in flight finish, drains the writer
/// and exits. SIGHUP reloads the configuration (``reload()``).
public final class OversightDaemon: Service, Sendable {
    private let configuration: DaemonConfiguration
    /// The settings a reload can change (roles, holiday calendar, default evaluation rule).
    private let settings: LiveSettings
    private let logger: Logger
    private let lock: StateDirectoryLock?
    private let log: SQLiteEventLog?
    /// The checkpoint signing key (nil when serving certification only).
    private let signer: NoteSigner?
    /// The JSON-lines audit mirror, when configured.
    private let mirror: AuditMirror?
    /// The server once it runs, for the connection count in the status line.
    private let serverBox = Mutex<VarlinkServer?>(nil)
    private let listener: Listener
    private let notifier = SystemdNotifier()
    private let started = ContinuousClock.now

    /// Where the server listens.
    enum Listener: Sendable, Equatable {
        /// A socket this daemon creates at the path (and removes at exit).
        case path(String)
        /// A listening socket inherited from systemd (never unlinked).
        case inherited(Int32)
    }

    /// Why the daemon refused to start.
    public enum StartError: Error, CustomStringConvertible {
        /// A live process already answers on the socket path.
        case socketInUse(String)
        /// The state directory could not be created.
        case stateDirectory(String, String)
        /// The socket's directory could not be created.
        case socketDirectory(String, String)

        public var description: String {
            switch self {
            case .socketInUse(let path):
                "another process is listening on \(path); stop it or give this daemon another --socket"
            case .stateDirectory(let path, let reason): "cannot create the state directory \(path): \(reason)"
            case .socketDirectory(let path, let reason): "cannot create the socket directory \(path): \(reason)"
            }
        }
    }

    private init(
        configuration: DaemonConfiguration, logger: Logger, lock: StateDirectoryLock?, log: SQLiteEventLog?,
        signer: NoteSigner? = nil, mirror: AuditMirror? = nil, listener: Listener
    ) {
        self.configuration = configuration
        self.settings = LiveSettings(configuration)
        self.logger = logger
        self.lock = lock
        self.log = log
        self.signer = signer
        self.mirror = mirror
        self.listener = listener
    }

    /// Takes the state directory's lock, clears a stale socket, opens (and migrates) the event log.
    public static func prepare(_ configuration: DaemonConfiguration, logger: Logger) throws -> OversightDaemon {
        let listener = SocketActivation.inheritedSocket().map(Listener.inherited) ?? .path(configuration.socketPath)
        if configuration.varlinkCertification {
            if case .path(let path) = listener { try clearStaleSocket(path) }
            return OversightDaemon(
                configuration: configuration, logger: logger, lock: nil, log: nil, listener: listener)
        }
        do {
            try FileManager.default.createDirectory(
                atPath: configuration.stateDirectory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw StartError.stateDirectory(configuration.stateDirectory, error.localizedDescription)
        }
        let lock = try StateDirectoryLock(stateDirectory: configuration.stateDirectory)
        do {
            if case .path(let path) = listener { try clearStaleSocket(path) }
            let log = try SQLiteEventLog(
                path: configuration.databasePath,
                projections: ReadModels.all,
                logger: logger
            )
            let signer = try AuditKeyFile.loadOrCreate(
                stateDirectory: configuration.stateDirectory, name: configuration.audit.keyName, logger: logger)
            let mirror = try configuration.audit.mirrorPath.map { path in
                try AuditMirror.open(path: path, log: log, logger: logger)
            }
            return OversightDaemon(
                configuration: configuration, logger: logger, lock: lock, log: log, signer: signer, mirror: mirror,
                listener: listener)
        } catch {
            lock.release()
            throw error
        }
    }

    /// Removes a socket file left by a daemon that died, after checking nobody answers on it.
    private static func clearStaleSocket(_ path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            do {
                try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            } catch {
                throw StartError.socketDirectory(directory, error.localizedDescription)
            }
        }
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        if SocketProbe.isListening(path) { throw StartError.socketInUse(path) }
        unlink(path)
    }

    public func run() async throws {
        // SIGHUP: reload. Ignored first, so that the signal never kills the daemon; Dispatch still reports it. A
        // SIGHUP during start-up is kept (one) and handled once serving.
        signal(SIGHUP, SIG_IGN)
        let (hangups, hangup) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        let hangupSource = DispatchSource.makeSignalSource(signal: SIGHUP, queue: .global())
        hangupSource.setEventHandler { hangup.yield() }
        hangupSource.resume()

        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let threadPool = NIOThreadPool(numberOfThreads: 2)
        threadPool.start()
        let info = VarlinkServiceInfo(
            vendor: "Oversight", product: "oversightd", version: OversightVersion.current,
            url: "https://oversight.invalid/"
        )
        var serverConfiguration = VarlinkServerConfiguration()
        serverConfiguration.socketMode = nil  // ListeningSocket sets 0660 before listen(2)
        serverConfiguration.maximumConnectionsPerUID = configuration.maxConnectionsPerUser
        serverConfiguration.connectionLimitError = ErrorMapping.tooManyConnections(
            limit: configuration.maxConnectionsPerUser)
        let connections: @Sendable () -> Int = { [self] in serverBox.withLock { $0?.connectionCount ?? 0 } }

        let settings = self.settings
        let access = AccessControl(settings: settings, accounts: .system)
        var handlers: [any VarlinkInterfaceHandler] = []
        var writer: CommandWriter?
        var followers: FollowerHub?
        var checkpointer: Checkpointer?
        if let log, let signer {
            let hub = FollowerHub(log: log, head: try log.head().position, logger: logger) { event in
                (try? LogInterface.encode(event)) ?? ["position": .int(event.position)]
            }
            let mirror = self.mirror
            let signing = Mutex<Checkpointer?>(nil)
            let commandWriter = CommandWriter(
                log: log, clock: .live(timeZone: configuration.timeZone), logger: logger,
                onCommit: { events in
                    mirror?.append(events)
                    hub.committed(events)
                    if let last = events.last {
                        signing.withLock { $0 }?.committed(head: last.position)
                    }
                }
            )
            let auditCheckpointer = Checkpointer(
                signer: signer, settings: configuration.audit, writer: commandWriter,
                lastSize: try log.latestCheckpoint()?.size ?? 0, logger: logger)
            signing.withLock { $0 = auditCheckpointer }
            checkpointer = auditCheckpointer
            commandWriter.start()
            auditCheckpointer.committed(head: try log.head().position)
            let gateway = CommandGateway(writer: commandWriter, identities: PeerIdentityResolver(), access: access)
            let queries = QueryRunner(reader: log.reader, threadPool: threadPool)
            let stateDirectory = configuration.stateDirectory
            let started = self.started
            handlers = [
                try DepartmentsInterface(gateway: gateway, queries: queries),
                try TopicsInterface(gateway: gateway, queries: queries),
                try ReportsInterface(queries: queries, clock: .live(timeZone: configuration.timeZone)),
                try InquiriesInterface(gateway: gateway, queries: queries),
                try VotesInterface(gateway: gateway, queries: queries),
                try StationsInterface(gateway: gateway, queries: queries),
                try EvaluationsInterface(gateway: gateway, queries: queries) { settings.current.evaluationRule },
                try ItemsInterface(gateway: gateway, queries: queries),
                try SuggestionsInterface(gateway: gateway, queries: queries) { settings.current.workingCalendar },
                try AdminInterface(log: log),
                try AuditInterface(log: log, checkpointer: auditCheckpointer, mirror: mirror, queries: queries),
                try LogInterface(log: log, followers: hub, queries: queries) {
                    DaemonStatus(
                        version: OversightVersion.current,
                        uptimeSeconds: Double((ContinuousClock.now - started).components.seconds),
                        connections: connections(), stateDirectory: stateDirectory
                    )
                },
            ]
            writer = commandWriter
            followers = hub
        } else {
            handlers = [CertificationHandler()]
        }

        if log != nil {
            // Every product method is checked against the caller's role before it reaches its handler.
            handlers = handlers.map(access.guarding)
        }
        let server = VarlinkServer(
            info: info, handlers: handlers, configuration: serverConfiguration, eventLoopGroup: group, logger: logger
        )
        serverBox.withLock { $0 = server }
        switch listener {
        case .path(let path):
            try await server.start(adoptingListeningSocket: try ListeningSocket.make(path: path, mode: 0o660))
        case .inherited(let fd): try await server.start(adoptingListeningSocket: fd)
        }
        logger.info("Listening", metadata: [LogKey.socket: "\(describe(listener))"])
        notifier.notify(["READY=1", "STATUS=\(statusLine())"])

        await withTaskGroup(of: Void.self) { group in
            if notifier.isEnabled {
                // Keeps `systemctl status` current: the log head and the connections, sent when they change.
                group.addTask {
                    var last = self.statusLine()
                    while !Task.isCancelled {
                        try? await Task.sleep(for: .seconds(2))
                        let line = self.statusLine()
                        if line != last, !Task.isCancelled {
                            self.notifier.notify(["STATUS=\(line)"])
                            last = line
                        }
                    }
                }
            }
            group.addTask {
                for await _ in hangups { self.reload() }
            }
            if let checkpointer, let interval = configuration.audit.checkpointInterval, let log {
                // A checkpoint at least this often while the log grows, so a witness never waits long.
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        if !Task.isCancelled, let head = try? log.head().position { checkpointer.tick(head: head) }
                    }
                }
            }
            if configuration.watchdog, let interval = SystemdNotifier.watchdogInterval(), notifier.isEnabled {
                // systemd restarts the service when these stop coming (WatchdogSec=).
                let notifier = self.notifier
                group.addTask {
                    while !Task.isCancelled {
                        notifier.notify(["WATCHDOG=1"])
                        try? await Task.sleep(for: interval)
                    }
                }
            }
            try? await gracefulShutdown()
            hangupSource.cancel()
            hangup.finish()
            group.cancelAll()
        }

        logger.info("Draining")
        notifier.notify(["STOPPING=1", "STATUS=Stopping"])
        followers?.stop()
        await server.shutdown(gracePeriod: configuration.shutdownGracePeriod)
        await writer?.stop()
        try? await threadPool.shutdownGracefully()
        try? await group.shutdownGracefully()
        if case .path(let path) = listener { unlink(path) }
        lock?.release()
        logger.info("Stopped")
    }

    /// The one-line state systemd shows: where the daemon listens, the log head and the open connections.
    func statusLine() -> String {
        var line = "Serving on \(describe(listener))"
        if let log, let head = try? log.head() { line += "; log head \(head.position)" }
        let connections = serverBox.withLock { $0?.connectionCount ?? 0 }
        return line + "; \(connections) connection\(connections == 1 ? "" : "s")"
    }

    /// Reads the configuration again and puts in force what can change at run time.
    ///
    /// The same command line and the file as it is now give the roles, the holiday calendar and the default
    /// evaluation rule. An invalid configuration is logged and changes nothing. Tells systemd `RELOADING=1` (with
    /// `MONOTONIC_USEC`), then `READY=1`.
    func reload() {
        notifier.notify(["RELOADING=1", "MONOTONIC_USEC=\(SystemdNotifier.monotonicMicroseconds())"])
        guard let commandLine = configuration.commandLine, !configuration.varlinkCertification else {
            logger.notice("Reload: nothing to reload")
            notifier.notify(["READY=1", "STATUS=\(statusLine())"])
            return
        }
        do {
            let fresh = try DaemonConfiguration.resolve(commandLine)
            settings.replace(with: fresh)
            var restartOnly: [String] = []
            if fresh.socketPath != configuration.socketPath { restartOnly.append("socket") }
            if fresh.stateDirectory != configuration.stateDirectory { restartOnly.append("state-dir") }
            if fresh.timeZone != configuration.timeZone { restartOnly.append("time-zone") }
            if fresh.logLevel != configuration.logLevel { restartOnly.append("log-level") }
            if fresh.watchdog != configuration.watchdog { restartOnly.append("watchdog") }
            if fresh.maxConnectionsPerUser != configuration.maxConnectionsPerUser {
                restartOnly.append("max-connections-per-user")
            }
            if !restartOnly.isEmpty {
                logger.notice(
                    "Reload: changed settings take effect at the next start",
                    metadata: [LogKey.configuration: "\(restartOnly.joined(separator: ", "))"])
            }
            logger.notice(
                "Configuration reloaded", metadata: [LogKey.configuration: "\(fresh.configurationFile ?? "defaults")"])
            notifier.notify(["READY=1", "STATUS=\(statusLine()); configuration reloaded"])
        } catch {
            let reason = "\(error)".replacingOccurrences(of: "\n", with: " ")
            logger.error(
                "Reload failed; keeping the previous configuration", metadata: [LogKey.error: "\(reason)"])
            notifier.notify(["READY=1", "STATUS=Reload failed, keeping the previous configuration: \(reason)"])
        }
    }

    private func describe(_ listener: Listener) -> String {
        switch listener {
        case .path(let path): path
        case .inherited(let fd): "inherited socket fd \(fd)"
        }
    }
}

import Logging
import NIOCore
import NIOPosix
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A varlink server on a Unix socket; `org.varlink.service` is built in.
///
/// Each connection gets a ``VarlinkConnectionHandler`` that serves its calls one at a time, in order. Errors on
/// one connection never affect the others.
public final class VarlinkServer: Sendable {
    private struct Connection {
        var channel: any Channel
        var uid: UInt32?
    }

    private struct State {
        var listener: (any Channel)?
        var started = false
        var shuttingDown = false
        /// Socket file bound by this server and its inode, to unlink it at shutdown only if still ours.
        var boundPath: (path: String, device: UInt64, inode: UInt64)?
        var connections: [UInt64: Connection] = [:]
        var connectionsPerUID: [UInt32: Int] = [:]
        var nextConnectionID: UInt64 = 1
        /// Connections beyond the per-UID limit still waiting for their refusal (see ``VarlinkRefusalHandler``).
        var refusalsInFlight = 0
    }

    /// What happens to a new connection.
    private enum Admission {
        /// Served, under this connection id.
        case accepted(UInt64)
        /// Its user holds too many connections: its first call is answered with the limit error.
        case refused
        /// Closed at once (shutting down, or too many refusals already in flight).
        case dropped
    }

    /// The most refused connections waiting for their first call at once; beyond it they are closed unanswered,
    /// so that a flood of refused connections cannot hold file descriptors.
    private static let maximumRefusalsInFlight = 64
    /// How long a refused connection may take to send its first call.
    private static let refusalTimeout = TimeAmount.seconds(2)

    private let info: VarlinkServiceInfo
    private let configuration: VarlinkServerConfiguration
    private let eventLoopGroup: any EventLoopGroup
    private let logger: Logger
    private let dispatcher: VarlinkDispatcher
    private let state = Mutex(State())

    /// Creates a server for `handlers` (plus the built-in `org.varlink.service`).
    ///
    /// - Parameters:
    ///   - info: What `org.varlink.service.GetInfo` reports.
    ///   - handlers: One handler per interface; if two serve the same interface, the first wins.
    ///   - configuration: Limits and socket settings.
    ///   - eventLoopGroup: Where the listener and connections run.
    ///   - logger: Used for connection-level events (info and below).
    public init(
        info: VarlinkServiceInfo,
        handlers: [any VarlinkInterfaceHandler],
        configuration: VarlinkServerConfiguration = .init(),
        eventLoopGroup: any EventLoopGroup,
        logger: Logger
    ) {
        self.info = info
        self.configuration = configuration
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
        let userHandlers = handlers.filter { $0.interface.name != VarlinkInterface.service.name }
        let service = ServiceInterfaceHandler(info: info, interfaces: userHandlers.map(\.interface))
        self.dispatcher = VarlinkDispatcher(handlers: [service] + userHandlers)
    }

    /// The number of open connections.
    public var connectionCount: Int {
        state.withLock { $0.connections.count }
    }

    /// Binds a new socket at `path` and starts accepting.
    ///
    /// The caller has already removed any stale file (after taking its lock). The socket's mode is set to
    /// ``VarlinkServerConfiguration/socketMode``. ``shutdown(gracePeriod:)`` unlinks the file if it is still the
    /// one this server bound.
    /// - Throws: ``VarlinkServerError`` if already started, or the bind error.
    public func start(unixSocketPath path: String) async throws {
        try reserveStart()
        let channel: any Channel
        do {
            channel = try await makeBootstrap().bind(unixDomainSocketPath: path).get()
        } catch {
            state.withLock { $0.started = false }
            throw error
        }
        if let mode = configuration.socketMode, chmod(path, mode) != 0 {
            let code = errno
            try? await channel.close()
            state.withLock { $0.started = false }
            throw VarlinkServerError.socketSetupFailed(path: path, errno: code)
        }
        var info = stat()
        let bound = stat(path, &info) == 0 ? (path, UInt64(info.st_dev), UInt64(info.st_ino)) : nil
        try await installListener(channel, boundPath: bound)
        logger.info("Listening", metadata: ["ov.socket": "\(path)"])
    }

    /// Adopts an already listening socket (systemd socket activation); the socket file is never unlinked.
    ///
    /// - Parameter fd: A bound `AF_UNIX` `SOCK_STREAM` socket; `listen` is called again, which is harmless.
    /// - Throws: ``VarlinkServerError`` if already started or `listen` fails, or the registration error.
    public func start(adoptingListeningSocket fd: Int32) async throws {
        try reserveStart()
        guard listen(fd, 128) == 0 else {
            let code = errno
            state.withLock { $0.started = false }
            throw VarlinkServerError.socketSetupFailed(path: "fd \(fd)", errno: code)
        }
        let channel: any Channel
        do {
            channel = try await makeBootstrap().withBoundSocket(fd).get()
        } catch {
            state.withLock { $0.started = false }
            throw error
        }
        try await installListener(channel, boundPath: nil)
        logger.debug("Listening", metadata: ["ov.socket": "fd \(fd)"])
    }

    /// Stops gracefully.
    ///
    /// Closes the listener, lets calls in flight finish (queued calls are dropped), closes idle connections at
    /// once, and force-closes whatever is still open after `gracePeriod`. Streaming calls get their
    /// ``VarlinkResponder/onCancel(_:)`` callbacks when their connection closes. Safe to call more than once.
    public func shutdown(gracePeriod: Duration) async {
        let (listener, channels, boundPath) = state.withLock { state in
            state.shuttingDown = true
            let listener = state.listener
            state.listener = nil
            return (listener, state.connections.values.map(\.channel), state.boundPath)
        }
        try? await listener?.close()
        if let boundPath {
            var info = stat()
            if stat(boundPath.path, &info) == 0, UInt64(info.st_dev) == boundPath.device,
                UInt64(info.st_ino) == boundPath.inode
            {
                unlink(boundPath.path)
            }
            state.withLock { $0.boundPath = nil }
        }
        guard !channels.isEmpty else { return }
        logger.info("Draining connections", metadata: ["ov.connections": "\(channels.count)"])
        for channel in channels {
            channel.pipeline.fireUserInboundEventTriggered(VarlinkServerShutdownEvent())
        }
        let loop = eventLoopGroup.next()
        let allClosed = EventLoopFuture.andAllComplete(channels.map(\.closeFuture), on: loop)
        let deadline = loop.scheduleTask(in: TimeAmount(gracePeriod)) {}
        allClosed.whenComplete { _ in deadline.cancel() }
        _ = try? await deadline.futureResult.get()
        let remaining = channels.filter(\.isActive)
        if !remaining.isEmpty {
            logger.info("Closing connections after grace period", metadata: ["ov.connections": "\(remaining.count)"])
        }
        for channel in remaining { channel.close(promise: nil) }
        try? await allClosed.get()
    }

    // MARK: Internals

    private func reserveStart() throws {
        try state.withLock { state in
            guard !state.started, !state.shuttingDown else { throw VarlinkServerError.alreadyStarted }
            state.started = true
        }
    }

    private func installListener(
        _ channel: any Channel,
        boundPath: (path: String, device: UInt64, inode: UInt64)?
    ) async throws {
        let stopped = state.withLock { state -> Bool in
            if state.shuttingDown { return true }
            state.listener = channel
            state.boundPath = boundPath
            return false
        }
        if stopped {
            try? await channel.close()
            throw VarlinkServerError.alreadyStarted
        }
    }

    private func makeBootstrap() -> ServerBootstrap {
        ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { [self] channel in
                self.initializeConnection(channel)
            }
    }

    private func initializeConnection(_ channel: any Channel) -> EventLoopFuture<Void> {
        peerCredentials(of: channel).flatMapThrowing { peer in
            let connectionID: UInt64
            switch self.admit(channel, peer: peer) {
            case .accepted(let id):
                connectionID = id
            case .refused:
                channel.closeFuture.whenComplete { _ in self.state.withLock { $0.refusalsInFlight -= 1 } }
                try channel.pipeline.syncOperations.addHandlers(
                    ByteToMessageHandler(VarlinkFrameDecoder(), maximumBufferSize: 64 * 1024),
                    VarlinkRefusalHandler(error: self.configuration.connectionLimitError, timeout: Self.refusalTimeout)
                )
                return
            case .dropped:
                channel.close(promise: nil)
                return
            }
            var logger = self.logger
            logger[metadataKey: "ov.connection.id"] = "\(connectionID)"
            if let peer {
                logger[metadataKey: "ov.peer.uid"] = "\(peer.uid)"
                logger[metadataKey: "ov.peer.pid"] = "\(peer.pid)"
            }
            let callContext = VarlinkCallContext(
                peer: peer,
                connectionID: connectionID,
                logger: logger,
                eventLoop: channel.eventLoop
            )
            try channel.pipeline.syncOperations.addHandlers(
                ByteToMessageHandler(VarlinkFrameDecoder(), maximumBufferSize: self.configuration.maximumMessageSize),
                VarlinkConnectionHandler(
                    dispatcher: self.dispatcher,
                    callContext: callContext,
                    configuration: self.configuration
                )
            )
            channel.closeFuture.whenComplete { _ in self.unregister(connectionID) }
            logger.debug("Connection accepted")
        }
    }

    /// Records a new connection, or decides how to refuse it (shutting down, or its user holds too many).
    private func admit(_ channel: any Channel, peer: PeerCredentials?) -> Admission {
        let limit = configuration.maximumConnectionsPerUID
        let admission = state.withLock { state -> Admission in
            guard !state.shuttingDown else { return .dropped }
            if let uid = peer?.uid {
                let count = state.connectionsPerUID[uid, default: 0]
                guard count < limit else {
                    guard state.refusalsInFlight < Self.maximumRefusalsInFlight else { return .dropped }
                    state.refusalsInFlight += 1
                    return .refused
                }
                state.connectionsPerUID[uid] = count + 1
            }
            let id = state.nextConnectionID
            state.nextConnectionID += 1
            state.connections[id] = Connection(channel: channel, uid: peer?.uid)
            return .accepted(id)
        }
        if case .accepted = admission { return admission }
        if let uid = peer?.uid, !state.withLock({ $0.shuttingDown }) {
            logger.info(
                "Refusing connection",
                metadata: ["ov.peer.uid": "\(uid)", "ov.error": "more than \(limit) connections of this user"]
            )
        }
        return admission
    }

    private func unregister(_ id: UInt64) {
        state.withLock { state in
            guard let connection = state.connections.removeValue(forKey: id) else { return }
            if let uid = connection.uid {
                let count = state.connectionsPerUID[uid, default: 1] - 1
                state.connectionsPerUID[uid] = count > 0 ? count : nil
            }
        }
    }

    /// Reads `SO_PEERCRED`; `nil` where the platform or socket has no credentials.
    private func peerCredentials(of channel: any Channel) -> EventLoopFuture<PeerCredentials?> {
        #if os(Linux)
        guard let provider = channel as? any SocketOptionProvider else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let future: EventLoopFuture<LinuxUcred> = provider.unsafeGetSocketOption(
            level: SocketOptionLevel(SOL_SOCKET),
            name: SocketOptionName(SO_PEERCRED)
        )
        return future.map { credentials -> PeerCredentials? in
            PeerCredentials(pid: credentials.pid, uid: credentials.uid, gid: credentials.gid)
        }.recover { _ in nil }
        #else
        return channel.eventLoop.makeSucceededFuture(nil)
        #endif
    }
}

/// The layout of Linux's `struct ucred` (`pid_t pid; uid_t uid; gid_t gid;`).
private struct LinuxUcred: Sendable {
    var pid: Int32 = 0
    var uid: UInt32 = 0
    var gid: UInt32 = 0
}

/// Why a ``VarlinkServer`` could not start.
public enum VarlinkServerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `start` was called twice, or after `shutdown`.
    case alreadyStarted
    /// Setting up the socket failed (`chmod` or `listen`) with this `errno`.
    case socketSetupFailed(path: String, errno: Int32)

    /// A sentence a user can act on.
    public var description: String {
        switch self {
        case .alreadyStarted: "the varlink server was already started or shut down; create a new one"
        case .socketSetupFailed(let path, let code):
            "setting up the varlink socket \(path) failed: \(String(cString: strerror(code)))"
        }
    }
}

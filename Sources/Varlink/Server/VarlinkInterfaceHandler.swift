import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Credentials of the peer process (`SO_PEERCRED`), when the transport has them.
public struct PeerCredentials: Sendable, Equatable {
    /// The peer's process id at connect time.
    public var pid: Int32
    /// The peer's effective user id.
    public var uid: UInt32
    /// The peer's effective group id.
    public var gid: UInt32

    /// Creates credentials.
    public init(pid: Int32, uid: UInt32, gid: UInt32) {
        self.pid = pid
        self.uid = uid
        self.gid = gid
    }
}

/// What a handler knows about the call's connection.
public struct VarlinkCallContext: Sendable {
    /// The peer's credentials, or `nil` if the transport has none.
    public var peer: PeerCredentials?
    /// A number identifying the connection within its server.
    public var connectionID: UInt64
    /// A logger carrying the connection's metadata (`ov.connection.id`, `ov.peer.uid`, `ov.varlink.method`).
    public var logger: Logger
    /// The connection's event loop; ``VarlinkInterfaceHandler/handle(_:context:responder:)`` runs on it.
    public var eventLoop: any EventLoop

    /// Creates a context.
    public init(peer: PeerCredentials?, connectionID: UInt64, logger: Logger, eventLoop: any EventLoop) {
        self.peer = peer
        self.connectionID = connectionID
        self.logger = logger
        self.eventLoop = eventLoop
    }
}

/// One interface served by a ``VarlinkServer``.
public protocol VarlinkInterfaceHandler: Sendable {
    /// The interface this handler serves; the server routes calls and validates parameters against it.
    var interface: VarlinkInterface { get }

    /// Handles one call; answer through `responder`, now or later, from any thread.
    ///
    /// Called on the connection's event loop after dispatch and parameter validation succeeded: the method is
    /// declared, the parameters match its declaration, `upgrade` is not set, and `more` is set if the method
    /// requires it. The next call on the connection waits until the final reply.
    /// - Important: Must not block: it runs on the event loop. Hand long work to a task and reply from there.
    func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder)
}

/// What `org.varlink.service.GetInfo` says about the service.
public struct VarlinkServiceInfo: Sendable, Equatable {
    /// The vendor, such as `Example Corp`.
    public var vendor: String
    /// The product name.
    public var product: String
    /// The product version.
    public var version: String
    /// A URL for the product.
    public var url: String

    /// Creates service information.
    public init(vendor: String, product: String, version: String, url: String) {
        self.vendor = vendor
        self.product = product
        self.version = version
        self.url = url
    }
}

/// Limits and settings of a ``VarlinkServer``.
public struct VarlinkServerConfiguration: Sendable {
    /// The largest message accepted, in bytes; a peer that sends more without a NUL is disconnected.
    public var maximumMessageSize: Int = 16 * 1024 * 1024
    /// The mode set on a socket file bound by ``VarlinkServer/start(unixSocketPath:)``; `nil` leaves it as is.
    public var socketMode: mode_t? = 0o660
    /// The most connections one user id may hold (systemd's default is 1024).
    ///
    /// A connection beyond it is logged, its first call is answered with ``connectionLimitError``, and it is
    /// closed; nothing it sends is dispatched.
    public var maximumConnectionsPerUID: Int = 1024
    /// The error that answers the first call of a connection beyond ``maximumConnectionsPerUID``.
    ///
    /// systemd refuses such a connection with `EPERM`; the default says the same in the standard vocabulary. A
    /// product should declare an error of its own that names the limit.
    public var connectionLimitError: VarlinkError = .permissionDenied
    /// The most calls that may wait behind the active call on one connection; beyond it the connection is closed.
    public var maximumPendingCalls: Int = 1024
    /// The most replies that may be queued for a peer that does not read; beyond it the connection is closed.
    public var maximumQueuedReplies: Int = 65536

    /// Creates the default configuration.
    public init() {}
}

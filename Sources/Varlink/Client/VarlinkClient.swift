import NIOCore
import NIOPosix

/// A varlink client: one connection, calls answered in order.
///
/// Calls may be made concurrently from several tasks; they are sent in the order they reach the connection's
/// event loop and answered in that order. A streaming call (``callMore(_:_:)``) occupies the connection until its
/// last reply, as the protocol requires. The client sends no `"more": false` or `"oneway": false` keys and no
/// vendor extensions.
public final class VarlinkClient: Sendable {
    /// The largest reply accepted, in bytes.
    static let maximumMessageSize = 16 * 1024 * 1024

    private let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    /// Connects to a varlink service on a Unix socket.
    ///
    /// - Parameters:
    ///   - unixSocketPath: A path, or a `unix:/path` address; anything after `;` is ignored.
    ///   - eventLoopGroup: Where the connection runs.
    /// - Throws: ``VarlinkClientError/invalidAddress(_:)`` for other address kinds, or the connect error.
    public static func connect(
        unixSocketPath: String,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> VarlinkClient {
        let path = try socketPath(fromAddress: unixSocketPath)
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers(
                        ByteToMessageHandler(VarlinkFrameDecoder(), maximumBufferSize: maximumMessageSize),
                        VarlinkClientHandler()
                    )
                }
            }
            .connect(unixDomainSocketPath: path)
            .get()
        return VarlinkClient(channel: channel)
    }

    /// The socket path of a `unix:` address or plain path.
    static func socketPath(fromAddress address: String) throws -> String {
        var path = Substring(address)
        if let semicolon = path.firstIndex(of: ";") { path = path[..<semicolon] }
        if path.hasPrefix("unix:") { path = path.dropFirst("unix:".count) }
        guard !path.isEmpty, !path.hasPrefix("@"), !path.contains(":") || path.hasPrefix("/") else {
            throw VarlinkClientError.invalidAddress(address)
        }
        return String(path)
    }

    /// Calls `method` and returns the output parameters of its reply.
    ///
    /// - Throws: ``VarlinkError`` on an error reply, ``VarlinkClientError`` if the connection fails.
    public func call(_ method: String, _ parameters: [String: JSONValue] = [:]) async throws -> [String: JSONValue] {
        let promise = channel.eventLoop.makePromise(of: [String: JSONValue].self)
        let request = VarlinkClientRequest(
            call: VarlinkCall(method: method, parameters: parameters), sink: .single(promise))
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { promise.fail(Self.clientError($0)) }
        channel.writeAndFlush(request, promise: written)
        return try await promise.futureResult.get()
    }

    /// Calls `method` with `more` and streams its replies.
    ///
    /// The stream ends after a reply without `continues`, throws ``VarlinkError`` on an error reply, and throws
    /// ``VarlinkClientError`` if the connection fails. Cancelling the consumer closes the connection (the only
    /// way to cancel a varlink call); the client cannot be used after that.
    public func callMore(
        _ method: String,
        _ parameters: [String: JSONValue] = [:]
    ) -> AsyncThrowingStream<[String: JSONValue], any Error> {
        let (stream, continuation) = AsyncThrowingStream<[String: JSONValue], any Error>.makeStream()
        let channel = self.channel
        continuation.onTermination = { termination in
            if case .cancelled = termination { channel.close(promise: nil) }
        }
        let call = VarlinkCall(method: method, parameters: parameters, more: true)
        let written = channel.eventLoop.makePromise(of: Void.self)
        written.futureResult.whenFailure { error in continuation.finish(throwing: Self.clientError(error)) }
        channel.writeAndFlush(VarlinkClientRequest(call: call, sink: .stream(continuation)), promise: written)
        return stream
    }

    /// Calls `method` with `oneway`: the server sends no reply; returns once the call is written.
    ///
    /// - Throws: ``VarlinkClientError`` if the call could not be sent.
    public func callOneway(_ method: String, _ parameters: [String: JSONValue] = [:]) async throws {
        let call = VarlinkCall(method: method, parameters: parameters, oneway: true)
        do {
            try await channel.writeAndFlush(VarlinkClientRequest(call: call, sink: .none)).get()
        } catch {
            throw Self.clientError(error)
        }
    }

    /// Closes the connection; calls still waiting fail with ``VarlinkClientError/connectionClosed``.
    public func close() async {
        try? await channel.close()
    }

    private static func clientError(_ error: any Error) -> any Error {
        if error is VarlinkClientError { return error }
        return VarlinkClientError.connectionClosed
    }
}

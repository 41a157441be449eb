import NIOCore

/// Serves a connection the server refused (its user holds too many): answers the first call with one error, then
/// closes.
///
/// Varlink has no message a server may send unasked, so the refusal waits for the client's first call. A client
/// that sends nothing is closed after `timeout`; one that sends garbage or closes its side is closed at once.
final class VarlinkRefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let error: VarlinkError
    private let timeout: TimeAmount
    private var answered = false
    private var timer: Scheduled<Void>?

    init(error: VarlinkError, timeout: TimeAmount) {
        self.error = error
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // Whatever the message says (even a oneway call or bad JSON), one error answers it; nothing is dispatched.
        guard !answered else { return }
        answered = true
        var buffer = context.channel.allocator.buffer(capacity: 256)
        VarlinkReply(error: error).serialize(into: &buffer)
        let channel = context.channel
        context.writeAndFlush(Self.wrapOutboundOut(buffer)).whenComplete { _ in channel.close(promise: nil) }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, event == .inputClosed, !answered {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

@available(*, unavailable)
extension VarlinkRefusalHandler: Sendable {}

import Logging
import NIOCore

/// Sent through a connection's pipeline when its server shuts down gracefully.
struct VarlinkServerShutdownEvent: Sendable {}

/// Serves varlink calls on one connection; follows the decisions of ``VarlinkConnection/StateMachine``.
///
/// Inbound: one message per read (from ``VarlinkFrameDecoder``). Outbound: serialised replies with their NUL.
/// Replies written while a read burst is being processed are flushed once at `channelReadComplete`.
final class VarlinkConnectionHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var stateMachine: VarlinkConnection.StateMachine
    private let dispatcher: VarlinkDispatcher
    private let callContext: VarlinkCallContext
    private let maximumQueuedReplies: Int

    private var context: ChannelHandlerContext?
    private var activeResponder: VarlinkResponder?
    private var activeOneway = false
    /// True while a handler runs synchronously inside ``dispatchLoop(_:)``.
    private var dispatching = false
    /// Set when the active call finished while ``dispatching``; the loop then moves on.
    private var finishedDuringDispatch = false
    private var readInProgress = false
    private var flushPending = false
    private var repliesWhileUnwritable = 0

    init(dispatcher: VarlinkDispatcher, callContext: VarlinkCallContext, configuration: VarlinkServerConfiguration) {
        self.dispatcher = dispatcher
        self.callContext = callContext
        self.maximumQueuedReplies = configuration.maximumQueuedReplies
        self.stateMachine = VarlinkConnection.StateMachine(maximumPendingCalls: configuration.maximumPendingCalls)
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        connectionClosed()
        self.context = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        connectionClosed()
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = Self.unwrapInboundIn(data)
        let result: Result<VarlinkCall, VarlinkProtocolError>
        do {
            let json = try message.withUnsafeReadableBytes { try JSONValue.parse($0) }
            result = .success(try VarlinkCall(message: json))
        } catch let error as JSONParseError {
            result = .failure(.invalidJSON(error))
        } catch let error as VarlinkProtocolError {
            result = .failure(error)
        } catch {
            result = .failure(.notAnObject)
        }
        readInProgress = true
        perform(stateMachine.callReceived(result))
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        readInProgress = false
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.fireChannelReadComplete()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Neither event arrives inside a read burst; make sure nothing written earlier waits for a flush.
        readInProgress = false
        if flushPending {
            flushPending = false
            context.flush()
        }
        switch event {
        case ChannelEvent.inputClosed:
            perform(stateMachine.peerClosedInput())
        case is VarlinkServerShutdownEvent:
            perform(stateMachine.shutdownRequested())
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { repliesWhileUnwritable = 0 }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is ByteToMessageDecoderError.PayloadTooLargeError {
            callContext.logger.info("Closing connection", metadata: ["ov.error": "message too large"])
        } else {
            callContext.logger.debug("Closing connection", metadata: ["ov.error": "\(error)"])
        }
        context.close(promise: nil)
    }

    // MARK: Actions

    private func perform(_ action: VarlinkConnection.StateMachine.Action) {
        switch action {
        case .none:
            return
        case .dispatch:
            dispatchLoop(action)
        case .close(let reason):
            close(reason)
        }
    }

    /// Runs calls one after another as long as each finishes synchronously; iterative to keep the stack flat.
    private func dispatchLoop(_ first: VarlinkConnection.StateMachine.Action) {
        var action = first
        while case .dispatch(let call, let id) = action {
            dispatching = true
            finishedDuringDispatch = false
            start(call, id: id)
            dispatching = false
            guard finishedDuringDispatch else { return }
            action = stateMachine.callFinished(id)
        }
        perform(action)
    }

    private func start(_ call: VarlinkCall, id: UInt64) {
        guard let context else { return }
        let loopBound = NIOLoopBound(self, eventLoop: context.eventLoop)
        let responder = VarlinkResponder(more: call.more, oneway: call.oneway, eventLoop: context.eventLoop) {
            reply, final, written in
            loopBound.value.deliver(reply, final: final, callID: id, written: written)
        }
        activeResponder = responder
        activeOneway = call.oneway
        var logger = callContext.logger
        logger[metadataKey: "ov.varlink.method"] = "\(call.method)"
        logger.debug("Call")
        switch dispatcher.route(call) {
        case .failure(let error):
            responder.fail(error)
        case .success(let handler):
            var callContext = self.callContext
            callContext.logger = logger
            handler.handle(call, context: callContext, responder: responder)
        }
    }

    /// Writes a reply of call `callID` (if still active) and moves on after the final one.
    private func deliver(_ reply: VarlinkReply?, final: Bool, callID: UInt64, written: (@Sendable () -> Void)?) {
        guard let context, stateMachine.activeCallID == callID, !stateMachine.isClosed else {
            written?()
            return
        }
        var promise: EventLoopPromise<Void>?
        if let written {
            let made = context.eventLoop.makePromise(of: Void.self)
            made.futureResult.whenComplete { _ in written() }
            promise = made
        }
        if let reply {
            var buffer = context.channel.allocator.buffer(capacity: 256)
            reply.serialize(into: &buffer)
            if !context.channel.isWritable {
                repliesWhileUnwritable += 1
                if repliesWhileUnwritable > maximumQueuedReplies {
                    callContext.logger.info("Closing connection", metadata: ["ov.error": "peer does not read replies"])
                    context.close(promise: nil)
                    promise?.succeed()
                    return
                }
            }
            if readInProgress {
                // Flushed once at channelReadComplete, so that pipelined replies go out together.
                context.write(Self.wrapOutboundOut(buffer), promise: promise)
                flushPending = true
            } else {
                context.writeAndFlush(Self.wrapOutboundOut(buffer), promise: promise)
            }
        } else {
            promise?.succeed()
        }
        guard final else { return }
        activeResponder = nil
        if dispatching {
            finishedDuringDispatch = true
        } else {
            dispatchLoop(stateMachine.callFinished(callID))
        }
    }

    private func close(_ reason: VarlinkConnection.CloseReason) {
        guard let context else { return }
        switch reason {
        case .protocolViolation, .tooManyPendingCalls:
            callContext.logger.info("Closing connection", metadata: ["ov.error": "\(reason)"])
        case .peerClosed, .shutdown:
            callContext.logger.debug("Closing connection", metadata: ["ov.error": "\(reason)"])
        }
        if flushPending {
            flushPending = false
            context.flush()
        }
        context.close(promise: nil)
    }

    /// Cancels the call in flight, once.
    private func connectionClosed() {
        _ = stateMachine.channelClosed()
        if let responder = activeResponder {
            activeResponder = nil
            responder.cancel()
        }
    }
}

@available(*, unavailable)
extension VarlinkConnectionHandler: Sendable {}

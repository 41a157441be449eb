import NIOCore

/// One call on its way to the server, and where its replies go.
struct VarlinkClientRequest: Sendable {
    enum Sink: Sendable {
        /// A plain call: one reply.
        case single(EventLoopPromise<[String: JSONValue]>)
        /// A `more` call: replies until one without `continues`.
        case stream(AsyncThrowingStream<[String: JSONValue], any Error>.Continuation)
        /// A `oneway` call: no reply.
        case none
    }

    var call: VarlinkCall
    var sink: Sink
}

/// Matches replies to calls by order (varlink has no request ids) and delivers them.
///
/// Outbound: ``VarlinkClientRequest``s, serialised with their NUL. Inbound: messages from ``VarlinkFrameDecoder``.
/// Any protocol violation or close fails every waiting call.
final class VarlinkClientHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = VarlinkClientRequest
    typealias OutboundOut = ByteBuffer

    private struct Waiting {
        var sink: VarlinkClientRequest.Sink
        var more: Bool
    }

    private var waiting = CircularBuffer<Waiting>()
    private var closedError: VarlinkClientError?

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let request = Self.unwrapOutboundIn(data)
        if let closedError {
            Self.fail(request.sink, closedError)
            promise?.fail(closedError)
            return
        }
        if case .none = request.sink {
        } else {
            waiting.append(Waiting(sink: request.sink, more: request.call.more))
        }
        var buffer = context.channel.allocator.buffer(capacity: 256)
        request.call.message.serialize(into: &buffer)
        buffer.writeInteger(UInt8(0))
        context.write(Self.wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = Self.unwrapInboundIn(data)
        let reply: VarlinkReply
        do {
            let json = try message.withUnsafeReadableBytes { try JSONValue.parse($0) }
            reply = try VarlinkReply(message: json)
        } catch let error as JSONParseError {
            return violation(.invalidJSON(error), context: context)
        } catch let error as VarlinkProtocolError {
            return violation(error, context: context)
        } catch {
            return violation(.notAnObject, context: context)
        }
        guard let first = waiting.first else { return violation(.unexpectedReply, context: context) }
        if reply.continues, !first.more { return violation(.unexpectedContinues, context: context) }
        if let name = reply.error {
            waiting.removeFirst()
            Self.fail(first.sink, VarlinkError(name, parameters: reply.parameters))
            return
        }
        switch first.sink {
        case .single(let promise):
            waiting.removeFirst()
            promise.succeed(reply.parameters)
        case .stream(let continuation):
            continuation.yield(reply.parameters)
            if !reply.continues {
                waiting.removeFirst()
                continuation.finish()
            }
        case .none:
            waiting.removeFirst()
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        failAll(.connectionClosed)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is ByteToMessageDecoderError.PayloadTooLargeError {
            violation(.messageTooLarge(maximum: VarlinkClient.maximumMessageSize), context: context)
        } else {
            failAll(.connectionClosed)
            context.close(promise: nil)
        }
    }

    private func violation(_ error: VarlinkProtocolError, context: ChannelHandlerContext) {
        failAll(.protocolViolation(error))
        context.close(promise: nil)
    }

    private func failAll(_ error: VarlinkClientError) {
        if closedError == nil { closedError = error }
        while let entry = waiting.popFirst() {
            Self.fail(entry.sink, error)
        }
    }

    private static func fail(_ sink: VarlinkClientRequest.Sink, _ error: any Error) {
        switch sink {
        case .single(let promise): promise.fail(error)
        case .stream(let continuation): continuation.finish(throwing: error)
        case .none: break
        }
    }
}

@available(*, unavailable)
extension VarlinkClientHandler: Sendable {}

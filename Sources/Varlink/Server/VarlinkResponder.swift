import NIOCore
import Synchronization

/// Sends the replies of one call.
///
/// Thread-safe: any thread may call it; it hops to the connection's event loop. For a `oneway` call every reply
/// is discarded. After a final reply (``reply(_:)`` or ``fail(_:)``) further replies are ignored (and assert in
/// debug builds).
public final class VarlinkResponder: Sendable {
    /// Where a reply goes: `reply` is `nil` when nothing must be written (oneway), `final` ends the call,
    /// `written` (if any) runs once the reply has been written to the socket, or at once if it never will be.
    typealias Delivery = @Sendable (_ reply: VarlinkReply?, _ final: Bool, _ written: (@Sendable () -> Void)?) -> Void

    private struct State {
        var finished = false
        var cancelled = false
        var cancelCallbacks: [@Sendable () -> Void] = []
    }

    private let more: Bool
    private let oneway: Bool
    private let eventLoop: any EventLoop
    private let deliver: Delivery
    private let state = Mutex(State())

    /// Creates a responder; `deliver` is always called on `eventLoop`.
    init(more: Bool, oneway: Bool, eventLoop: any EventLoop, deliver: @escaping Delivery) {
        self.more = more
        self.oneway = oneway
        self.eventLoop = eventLoop
        self.deliver = deliver
    }

    /// Sends the final reply.
    public func reply(_ parameters: [String: JSONValue] = [:]) {
        finish(VarlinkReply(parameters: parameters))
    }

    /// Sends an intermediate reply (`"continues": true`).
    ///
    /// Only for a call made with `more`; otherwise (and for `oneway`, or after the final reply) it is dropped,
    /// because a reply with `continues` is only allowed after `more`.
    public func send(_ parameters: [String: JSONValue]) {
        guard more, !state.withLock({ $0.finished }) else { return }
        hop(VarlinkReply(parameters: parameters, continues: true), final: false, written: nil)
    }

    /// Sends an intermediate reply and runs `written` once it has been written to the socket.
    ///
    /// `written` also runs (at once) when the reply is dropped or the connection is gone, so a producer that waits
    /// for it before sending more keeps at most one batch queued per slow peer and never stalls.
    public func send(_ parameters: [String: JSONValue], written: @escaping @Sendable () -> Void) {
        let state = state.withLock { ($0.finished, $0.cancelled) }
        guard more, !state.0, !state.1 else {
            written()
            return
        }
        hop(VarlinkReply(parameters: parameters, continues: true), final: false, written: written)
    }

    /// Whether the connection closed before the final reply.
    public var isCancelled: Bool {
        state.withLock { $0.cancelled }
    }

    /// Sends the final error reply.
    public func fail(_ error: VarlinkError) {
        finish(VarlinkReply(error: error))
    }

    /// Whether the final reply has been sent.
    public var isFinished: Bool {
        state.withLock { $0.finished }
    }

    /// Registers a callback run once if the connection closes before the final reply.
    ///
    /// The connection closes on peer EOF/HUP, an error, or server shutdown. Streaming handlers use it to cancel
    /// their subscriptions. Runs immediately if the connection is already closed; never runs once the final
    /// reply has been sent.
    public func onCancel(_ callback: @escaping @Sendable () -> Void) {
        let runNow = state.withLock { state -> Bool in
            if state.finished { return false }
            if state.cancelled { return true }
            state.cancelCallbacks.append(callback)
            return false
        }
        if runNow { callback() }
    }

    /// Marks the call cancelled (its connection closed) and runs the cancel callbacks once.
    func cancel() {
        let callbacks = state.withLock { state -> [@Sendable () -> Void] in
            guard !state.finished, !state.cancelled else { return [] }
            state.cancelled = true
            defer { state.cancelCallbacks = [] }
            return state.cancelCallbacks
        }
        for callback in callbacks { callback() }
    }

    private func finish(_ reply: VarlinkReply) {
        let first = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.finished = true
            state.cancelCallbacks = []
            return true
        }
        guard first else {
            assertionFailure("VarlinkResponder: a final reply was already sent for this call")
            return
        }
        hop(reply, final: true, written: nil)
    }

    private func hop(_ reply: VarlinkReply, final: Bool, written: (@Sendable () -> Void)?) {
        let reply = oneway ? nil : reply
        if eventLoop.inEventLoop {
            deliver(reply, final, written)
        } else {
            let deliver = self.deliver
            eventLoop.execute { deliver(reply, final, written) }
        }
    }
}

import NIOCore

/// Namespace for the server side of one varlink connection.
enum VarlinkConnection {
    /// Why the server closes a connection.
    enum CloseReason: Sendable, Equatable, CustomStringConvertible {
        /// The peer broke the protocol (bad JSON, no method, ...).
        case protocolViolation(VarlinkProtocolError)
        /// The peer queued more calls than allowed.
        case tooManyPendingCalls
        /// The peer closed its side and nothing is left to answer, or it left a streaming call.
        case peerClosed
        /// The server is shutting down and the connection has no call in flight.
        case shutdown

        var description: String {
            switch self {
            case .protocolViolation(let error): "\(error)"
            case .tooManyPendingCalls: "too many pipelined calls"
            case .peerClosed: "peer closed the connection"
            case .shutdown: "server shutdown"
            }
        }
    }

    /// The connection's call scheduling, without I/O.
    ///
    /// Calls are processed strictly one at a time in arrival order; calls that arrive while one is active are
    /// queued (bounded). Invariants: at most one active call; nothing is dispatched once closed or draining.
    struct StateMachine {
        /// What the handler must do next.
        enum Action: Equatable {
            /// Nothing.
            case none
            /// Start `call`; report its end with ``StateMachine/callFinished(_:)`` and `id`.
            case dispatch(VarlinkCall, id: UInt64)
            /// Close the connection.
            case close(CloseReason)
        }

        private struct ActiveCall {
            var id: UInt64
            var more: Bool
        }

        private let maximumPendingCalls: Int
        private var active: ActiveCall?
        private var pending = CircularBuffer<VarlinkCall>()
        private var nextID: UInt64 = 1
        private var peerInputClosed = false
        private var draining = false
        private(set) var isClosed = false {
            willSet { assert(!isClosed || newValue, "a closed connection cannot reopen") }
        }

        init(maximumPendingCalls: Int) {
            self.maximumPendingCalls = maximumPendingCalls
        }

        /// The id of the call in flight, if any.
        var activeCallID: UInt64? { active?.id }

        /// The number of calls waiting behind the active one.
        var pendingCount: Int { pending.count }

        /// A message arrived and was decoded (or failed to decode) as a call.
        mutating func callReceived(_ result: Result<VarlinkCall, VarlinkProtocolError>) -> Action {
            guard !isClosed, !peerInputClosed else { return .none }
            let call: VarlinkCall
            switch result {
            case .failure(let error): return close(.protocolViolation(error))
            case .success(let value): call = value
            }
            // Draining: let the active call finish, start nothing new.
            if draining { return .none }
            if active == nil {
                return start(call)
            }
            guard pending.count < maximumPendingCalls else { return close(.tooManyPendingCalls) }
            pending.append(call)
            return .none
        }

        /// The call `id` sent its final reply (or, for oneway, finished).
        mutating func callFinished(_ id: UInt64) -> Action {
            guard !isClosed, let current = active, current.id == id else { return .none }
            active = nil
            if draining { return close(.shutdown) }
            if let next = pending.popFirst() { return start(next) }
            if peerInputClosed { return close(.peerClosed) }
            return .none
        }

        /// The peer closed its sending side (EOF).
        ///
        /// Queued and active plain calls are still answered; an active streaming call is cancelled by closing,
        /// since closing is the only way a varlink client cancels.
        mutating func peerClosedInput() -> Action {
            guard !isClosed else { return .none }
            peerInputClosed = true
            guard let current = active else { return close(.peerClosed) }
            if current.more { return close(.peerClosed) }
            return .none
        }

        /// The server is shutting down: finish the active call, drop queued ones, then close.
        mutating func shutdownRequested() -> Action {
            guard !isClosed else { return .none }
            draining = true
            pending.removeAll()
            if active == nil { return close(.shutdown) }
            return .none
        }

        /// The channel closed; returns the id of the call that was in flight, to cancel it.
        mutating func channelClosed() -> UInt64? {
            let cancelled = active?.id
            isClosed = true
            active = nil
            pending.removeAll()
            return cancelled
        }

        private mutating func start(_ call: VarlinkCall) -> Action {
            let id = nextID
            nextID += 1
            active = ActiveCall(id: id, more: call.more)
            return .dispatch(call, id: id)
        }

        private mutating func close(_ reason: CloseReason) -> Action {
            // `active` stays set so that ``channelClosed()`` reports the call to cancel.
            isClosed = true
            pending.removeAll()
            return .close(reason)
        }
    }
}

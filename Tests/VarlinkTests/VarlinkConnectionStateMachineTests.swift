import Testing

@testable import Varlink

struct VarlinkConnectionStateMachineTests {
    typealias Machine = VarlinkConnection.StateMachine

    static func call(_ name: String, more: Bool = false, oneway: Bool = false) -> VarlinkCall {
        VarlinkCall(method: "org.example.test.\(name)", more: more, oneway: oneway)
    }

    @Test func `an idle connection dispatches a call at once`() {
        var machine = Machine(maximumPendingCalls: 4)
        #expect(machine.callReceived(.success(Self.call("A"))) == .dispatch(Self.call("A"), id: 1))
        #expect(machine.activeCallID == 1)
        #expect(machine.callFinished(1) == .none)
        #expect(machine.activeCallID == nil)
    }

    @Test func `pipelined calls are queued and dispatched in order`() {
        var machine = Machine(maximumPendingCalls: 4)
        #expect(machine.callReceived(.success(Self.call("A"))) == .dispatch(Self.call("A"), id: 1))
        #expect(machine.callReceived(.success(Self.call("B"))) == .none)
        #expect(machine.callReceived(.success(Self.call("C"))) == .none)
        #expect(machine.pendingCount == 2)
        #expect(machine.callFinished(1) == .dispatch(Self.call("B"), id: 2))
        #expect(machine.callFinished(2) == .dispatch(Self.call("C"), id: 3))
        #expect(machine.callFinished(3) == .none)
    }

    @Test func `a stale or repeated finish is ignored`() {
        var machine = Machine(maximumPendingCalls: 4)
        _ = machine.callReceived(.success(Self.call("A")))
        _ = machine.callReceived(.success(Self.call("B")))
        #expect(machine.callFinished(7) == .none)
        #expect(machine.callFinished(1) == .dispatch(Self.call("B"), id: 2))
        #expect(machine.callFinished(1) == .none)
        #expect(machine.activeCallID == 2)
    }

    @Test func `too many pending calls close the connection`() {
        var machine = Machine(maximumPendingCalls: 2)
        _ = machine.callReceived(.success(Self.call("A")))
        #expect(machine.callReceived(.success(Self.call("B"))) == .none)
        #expect(machine.callReceived(.success(Self.call("C"))) == .none)
        #expect(machine.callReceived(.success(Self.call("D"))) == .close(.tooManyPendingCalls))
        #expect(machine.isClosed)
        #expect(machine.callFinished(1) == .none)
    }

    @Test func `a protocol violation closes even behind an active call`() {
        var machine = Machine(maximumPendingCalls: 2)
        _ = machine.callReceived(.success(Self.call("A")))
        #expect(machine.callReceived(.failure(.missingMethod)) == .close(.protocolViolation(.missingMethod)))
        #expect(machine.callReceived(.success(Self.call("B"))) == .none)
        #expect(machine.channelClosed() == 1)
    }

    @Test func `EOF on an idle connection closes it`() {
        var machine = Machine(maximumPendingCalls: 2)
        #expect(machine.peerClosedInput() == .close(.peerClosed))
    }

    @Test func `EOF during a plain call lets it and the queued calls finish first`() {
        var machine = Machine(maximumPendingCalls: 4)
        _ = machine.callReceived(.success(Self.call("A")))
        _ = machine.callReceived(.success(Self.call("B")))
        #expect(machine.peerClosedInput() == .none)
        #expect(machine.callFinished(1) == .dispatch(Self.call("B"), id: 2))
        #expect(machine.callFinished(2) == .close(.peerClosed))
    }

    @Test func `EOF during a streaming call closes at once, to cancel it`() {
        var machine = Machine(maximumPendingCalls: 4)
        _ = machine.callReceived(.success(Self.call("Follow", more: true)))
        #expect(machine.peerClosedInput() == .close(.peerClosed))
        #expect(machine.channelClosed() == 1)
    }

    @Test func `shutdown closes an idle connection at once`() {
        var machine = Machine(maximumPendingCalls: 4)
        #expect(machine.shutdownRequested() == .close(.shutdown))
    }

    @Test func `shutdown lets the active call finish, drops queued ones, accepts no new ones`() {
        var machine = Machine(maximumPendingCalls: 4)
        _ = machine.callReceived(.success(Self.call("A")))
        _ = machine.callReceived(.success(Self.call("B")))
        #expect(machine.shutdownRequested() == .none)
        #expect(machine.callReceived(.success(Self.call("C"))) == .none)
        #expect(machine.pendingCount == 0)
        #expect(machine.callFinished(1) == .close(.shutdown))
    }

    @Test func `after close nothing is dispatched and the closed call is reported once`() {
        var machine = Machine(maximumPendingCalls: 4)
        _ = machine.callReceived(.success(Self.call("A")))
        #expect(machine.channelClosed() == 1)
        #expect(machine.channelClosed() == nil)
        #expect(machine.callReceived(.success(Self.call("B"))) == .none)
        #expect(machine.peerClosedInput() == .none)
        #expect(machine.shutdownRequested() == .none)
    }
}

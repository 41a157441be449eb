import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import Varlink

struct VarlinkDispatcherTests {
    private func route(_ call: VarlinkCall) throws -> VarlinkError? {
        let dispatcher = VarlinkDispatcher(handlers: [try TestInterfaceHandler()])
        switch dispatcher.route(call) {
        case .success: return nil
        case .failure(let error): return error
        }
    }

    @Test func `dispatch checks come in the documented order`() throws {
        #expect(try route(VarlinkCall(method: "org.nope.Foo")) == .interfaceNotFound("org.nope"))
        #expect(try route(VarlinkCall(method: "NoDot")) == .interfaceNotFound(""))
        #expect(try route(VarlinkCall(method: "org.example.test.Nope")) == .methodNotFound("Nope"))
        #expect(
            try route(VarlinkCall(method: "org.example.test.Ping", parameters: ["text": "x"], upgrade: true))
                == .invalidParameter("upgrade")
        )
        #expect(try route(VarlinkCall(method: "org.example.test.Ping")) == .invalidParameter("text"))
        #expect(try route(VarlinkCall(method: "org.example.test.Count", parameters: ["count": 2])) == .expectedMore)
        #expect(try route(VarlinkCall(method: "org.example.test.Count", parameters: ["count": 2], more: true)) == nil)
        #expect(try route(VarlinkCall(method: "org.example.test.Ping", parameters: ["text": "x"], more: true)) == nil)
    }

    @Test func `call objects are read per the protocol`() throws {
        let call = try VarlinkCall(message: ["method": "a.b.C", "parameters": nil, "more": false, "com.example.x": 1])
        #expect(call.interface == "a.b")
        #expect(call.methodName == "C")
        #expect(call.parameters == [:])
        #expect(!call.more)
        #expect(throws: VarlinkProtocolError.notAnObject) { try VarlinkCall(message: [1]) }
        #expect(throws: VarlinkProtocolError.missingMethod) { try VarlinkCall(message: ["parameters": [:]]) }
        #expect(throws: VarlinkProtocolError.missingMethod) { try VarlinkCall(message: ["method": 1]) }
        #expect(throws: VarlinkProtocolError.invalidKey("parameters")) {
            try VarlinkCall(message: ["method": "a.b.C", "parameters": [1]])
        }
        #expect(throws: VarlinkProtocolError.invalidKey("more")) {
            try VarlinkCall(message: ["method": "a.b.C", "more": 1])
        }
        #expect(throws: VarlinkProtocolError.moreAndOneway) {
            try VarlinkCall(message: ["method": "a.b.C", "more": true, "oneway": true])
        }
    }

    @Test func `clients never send false flags`() {
        #expect(VarlinkCall(method: "a.b.C").message.jsonString == "{\"method\":\"a.b.C\",\"parameters\":{}}")
        #expect(
            VarlinkCall(method: "a.b.C", more: true).message.jsonString
                == "{\"method\":\"a.b.C\",\"more\":true,\"parameters\":{}}"
        )
    }

    @Test func `replies carry only parameters, continues and error`() throws {
        var buffer = ByteBufferAllocator().buffer(capacity: 64)
        VarlinkReply(parameters: ["a": 1], continues: true).serialize(into: &buffer)
        VarlinkReply(error: .expectedMore).serialize(into: &buffer)
        VarlinkReply().serialize(into: &buffer)
        #expect(
            String(buffer: buffer)
                == "{\"continues\":true,\"parameters\":{\"a\":1}}\0"
                + "{\"error\":\"org.varlink.service.ExpectedMore\",\"parameters\":{}}\0{\"parameters\":{}}\0"
        )
        #expect(try VarlinkReply(message: ["continues": false]) == VarlinkReply())
        #expect(throws: VarlinkProtocolError.unexpectedContinues) {
            try VarlinkReply(message: ["error": "a.b.E", "continues": true])
        }
    }

    @Test func `error descriptions are readable`() {
        #expect(
            VarlinkError.invalidParameter("year").description
                == "org.varlink.service.InvalidParameter: parameter 'year'")
        #expect(VarlinkError.permissionDenied.description == "org.varlink.service.PermissionDenied")
        #expect(
            VarlinkError("a.b.Failed", parameters: ["message": "disk full"]).description == "a.b.Failed: disk full"
        )
    }
}

struct VarlinkResponderTests {
    final class Recorder: Sendable {
        let deliveries = Mutex<[(VarlinkReply?, Bool)]>([])
    }

    private func makeResponder(more: Bool = false, oneway: Bool = false) -> (VarlinkResponder, Recorder) {
        let recorder = Recorder()
        let responder = VarlinkResponder(more: more, oneway: oneway, eventLoop: EmbeddedEventLoop()) {
            reply, final, written in
            written?()
            recorder.deliveries.withLock { $0.append((reply, final)) }
        }
        return (responder, recorder)
    }

    @Test func `intermediate replies need more, final replies end the call`() {
        let (responder, recorder) = makeResponder(more: true)
        responder.send(["n": 1])
        #expect(!responder.isFinished)
        responder.reply(["n": 2])
        #expect(responder.isFinished)
        responder.send(["n": 3])  // after the final reply: dropped
        let deliveries = recorder.deliveries.withLock { $0 }
        #expect(deliveries.count == 2)
        #expect(deliveries.first?.0 == VarlinkReply(parameters: ["n": 1], continues: true))
        #expect(deliveries.first?.1 == false)
        #expect(deliveries.last?.0 == VarlinkReply(parameters: ["n": 2]))
        #expect(deliveries.last?.1 == true)
    }

    @Test func `send without more is dropped`() {
        let (responder, recorder) = makeResponder()
        responder.send(["n": 1])
        responder.fail(.permissionDenied)
        let deliveries = recorder.deliveries.withLock { $0 }
        #expect(deliveries.count == 1)
        #expect(deliveries.first?.0 == VarlinkReply(error: .permissionDenied))
    }

    @Test func `oneway replies are discarded but still end the call`() {
        let (responder, recorder) = makeResponder(oneway: true)
        responder.fail(.permissionDenied)
        let deliveries = recorder.deliveries.withLock { $0 }
        #expect(deliveries.count == 1)
        #expect(deliveries.first?.0 == nil)
        #expect(deliveries.first?.1 == true)
    }

    @Test func `cancel callbacks run once, and at once when registered late`() {
        let (responder, _) = makeResponder(more: true)
        let count = Atomic<Int>(0)
        responder.onCancel { count.add(1, ordering: .relaxed) }
        responder.cancel()
        responder.cancel()
        #expect(count.load(ordering: .relaxed) == 1)
        responder.onCancel { count.add(10, ordering: .relaxed) }
        #expect(count.load(ordering: .relaxed) == 11)
    }

    @Test func `cancel callbacks never run after the final reply`() {
        let (responder, _) = makeResponder(more: true)
        let count = Atomic<Int>(0)
        responder.onCancel { count.add(1, ordering: .relaxed) }
        responder.reply()
        responder.cancel()
        responder.onCancel { count.add(1, ordering: .relaxed) }
        #expect(count.load(ordering: .relaxed) == 0)
    }
}

import Foundation
import NIOPosix
import Synchronization
import Testing
import Varlink

@testable import VarlinkCertification

/// Runs the `org.varlink.certification` sequence (Start to End) with ``VarlinkClient``; returns End's `all_ok`.
func runCertificationSequence(_ client: VarlinkClient) async throws -> Bool {
    let prefix = "org.varlink.certification."
    let start = try await client.call(prefix + "Start")
    let id = try #require(start["client_id"])
    var reply = try await client.call(prefix + "Test01", ["client_id": id])
    reply = try await client.call(prefix + "Test02", ["client_id": id, "bool": reply["bool"] ?? nil])
    reply = try await client.call(prefix + "Test03", ["client_id": id, "int": reply["int"] ?? nil])
    reply = try await client.call(prefix + "Test04", ["client_id": id, "float": reply["float"] ?? nil])
    reply = try await client.call(prefix + "Test05", ["client_id": id, "string": reply["string"] ?? nil])
    var test06 = reply
    test06["client_id"] = id
    reply = try await client.call(prefix + "Test06", test06)
    reply = try await client.call(prefix + "Test07", ["client_id": id, "struct": reply["struct"] ?? nil])
    reply = try await client.call(prefix + "Test08", ["client_id": id, "map": reply["map"] ?? nil])
    reply = try await client.call(prefix + "Test09", ["client_id": id, "set": reply["set"] ?? nil])
    var strings: [JSONValue] = []
    for try await more in client.callMore(prefix + "Test10", ["client_id": id, "mytype": reply["mytype"] ?? nil]) {
        strings.append(more["string"] ?? nil)
    }
    #expect(strings.count == 10)
    try await client.callOneway(prefix + "Test11", ["client_id": id, "last_more_replies": .array(strings)])
    let end = try await client.call(prefix + "End", ["client_id": id])
    return end["all_ok"] == true
}

/// Waits until `path` exists (a reference server came up).
func waitForSocket(_ path: String, process: BackgroundProcess) async -> Bool {
    let ok = await eventually(timeout: .seconds(20)) { FileManager.default.fileExists(atPath: path) }
    if !ok { Issue.record("the reference server did not create \(path); output:\n\(process.output)") }
    return ok
}

struct CertificationTests {
    @Test func `third-party clients certify our server (tools/varlink-certify)`() async throws {
        guard TestPaths.requirePython(), TestPaths.requireGoCertification() != nil else { return }
        let script = TestPaths.sharedDirectory + "/tools/varlink-certify"
        guard FileManager.default.fileExists(atPath: script) else {
            Issue.record("\(script) is missing; set OVERSIGHT_SHARED_DIR to the shared directory")
            return
        }
        try await withServer(handlers: [CertificationHandler()]) { _, path in
            let result = try await runProcess(
                "/bin/bash",
                [script, "unix:\(path)"],
                environment: ["PY": TestPaths.python]
            )
            #expect(result.status == 0, "\(result.output)")
            #expect(result.output.contains("6 passed, 0 failed"), "\(result.output)")
        }
    }

    @Test func `our client certifies against our server`() async throws {
        try await withServer(handlers: [CertificationHandler()]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            #expect(try await runCertificationSequence(client))
            await client.close()
        }
    }

    @Test func `our client certifies against the python reference server`() async throws {
        guard TestPaths.requirePython() else { return }
        try await withTemporaryDirectory { directory in
            let path = directory + "/pycert.sock"
            let server = try BackgroundProcess(
                TestPaths.python,
                ["-m", "varlink.tests.test_certification", "--varlink=unix:\(path)"]
            )
            defer { server.stop() }
            guard await waitForSocket(path, process: server) else { return }
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            #expect(try await runCertificationSequence(client))
            await client.close()
        }
    }

    @Test func `our client certifies against the go reference server`() async throws {
        guard let go = TestPaths.requireGoCertification() else { return }
        try await withTemporaryDirectory { directory in
            let path = directory + "/gocert.sock"
            let server = try BackgroundProcess(go, ["-varlink", "unix:\(path)"])
            defer { server.stop() }
            guard await waitForSocket(path, process: server) else { return }
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            #expect(try await runCertificationSequence(client))
            await client.close()
        }
    }

    // MARK: Strictness of our certification server

    private static let prefix = "org.varlink.certification."

    private func certificationError(_ error: any Error) -> Bool {
        (error as? VarlinkError)?.name == "org.varlink.certification.CertificationError"
    }

    @Test func `calls out of order fail with CertificationError, and End then reports failure`() async throws {
        try await withServer(handlers: [CertificationHandler()]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            let id = try await client.call(Self.prefix + "Start")["client_id"] ?? nil
            let error = await #expect(throws: VarlinkError.self) {
                try await client.call(Self.prefix + "Test02", ["client_id": id, "bool": true])
            }
            #expect(error?.name == "org.varlink.certification.CertificationError")
            #expect(error?.parameters["wants"] == "Call to method org.varlink.certification.Test01")
            #expect(error?.parameters["got"] == "Call to method org.varlink.certification.Test02")
            #expect(try await client.call(Self.prefix + "End", ["client_id": id]) == ["all_ok": false])
            // The failed client is gone after End.
            await #expect(throws: VarlinkError("org.varlink.certification.ClientIdError")) {
                try await client.call(Self.prefix + "End", ["client_id": id])
            }
            await client.close()
        }
    }

    @Test func `wrong values and wrong flags are refused`() async throws {
        try await withServer(handlers: [CertificationHandler()]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            // Wrong value.
            var id = try await client.call(Self.prefix + "Start")["client_id"] ?? nil
            _ = try await client.call(Self.prefix + "Test01", ["client_id": id])
            let wrong = await #expect(throws: VarlinkError.self) {
                try await client.call(Self.prefix + "Test02", ["client_id": id, "bool": false])
            }
            #expect(wrong?.name == "org.varlink.certification.CertificationError")
            #expect(wrong?.parameters["got"]?["parameters"]?["bool"] == false)
            #expect(wrong?.parameters["wants"]?["parameters"]?["bool"] == true)

            // `more` on a step that must not stream.
            id = try await client.call(Self.prefix + "Start")["client_id"] ?? nil
            var failed = false
            do {
                for try await _ in client.callMore(Self.prefix + "Test01", ["client_id": id]) {}
            } catch {
                failed = certificationError(error)
            }
            #expect(failed)

            // Unknown client id.
            await #expect(throws: VarlinkError("org.varlink.certification.ClientIdError")) {
                try await client.call(Self.prefix + "Test01", ["client_id": "nope"])
            }
            // Extra parameters on Start.
            await #expect(throws: VarlinkError.self) { try await client.call(Self.prefix + "Start", ["x": 1]) }
            await client.close()
        }
    }

    @Test func `Test10 needs more and Test11 needs oneway`() async throws {
        try await withServer(handlers: [CertificationHandler()]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            let handler = CertificationHandler()
            _ = handler
            // Drive a client to Test10 and call it without more.
            let id = try await advance(client, through: "Test09")
            let error = await #expect(throws: VarlinkError.self) {
                try await client.call(Self.prefix + "Test10", ["client_id": id, "mytype": CertificationHandler.myType])
            }
            #expect(error?.name == "org.varlink.certification.CertificationError")

            // Test11 as a plain call: refused with an error reply.
            let id2 = try await advance(client, through: "Test10")
            let replies: JSONValue = .array((1...10).map { .string("Reply number \($0)") })
            await #expect(throws: VarlinkError.self) {
                try await client.call(Self.prefix + "Test11", ["client_id": id2, "last_more_replies": replies])
            }

            // Test11 oneway with wrong data: no reply, but End reports the failure.
            let id3 = try await advance(client, through: "Test10")
            try await client.callOneway(Self.prefix + "Test11", ["client_id": id3, "last_more_replies": ["x"]])
            #expect(try await client.call(Self.prefix + "End", ["client_id": id3]) == ["all_ok": false])
            await client.close()
        }
    }

    /// Starts a client and runs the steps up to and including `last` correctly; returns its id.
    private func advance(_ client: VarlinkClient, through last: String) async throws -> JSONValue {
        let id = try await client.call(Self.prefix + "Start")["client_id"] ?? nil
        let steps = [
            "Test01", "Test02", "Test03", "Test04", "Test05", "Test06", "Test07", "Test08", "Test09", "Test10",
        ]
        for step in steps {
            guard case .object(var call) = CertificationHandler.expectedCall(step, clientID: id.stringValue ?? "")
            else {
                break
            }
            let parameters = call["parameters"]?.objectValue ?? [:]
            call["parameters"] = nil
            if step == "Test10" {
                for try await _ in client.callMore(Self.prefix + step, parameters) {}
            } else {
                _ = try await client.call(Self.prefix + step, parameters)
            }
            if step == last { break }
        }
        return id
    }

    @Test func `nullable fields may be null or absent in Test10, integral floats equal ints`() {
        let handler = CertificationHandler()
        _ = handler
        var myType = CertificationHandler.myType.objectValue ?? [:]
        myType["nullable"] = nil
        myType["nullable_array_struct"] = nil
        let call = VarlinkCall(
            method: "org.varlink.certification.Test10",
            parameters: ["client_id": "c", "mytype": .object(myType)],
            more: true
        )
        #expect(
            CertificationHandler.equivalent(
                CertificationHandler.expectedCall("Test10", clientID: "c"), CertificationHandler.normalized(call)))
        #expect(CertificationHandler.equivalent(["float": 1], ["float": 1.0]))
        #expect(!CertificationHandler.equivalent(["float": 1], ["float": 1.5]))
        #expect(!CertificationHandler.equivalent(["a": 1], ["a": 1, "b": 2]))
    }

    @Test func `the number of live client ids is bounded`() async throws {
        let handler = CertificationHandler(maximumClients: 3)
        try await withServer(handlers: [handler]) { _, path in
            let client = try await VarlinkClient.connect(unixSocketPath: path)
            var ids: [JSONValue] = []
            for _ in 0..<5 { ids.append(try await client.call(Self.prefix + "Start")["client_id"] ?? nil) }
            #expect(handler.liveClientCount == 3)
            #expect(Set(ids).count == 5)
            // The oldest were forgotten, the newest still work.
            await #expect(throws: VarlinkError("org.varlink.certification.ClientIdError")) {
                try await client.call(Self.prefix + "Test01", ["client_id": ids[0]])
            }
            #expect(try await client.call(Self.prefix + "Test01", ["client_id": ids[4]]) == ["bool": true])
            await client.close()
        }
    }
}

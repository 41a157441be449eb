import Foundation
import Testing

@testable import Varlink
@testable import VarlinkCertification

struct VarlinkInterfaceTests {
    static let certificationIDL = CertificationHandler.certificationDescription

    static let probeIDL = """
        # Probe interface.
        interface org.example.probe

        # Severity.
        type Level (debug, info, warning, error)

        type Event (
          # Monotonic sequence number.
          seq: int,
          timestamp: float,
          level: Level,
          message: string,
          tags: [string]string,
          origin: ?(host: string, pid: int)
        )

        method Ping(text: string) -> (text: string, pong: bool)

        # Follow the log.
        # [Requires 'more' flag]
        method Tail(initial: ?int, min_level: ?Level, limit: ?int) -> (event: Event)

        # [Requires 'more' flag]

        method Loose() -> ()

        method Put(event: Event, extra: object, set: [string](), list: ?[]?int, anything: ?object) -> ()

        error NoSuchThing (name: string)
        error Failed (reason: string, code: ?int)

        """

    @Test func `the certification IDL parses`() throws {
        let interface = try VarlinkInterface(description: Self.certificationIDL)
        #expect(interface.name == "org.varlink.certification")
        #expect(interface.description == Self.certificationIDL)
        #expect(
            interface.methodNames == [
                "End", "Start", "Test01", "Test02", "Test03", "Test04", "Test05", "Test06", "Test07", "Test08",
                "Test09", "Test10", "Test11",
            ])
        #expect(interface.hasError("ClientIdError"))
        #expect(interface.hasError("CertificationError"))
        #expect(!interface.methodRequiresMore("Test10"))
    }

    @Test func `the org varlink service IDL parses`() throws {
        let interface = VarlinkInterface.service
        #expect(interface.name == "org.varlink.service")
        #expect(interface.methodNames == ["GetInfo", "GetInterfaceDescription"])
        for error in [
            "InterfaceNotFound", "MethodNotFound", "MethodNotImplemented", "InvalidParameter",
            "PermissionDenied", "ExpectedMore",
        ] {
            #expect(interface.hasError(error))
        }
    }

    @Test func `embedded IDL texts equal the resource files`() throws {
        let root = TestPaths.packageRoot
        let service = try String(
            contentsOf: root.appendingPathComponent("Sources/Varlink/Resources/org.varlink.service.varlink"),
            encoding: .utf8
        )
        let certification = try String(
            contentsOf: root.appendingPathComponent(
                "Sources/VarlinkCertification/Resources/org.varlink.certification.varlink"
            ),
            encoding: .utf8
        )
        #expect(VarlinkInterface.service.description == service)
        #expect(CertificationHandler().interface.description == certification)
    }

    @Test func `the requires-more marker is read from the comment block right above`() throws {
        let interface = try VarlinkInterface(description: Self.probeIDL)
        #expect(interface.methodRequiresMore("Tail"))
        #expect(!interface.methodRequiresMore("Ping"))
        #expect(!interface.methodRequiresMore("Loose"))  // separated by a blank line
        #expect(!interface.methodRequiresMore("NoSuchMethod"))
    }

    @Test func `CRLF line endings are accepted`() throws {
        let crlf = Self.probeIDL.replacingOccurrences(of: "\n", with: "\r\n")
        let interface = try VarlinkInterface(description: crlf)
        #expect(interface.name == "org.example.probe")
        #expect(interface.methodRequiresMore("Tail"))
        #expect(interface.description == crlf)
    }

    @Test func `compact text without spaces parses`() throws {
        let interface = try VarlinkInterface(
            description: "interface a.b\nmethod F(x:?[]?[string](a,b))->(y:[string]())\ntype T(a:int)"
        )
        #expect(interface.hasMethod("F"))
        #expect(interface.invalidParameter(method: "F", ["x": [nil, ["k": "a"]]]) == nil)
        #expect(interface.invalidParameter(method: "F", ["x": [["k": "c"]]]) == "x")
    }

    @Test(arguments: [
        ("interface org.example.a\nmethod F(a: int,) -> ()", 2),
        ("interface org.example.a\nmethod F(a: ??int) -> ()", 2),
        ("interface org.example.a\nmethod f() -> ()", 2),
        ("interface example\nmethod F() -> ()", 1),
        ("interface 1org.example\nmethod F() -> ()", 1),
        ("interface org.example.a\n\nmethod F() -> ()\nmethod F() -> ()", 4),
        ("interface org.example.a\nmethod F(a: Unknown) -> ()", 2),
        ("interface org.example.a\nmethod F(a: int, a: int) -> ()", 2),
        ("interface org.example.a\nmethod F(a_: int) -> ()", 2),
        ("interface org.example.a\nmethod F(a__b: int) -> ()", 2),
        ("interface org.example.a\nmethod F() ()", 2),
        ("interface org.example.a\nmethod F() -> () extra", 2),
        ("interface org.example.a\ntype E (a, a)", 2),
        ("interface org.example.a\nmethod F(a: [int]string) -> ()", 2),
        ("method F() -> ()", 1),
        ("interface org.example.a\nmethod F(a: int) -> ($)", 2),
        ("interface org.example.a\nmethod F(a: int", 2),
    ])
    func `invalid IDL is rejected with its line`(text: String, line: Int) throws {
        let error = try #require(throws: VarlinkInterfaceParseError.self) { try VarlinkInterface(description: text) }
        #expect(error.line == line, "\(error)")
    }

    @Test func `an interface with no members and end-of-line comments parses`() throws {
        #expect(
            try VarlinkInterface(description: "interface org.example.empty # nothing here\n").name
                == "org.example.empty")
        #expect(try VarlinkInterface(description: "interface org.e-x.a2\n").name == "org.e-x.a2")
    }

    // MARK: Validation

    static let validEvent: JSONValue = [
        "seq": 1, "timestamp": 1.5, "level": "info", "message": "m", "tags": ["k": "v"],
        "origin": ["host": "h", "pid": 3],
    ]

    @Test func `valid parameters pass`() throws {
        let interface = try VarlinkInterface(description: Self.probeIDL)
        #expect(interface.invalidParameter(method: "Ping", ["text": "x"]) == nil)
        #expect(interface.invalidParameter(method: "Tail", [:]) == nil)
        #expect(
            interface.invalidParameter(method: "Tail", ["initial": nil, "min_level": "warning", "limit": 3]) == nil)
        #expect(interface.invalidParameter(method: "Tail", ["limit": 3.0]) == nil)  // integral float for int
        let put: [String: JSONValue] = [
            "event": Self.validEvent, "extra": [1, "any"], "set": ["a": [:]], "list": [1, nil],
        ]
        #expect(interface.invalidParameter(method: "Put", put) == nil)
        var noOrigin = Self.validEvent.objectValue ?? [:]
        noOrigin["origin"] = nil
        noOrigin["timestamp"] = 2  // int accepted for float
        #expect(interface.invalidParameter(method: "Put", put.merging(["event": .object(noOrigin)]) { $1 }) == nil)
        #expect(interface.invalidParameter(method: "NoSuchMethod", ["x": 1]) == nil)
    }

    static let event = VarlinkInterfaceTests.validEvent
    static let invalidCases: [(String, [String: JSONValue], String)] = {
        var cases: [(String, [String: JSONValue], String)] = []
        cases.append(("Ping", ["text": 1], "text"))
        cases.append(("Ping", [:], "text"))
        cases.append(("Ping", ["text": nil], "text"))
        cases.append(("Ping", ["text": "x", "bogus": 1], "bogus"))
        cases.append(("Ping", ["zz": 1, "aa": 1, "text": "x"], "aa"))
        cases.append(("Tail", ["min_level": "loud"], "min_level"))
        cases.append(("Tail", ["limit": 1.5], "limit"))
        cases.append(("Tail", ["limit": "3"], "limit"))
        cases.append(("Put", ["event": ["seq": 1], "extra": 1, "set": [:]], "event"))
        cases.append(("Put", ["event": 1, "extra": 1, "set": [:]], "event"))
        cases.append(("Put", ["event": event, "set": [:]], "extra"))
        cases.append(("Put", ["event": event, "extra": 1, "set": ["a": 1]], "set"))
        cases.append(("Put", ["event": event, "extra": 1, "set": [:], "list": ["x"]], "list"))
        cases.append(("Put", ["event": event, "extra": 1, "set": [:], "list": 1], "list"))
        return cases
    }()

    @Test(arguments: invalidCases)
    func `invalid parameters are named`(method: String, parameters: [String: JSONValue], expected: String) throws {
        let interface = try VarlinkInterface(description: Self.probeIDL)
        #expect(interface.invalidParameter(method: method, parameters) == expected)
    }

    @Test func `nested errors inside named and anonymous structs are found`() throws {
        let interface = try VarlinkInterface(description: Self.probeIDL)
        func event(_ change: (inout [String: JSONValue]) -> Void) -> [String: JSONValue] {
            var event = Self.validEvent.objectValue ?? [:]
            change(&event)
            return ["event": .object(event), "extra": nil, "set": [:]]
        }
        #expect(interface.invalidParameter(method: "Put", event { $0["level"] = "loud" }) == "event")
        #expect(interface.invalidParameter(method: "Put", event { $0["origin"] = ["host": "h"] }) == "event")
        #expect(interface.invalidParameter(method: "Put", event { $0["tags"] = ["k": 1] }) == "event")
        #expect(interface.invalidParameter(method: "Put", event { $0["unknown"] = 1 }) == "event")
        #expect(interface.invalidParameter(method: "Put", event { $0["seq"] = 9.5 }) == "event")
        // `extra: object` accepts anything, even null.
        #expect(interface.invalidParameter(method: "Put", event { _ in }) == nil)
    }

    @Test func `the certification MyType validates the reference value`() throws {
        let interface = try VarlinkInterface(description: Self.certificationIDL)
        let parameters: [String: JSONValue] = ["client_id": "c", "mytype": CertificationHandler.myType]
        #expect(interface.invalidParameter(method: "Test10", parameters) == nil)
        var broken = CertificationHandler.myType.objectValue ?? [:]
        broken["interface"] = ["foo": [["foo": "nope"]], "anon": ["foo": true, "bar": false]]
        #expect(
            interface.invalidParameter(method: "Test10", ["client_id": "c", "mytype": .object(broken)]) == "mytype")
    }
}

import Synchronization
import Varlink

/// Serves `org.varlink.certification` with the strict checks of the python reference server.
///
/// Per `client_id` (from `Start`) it tracks the method expected next (Start, Test01 ... Test11, End), compares
/// every call with the exact call the reference client sends (values, `more` only on Test10, `oneway` only on
/// Test11, no extra parameters; integral floats and integers compare equal), and answers `ClientIdError` for an
/// unknown id and `CertificationError {wants, got}` for any difference. A failed client stays failed: `End` then
/// returns `all_ok: false` (this is how a failed oneway Test11 becomes visible). At most
/// ``maximumClients`` ids are live; starting one more forgets the oldest.
public struct CertificationHandler: VarlinkInterfaceHandler {
    /// The `org.varlink.certification` interface, parsed from its IDL text (kept verbatim).
    public let interface: VarlinkInterface = CertificationHandler.certificationInterface

    /// How many client ids are tracked at once.
    public let maximumClients: Int

    private let registry: Registry

    /// Creates a handler with its own client registry.
    ///
    /// - Parameter maximumClients: How many client ids are tracked at once; the oldest is forgotten beyond it.
    public init(maximumClients: Int = 1024) {
        self.maximumClients = max(1, maximumClients)
        self.registry = Registry()
    }

    /// The number of client ids currently tracked.
    public var liveClientCount: Int {
        registry.clients.withLock { $0.byID.count }
    }

    /// Handles one certification call.
    public func handle(_ call: VarlinkCall, context: VarlinkCallContext, responder: VarlinkResponder) {
        if call.methodName == "Start" {
            start(call, responder: responder)
            return
        }
        guard let clientID = call.parameters["client_id"]?.stringValue else {
            responder.fail(VarlinkError("org.varlink.certification.ClientIdError"))
            return
        }
        let step = registry.clients.withLock { clients -> Step in
            guard let client = clients.byID[clientID] else { return .unknownClient }
            if client.failed {
                if call.methodName == "End" {
                    clients.remove(clientID)
                    return .endFailed
                }
                return .failure(
                    wants: .string("Call to method org.varlink.certification.End"),
                    got: .string("Call to method \(call.method)")
                )
            }
            guard call.methodName == client.next else {
                clients.byID[clientID]?.failed = true
                return .failure(
                    wants: .string("Call to method org.varlink.certification.\(client.next)"),
                    got: .string("Call to method \(call.method)")
                )
            }
            let wants = Self.expectedCall(call.methodName, clientID: clientID)
            let got = Self.normalized(call)
            guard Self.equivalent(wants, got) else {
                clients.byID[clientID]?.failed = true
                return .failure(wants: wants, got: got)
            }
            if call.methodName == "End" {
                clients.remove(clientID)
            } else {
                clients.byID[clientID]?.next = Self.nextMethod[call.methodName] ?? "End"
            }
            return .proceed
        }
        switch step {
        case .unknownClient:
            responder.fail(VarlinkError("org.varlink.certification.ClientIdError"))
        case .endFailed:
            responder.reply(["all_ok": false])
        case .failure(let wants, let got):
            responder.fail(
                VarlinkError("org.varlink.certification.CertificationError", parameters: ["wants": wants, "got": got])
            )
        case .proceed:
            reply(to: call, responder: responder)
        }
    }

    private enum Step {
        case unknownClient, endFailed, proceed
        case failure(wants: JSONValue, got: JSONValue)
    }

    private func start(_ call: VarlinkCall, responder: VarlinkResponder) {
        let wants: JSONValue = ["method": "org.varlink.certification.Start"]
        var got = Self.normalized(call)
        if got["parameters"]?.objectValue?.isEmpty == true, var object = got.objectValue {
            object["parameters"] = nil
            got = .object(object)
        }
        guard Self.equivalent(wants, got) else {
            responder.fail(
                VarlinkError("org.varlink.certification.CertificationError", parameters: ["wants": wants, "got": got])
            )
            return
        }
        var generator = SystemRandomNumberGenerator()
        let clientID = (0..<16).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte >> 4, radix: 16) + String(byte & 0x0F, radix: 16)
        }.joined()
        let limit = maximumClients
        registry.clients.withLock { $0.insert(clientID, limit: limit) }
        responder.reply(["client_id": .string(clientID)])
    }

    private func reply(to call: VarlinkCall, responder: VarlinkResponder) {
        switch call.methodName {
        case "Test01": responder.reply(["bool": true])
        case "Test02": responder.reply(["int": 1])
        case "Test03": responder.reply(["float": 1.0])
        case "Test04": responder.reply(["string": "ping"])
        case "Test05": responder.reply(Self.test05Values)
        case "Test06": responder.reply(["struct": .object(Self.test05Values)])
        case "Test07": responder.reply(["map": Self.map])
        case "Test08": responder.reply(["set": Self.set])
        case "Test09": responder.reply(["mytype": Self.myType])
        case "Test10":
            for number in 1...9 { responder.send(["string": .string("Reply number \(number)")]) }
            responder.reply(["string": "Reply number 10"])
        case "Test11": responder.reply()
        case "End": responder.reply(["all_ok": true])
        default: responder.fail(.methodNotImplemented(call.methodName))
        }
    }

    // MARK: Expected calls

    static let nextMethod: [String: String] = [
        "Test01": "Test02", "Test02": "Test03", "Test03": "Test04", "Test04": "Test05", "Test05": "Test06",
        "Test06": "Test07", "Test07": "Test08", "Test08": "Test09", "Test09": "Test10", "Test10": "Test11",
        "Test11": "End",
    ]

    static let test05Values: [String: JSONValue] = [
        "bool": false, "int": 2, "float": .double(Double.pi), "string": "a lot of string",
    ]
    static let map: JSONValue = ["foo": "Foo", "bar": "Bar"]
    static let set: JSONValue = ["one": [:], "two": [:], "three": [:]]
    static let myType: JSONValue = [
        "object": ["method": "org.varlink.certification.Test09", "parameters": ["map": ["foo": "Foo", "bar": "Bar"]]],
        "enum": "two",
        "struct": ["first": 1, "second": "2"],
        "array": ["one", "two", "three"],
        "dictionary": ["foo": "Foo", "bar": "Bar"],
        "stringset": ["one": [:], "two": [:], "three": [:]],
        "interface": [
            "foo": [nil, ["foo": "foo", "bar": "bar"], nil, ["one": "foo", "two": "bar"]],
            "anon": ["foo": true, "bar": false],
        ],
    ]

    /// The exact call object the reference client sends for `method` (after `Start`).
    static func expectedCall(_ method: String, clientID: String) -> JSONValue {
        var parameters: [String: JSONValue] = ["client_id": .string(clientID)]
        var call: [String: JSONValue] = ["method": .string("org.varlink.certification.\(method)")]
        switch method {
        case "Test02": parameters["bool"] = true
        case "Test03": parameters["int"] = 1
        case "Test04": parameters["float"] = 1.0
        case "Test05": parameters["string"] = "ping"
        case "Test06": parameters.merge(test05Values) { _, new in new }
        case "Test07": parameters["struct"] = .object(test05Values)
        case "Test08": parameters["map"] = map
        case "Test09": parameters["set"] = set
        case "Test10":
            parameters["mytype"] = myType
            call["more"] = true
        case "Test11":
            parameters["last_more_replies"] = .array((1...10).map { .string("Reply number \($0)") })
            call["oneway"] = true
        default: break
        }
        call["parameters"] = .object(parameters)
        return .object(call)
    }

    /// The call as an object; for Test10, the `nullable` fields of `mytype` are dropped when null (absent and
    /// null are the same for `?T`).
    static func normalized(_ call: VarlinkCall) -> JSONValue {
        var parameters = call.parameters
        if call.methodName == "Test10", case .object(var myType)? = parameters["mytype"] {
            for key in ["nullable", "nullable_array_struct"] where myType[key]?.isNull == true {
                myType[key] = nil
            }
            parameters["mytype"] = .object(myType)
        }
        var message: [String: JSONValue] = ["method": .string(call.method), "parameters": .object(parameters)]
        if call.more { message["more"] = true }
        if call.oneway { message["oneway"] = true }
        if call.upgrade { message["upgrade"] = true }
        return .object(message)
    }

    /// Structural equality where numbers compare by value (`1` equals `1.0`).
    static func equivalent(_ lhs: JSONValue, _ rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.int, .int), (.int, .double), (.double, .int), (.double, .double):
            return lhs.doubleValue == rhs.doubleValue && (lhs.intValue == rhs.intValue)
        case (.array(let left), .array(let right)):
            return left.count == right.count && zip(left, right).allSatisfy { equivalent($0, $1) }
        case (.object(let left), .object(let right)):
            guard left.count == right.count else { return false }
            return left.allSatisfy { key, value in right[key].map { equivalent(value, $0) } ?? false }
        default:
            return lhs == rhs
        }
    }

    // MARK: Registry

    /// The live client ids, shared by every connection of a server.
    private final class Registry: Sendable {
        let clients = Mutex(Clients())
    }

    struct Client {
        var next: String
        var failed = false
    }

    struct Clients {
        var byID: [String: Client] = [:]
        /// Ids in start order, oldest first.
        var order: [String] = []

        mutating func insert(_ id: String, limit: Int) {
            while byID.count >= limit, !order.isEmpty {
                byID[order.removeFirst()] = nil
            }
            byID[id] = Client(next: "Test01")
            order.append(id)
        }

        mutating func remove(_ id: String) {
            byID[id] = nil
            order.removeAll { $0 == id }
        }
    }

    // MARK: Interface

    /// The parsed `org.varlink.certification` interface.
    static let certificationInterface: VarlinkInterface = {
        do {
            return try VarlinkInterface(description: certificationDescription)
        } catch {
            preconditionFailure("the built-in org.varlink.certification IDL does not parse: \(error)")
        }
    }()

    /// The IDL text; identical to `Resources/org.varlink.certification.varlink` (a test checks).
    static let certificationDescription = """
        # Interface to test varlink implementations against.
        # First you write a varlink client calling:
        # Start, Test01, Test02, …, Test09, End
        # The return value of the previous call should be the argument of the next call.
        # Then you test this client against well known servers like python or rust from
        # https://github.com/varlink/
        #
        # Next you write a varlink server providing the same service as the well known ones.
        # Now run your client against it and run well known clients like python or rust
        # from https://github.com/varlink/ against your server. If all works out, then
        # your new language bindings should be varlink certified.
        interface org.varlink.certification

        type Interface (
          foo: ?[]?[string](foo, bar, baz),
          anon: (foo: bool, bar: bool)
        )

        type MyType (
          object: object,
          enum: (one, two, three),
          struct: (first: int, second: string),
          array: []string,
          dictionary: [string]string,
          stringset: [string](),
          nullable: ?string,
          nullable_array_struct: ?[](first: int, second: string),
          interface: Interface
        )

        method Start() -> (client_id: string)

        method Test01(client_id: string) -> (bool: bool)

        method Test02(client_id: string, bool: bool) -> (int: int)

        method Test03(client_id: string, int: int) -> (float: float)

        method Test04(client_id: string, float: float) -> (string: string)

        method Test05(client_id: string, string: string) -> (
          bool: bool,
          int: int,
          float: float,
          string: string
        )

        method Test06(
          client_id: string,
          bool: bool,
          int: int,
          float: float,
          string: string
        ) -> (
          struct: (
            bool: bool,
            int: int,
            float: float,
            string: string
          )
        )

        method Test07(
          client_id: string,
          struct: (
            bool: bool,
            int: int,
            float: float,
            string: string
          )
        ) -> (map: [string]string)

        method Test08(client_id: string, map: [string]string) -> (set: [string]())

        method Test09(client_id: string, set: [string]()) -> (mytype: MyType)

        # returns more than one reply with "continues"
        method Test10(client_id: string, mytype: MyType) -> (string: string)

        # must be called as "oneway"
        method Test11(client_id: string, last_more_replies: []string) -> ()

        method End(client_id: string) -> (all_ok: bool)

        error ClientIdError ()
        error CertificationError (wants: object, got: object)

        """
}

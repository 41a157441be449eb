/// One method call as received.
public struct VarlinkCall: Sendable, Equatable {
    /// The fully qualified method name, such as `org.example.ftl.Jump`.
    public var method: String
    /// The interface part of ``method``, such as `org.example.ftl` (empty if the name has no dot).
    public var interface: String
    /// The bare method name, such as `Jump`.
    public var methodName: String
    /// The input parameters; an absent or `null` `parameters` key gives `[:]`.
    public var parameters: [String: JSONValue]
    /// Whether the caller accepts several replies (`continues`).
    public var more: Bool
    /// Whether the caller wants no reply at all.
    public var oneway: Bool
    /// Whether the caller asks to leave varlink after the reply (not supported by the server).
    public var upgrade: Bool

    /// Creates a call; ``interface`` and ``methodName`` are derived from `method`.
    public init(
        method: String,
        parameters: [String: JSONValue] = [:],
        more: Bool = false,
        oneway: Bool = false,
        upgrade: Bool = false
    ) {
        self.method = method
        if let dot = method.lastIndex(of: ".") {
            self.interface = String(method[..<dot])
            self.methodName = String(method[method.index(after: dot)...])
        } else {
            self.interface = ""
            self.methodName = method
        }
        self.parameters = parameters
        self.more = more
        self.oneway = oneway
        self.upgrade = upgrade
    }

    /// Reads a call object (VARLINK.md §1.3).
    ///
    /// Unknown keys (vendor extensions) are ignored.
    /// - Throws: ``VarlinkProtocolError`` if `message` is not an object, `method` is missing or not a string,
    ///   `parameters` is neither an object nor null, a flag is not a boolean, or `more` and `oneway` are both true.
    public init(message: JSONValue) throws {
        guard case .object(let object) = message else { throw VarlinkProtocolError.notAnObject }
        guard case .string(let method)? = object["method"] else { throw VarlinkProtocolError.missingMethod }
        let parameters: [String: JSONValue]
        switch object["parameters"] {
        case nil, .null?: parameters = [:]
        case .object(let value)?: parameters = value
        default: throw VarlinkProtocolError.invalidKey("parameters")
        }
        func flag(_ key: String) throws -> Bool {
            switch object[key] {
            case nil, .null?: return false
            case .bool(let value)?: return value
            default: throw VarlinkProtocolError.invalidKey(key)
            }
        }
        let more = try flag("more")
        let oneway = try flag("oneway")
        let upgrade = try flag("upgrade")
        guard !(more && oneway) else { throw VarlinkProtocolError.moreAndOneway }
        self.init(method: method, parameters: parameters, more: more, oneway: oneway, upgrade: upgrade)
    }

    /// The call object as a client sends it: `false` flags are left out, `parameters` is always present.
    public var message: JSONValue {
        var object: [String: JSONValue] = ["method": .string(method), "parameters": .object(parameters)]
        if more { object["more"] = true }
        if oneway { object["oneway"] = true }
        if upgrade { object["upgrade"] = true }
        return .object(object)
    }
}

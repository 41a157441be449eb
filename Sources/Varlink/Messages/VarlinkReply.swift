import NIOCore

/// One reply object (VARLINK.md §1.4): only `parameters`, `continues` and `error`.
public struct VarlinkReply: Sendable, Equatable {
    /// The output parameters, or the error's parameters.
    public var parameters: [String: JSONValue]
    /// Whether more replies follow (only for calls with `more`).
    public var continues: Bool
    /// The fully qualified error name, for an error reply.
    public var error: String?

    /// Creates a reply.
    public init(parameters: [String: JSONValue] = [:], continues: Bool = false, error: String? = nil) {
        self.parameters = parameters
        self.continues = continues
        self.error = error
    }

    /// Creates the final error reply for `error`.
    public init(error: VarlinkError) {
        self.init(parameters: error.parameters, continues: false, error: error.name)
    }

    /// Reads a reply object; accepts a missing `parameters` and `"continues": false`.
    ///
    /// - Throws: ``VarlinkProtocolError`` if the message is not an object or a key has the wrong type, or if an
    ///   error reply claims to continue.
    public init(message: JSONValue) throws {
        guard case .object(let object) = message else { throw VarlinkProtocolError.notAnObject }
        switch object["parameters"] {
        case nil, .null?: parameters = [:]
        case .object(let value)?: parameters = value
        default: throw VarlinkProtocolError.invalidKey("parameters")
        }
        switch object["continues"] {
        case nil, .null?: continues = false
        case .bool(let value)?: continues = value
        default: throw VarlinkProtocolError.invalidKey("continues")
        }
        switch object["error"] {
        case nil, .null?: error = nil
        case .string(let value)?: error = value
        default: throw VarlinkProtocolError.invalidKey("error")
        }
        if error != nil, continues { throw VarlinkProtocolError.unexpectedContinues }
    }

    /// The reply object; `parameters` is always present, `continues` only when true.
    public var message: JSONValue {
        var object: [String: JSONValue] = ["parameters": .object(parameters)]
        if continues { object["continues"] = true }
        if let error { object["error"] = .string(error) }
        return .object(object)
    }

    /// Writes the reply and its NUL terminator to `buffer`.
    public func serialize(into buffer: inout ByteBuffer) {
        // Keys in sorted order, written directly to avoid building an intermediate dictionary.
        buffer.writeInteger(UInt8(ascii: "{"))
        if continues { buffer.writeStaticString("\"continues\":true,") }
        if let error {
            buffer.writeStaticString("\"error\":")
            JSONValue.string(error).serialize(into: &buffer)
            buffer.writeInteger(UInt8(ascii: ","))
        }
        buffer.writeStaticString("\"parameters\":")
        JSONValue.object(parameters).serialize(into: &buffer)
        buffer.writeInteger(UInt8(ascii: "}"))
        buffer.writeInteger(UInt8(0))
    }
}

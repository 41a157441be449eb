/// A varlink error reply: a fully qualified error name and its parameters.
///
/// Handlers fail calls with it; ``VarlinkClient`` throws it when the server answers with an error.
public struct VarlinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The fully qualified name, such as `org.varlink.service.InvalidParameter`.
    public var name: String
    /// The error's parameters as declared in the IDL.
    public var parameters: [String: JSONValue]

    /// Creates an error named `name` with `parameters`.
    public init(_ name: String, parameters: [String: JSONValue] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    /// `org.varlink.service.InterfaceNotFound`: the service has no such interface.
    public static func interfaceNotFound(_ interface: String) -> VarlinkError {
        VarlinkError("org.varlink.service.InterfaceNotFound", parameters: ["interface": .string(interface)])
    }

    /// `org.varlink.service.MethodNotFound`: the interface has no such method (`method` is the bare name).
    public static func methodNotFound(_ method: String) -> VarlinkError {
        VarlinkError("org.varlink.service.MethodNotFound", parameters: ["method": .string(method)])
    }

    /// `org.varlink.service.MethodNotImplemented`: the interface declares the method but the service lacks it.
    public static func methodNotImplemented(_ method: String) -> VarlinkError {
        VarlinkError("org.varlink.service.MethodNotImplemented", parameters: ["method": .string(method)])
    }

    /// `org.varlink.service.InvalidParameter`: `parameter` is unknown, missing or of the wrong type.
    public static func invalidParameter(_ parameter: String) -> VarlinkError {
        VarlinkError("org.varlink.service.InvalidParameter", parameters: ["parameter": .string(parameter)])
    }

    /// `org.varlink.service.PermissionDenied`: the caller may not make this call.
    public static let permissionDenied = VarlinkError("org.varlink.service.PermissionDenied")

    /// `org.varlink.service.ExpectedMore`: the method streams and must be called with `more`.
    public static let expectedMore = VarlinkError("org.varlink.service.ExpectedMore")

    /// The name, the `parameter`/`interface`/`method` it concerns, and a `message` parameter if there is one.
    ///
    /// For example `org.varlink.service.InvalidParameter: parameter 'year'`.
    public var description: String {
        var text = name
        var details: [String] = []
        for key in ["parameter", "interface", "method"] {
            if let value = parameters[key]?.stringValue { details.append("\(key) '\(value)'") }
        }
        if let message = parameters["message"]?.stringValue { details.append(message) }
        if details.isEmpty, !parameters.isEmpty { details.append(JSONValue.object(parameters).jsonString) }
        if !details.isEmpty { text += ": " + details.joined(separator: ", ") }
        return text
    }
}

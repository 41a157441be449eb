/// A parsed interface definition.
///
/// The IDL text is kept verbatim for `org.varlink.service.GetInterfaceDescription`.
public struct VarlinkInterface: Sendable {
    /// The interface name, such as `org.example.ftl`.
    public let name: String
    /// The IDL text exactly as given.
    public let description: String

    let methods: [String: VarlinkMethod]
    let types: [String: VarlinkType]
    let errors: [String: [VarlinkField]]

    /// Parses an interface definition (VARLINK.md §4.1).
    ///
    /// - Parameter description: The IDL text; CRLF line endings are accepted.
    /// - Throws: ``VarlinkInterfaceParseError`` with the line of the first problem (syntax, an invalid name, a
    ///   name declared twice, a reference to an undeclared type).
    public init(description: String) throws {
        var parser = VarlinkInterfaceParser(description)
        let parsed = try parser.parseInterface()
        self.name = parsed.name
        self.description = description
        self.methods = parsed.methods
        self.types = parsed.types
        self.errors = parsed.errors
    }

    /// Whether the interface declares the method `name` (bare name, such as `Jump`).
    public func hasMethod(_ name: String) -> Bool {
        methods[name] != nil
    }

    /// Whether the method `name` is marked `# [Requires 'more' flag]` on a comment line right above it.
    public func methodRequiresMore(_ name: String) -> Bool {
        methods[name]?.requiresMore ?? false
    }

    /// The names of the input parameters of the method `name`, in declaration order; empty for an unknown method.
    public func parameterNames(method name: String) -> [String] {
        methods[name]?.input.map(\.name) ?? []
    }

    /// Whether the interface declares the error `name` (bare name, such as `NotEnoughEnergy`).
    public func hasError(_ name: String) -> Bool {
        errors[name] != nil
    }

    /// The names of the declared methods, sorted.
    public var methodNames: [String] {
        methods.keys.sorted()
    }
}

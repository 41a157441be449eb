/// Why an interface definition could not be parsed.
public struct VarlinkInterfaceParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The 1-based line of the problem.
    public var line: Int
    /// What is wrong, as a sentence fragment.
    public var message: String

    /// Creates an error at `line`.
    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    /// A sentence naming the problem and its line.
    public var description: String {
        "invalid varlink interface definition at line \(line): \(message)"
    }
}

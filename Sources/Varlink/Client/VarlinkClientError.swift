/// Why a ``VarlinkClient`` call failed other than by an error reply (which is thrown as ``VarlinkError``).
public enum VarlinkClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The address is not a Unix socket path or a `unix:` address (abstract sockets are not supported).
    case invalidAddress(String)
    /// The connection closed before the reply arrived.
    case connectionClosed
    /// The server broke the protocol; the connection was closed.
    case protocolViolation(VarlinkProtocolError)

    /// A sentence a user can act on.
    public var description: String {
        switch self {
        case .invalidAddress(let address):
            "'\(address)' is not a varlink Unix socket address; use a path or unix:/path"
        case .connectionClosed: "the varlink connection closed before the reply arrived; is the service running?"
        case .protocolViolation(let error):
            "the varlink service broke the protocol (\(error)); the connection was closed"
        }
    }
}

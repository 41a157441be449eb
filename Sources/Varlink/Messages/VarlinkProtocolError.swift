/// A message broke the varlink wire protocol; the connection it came on must be closed.
public enum VarlinkProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The message is not valid JSON.
    case invalidJSON(JSONParseError)
    /// The message's top level is not a JSON object.
    case notAnObject
    /// A call has no `method` key, or its value is not a string.
    case missingMethod
    /// A key has a value of the wrong type (`parameters` not an object, a flag not a boolean, ...).
    case invalidKey(String)
    /// A call sets both `more` and `oneway`.
    case moreAndOneway
    /// A reply has `continues: true` although the call did not ask for `more`, or together with an error.
    case unexpectedContinues
    /// A reply arrived when no call was waiting for one.
    case unexpectedReply
    /// A message exceeds the configured maximum size.
    case messageTooLarge(maximum: Int)

    /// A sentence naming the violation.
    public var description: String {
        switch self {
        case .invalidJSON(let error): "the peer sent a message that is not valid JSON: \(error)"
        case .notAnObject: "the peer sent a message that is not a JSON object"
        case .missingMethod: "the peer sent a call without a string \"method\""
        case .invalidKey(let key): "the peer sent a message whose \"\(key)\" has the wrong type"
        case .moreAndOneway: "the peer sent a call with both \"more\" and \"oneway\" set"
        case .unexpectedContinues: "the peer sent \"continues\" on a reply that must be final"
        case .unexpectedReply: "the peer sent a reply that no call was waiting for"
        case .messageTooLarge(let maximum): "the peer sent a message larger than \(maximum) bytes"
        }
    }
}

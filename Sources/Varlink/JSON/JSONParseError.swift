/// Why a JSON text could not be parsed.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What was wrong.
    public enum Reason: Sendable, Equatable {
        /// The text ended inside a value.
        case unexpectedEnd
        /// A byte that cannot start or continue a value here.
        case unexpectedByte(UInt8)
        /// Something other than whitespace follows the value.
        case trailingGarbage
        /// Arrays and objects are nested deeper than the allowed maximum.
        case tooDeep(maximum: Int)
        /// A number is malformed or cannot be represented (for example `1e400`).
        case invalidNumber
        /// A string holds bytes that are not UTF-8, or a lone surrogate escape.
        case invalidUTF8
        /// A backslash escape is not one of those RFC 8259 allows.
        case invalidEscape
        /// A string holds a raw control character (below U+0020).
        case controlCharacterInString
        /// An object has the same key twice.
        case duplicateKey(String)
    }

    /// What was wrong.
    public var reason: Reason
    /// Offset of the offending byte from the start of the text.
    public var offset: Int

    /// Creates an error for `reason` at byte `offset`.
    public init(_ reason: Reason, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    /// A sentence naming the problem and where it is.
    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "the JSON text ends in the middle of a value"
        case .unexpectedByte(let byte): what = "unexpected byte 0x\(String(byte, radix: 16)) in the JSON text"
        case .trailingGarbage: what = "the JSON text has extra data after its value"
        case .tooDeep(let maximum): what = "the JSON text nests arrays and objects deeper than \(maximum) levels"
        case .invalidNumber: what = "a JSON number is malformed or out of range"
        case .invalidUTF8: what = "a JSON string is not valid UTF-8 (or holds a lone surrogate)"
        case .invalidEscape: what = "a JSON string has an invalid backslash escape"
        case .controlCharacterInString: what = "a JSON string holds a raw control character; escape it"
        case .duplicateKey(let key): what = "a JSON object has the key \"\(key)\" twice"
        }
        return "\(what) (at byte \(offset))"
    }
}

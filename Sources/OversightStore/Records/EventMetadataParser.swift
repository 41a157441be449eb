/// Reads the `meta` column's usual JSON without Foundation's `JSONDecoder`, which costs several microseconds an
/// event when the log is replayed or a stream is loaded.
///
/// Accepts only the plain form the store writes: one flat object whose values are strings without escapes,
/// integers or `null`, each key once, no white space outside strings. Anything else — escapes, nested values,
/// floats, a repeated key, trailing bytes — returns `nil`, and the caller falls back to `JSONDecoder`, so every
/// input is read exactly as `JSONDecoder` reads it (unknown keys are ignored, `null` is an absent optional).
enum EventMetadataParser {
    /// The metadata in `text`, or `nil` when `text` is not in the plain form (or lacks `actor`).
    static func parse(_ text: String) -> EventMetadata? {
        var text = text
        return text.withUTF8 { bytes in parse(bytes) }
    }

    private enum Value {
        case string(String)
        case integer(Int64)
        case null
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> EventMetadata? {
        var index = 0
        let count = bytes.count
        guard count >= 2, bytes[0] == UInt8(ascii: "{"), bytes[count - 1] == UInt8(ascii: "}") else { return nil }
        index = 1
        var actor: String?
        var uid: Int64?
        var commandID: String?
        var client: String?
        var seen = Set<String>()
        if bytes[index] == UInt8(ascii: "}") { return nil }
        while true {
            guard let key = string(bytes, &index), seen.insert(key).inserted else { return nil }
            guard index < count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let value = value(bytes, &index) else { return nil }
            switch (key, value) {
            case ("actor", .string(let text)): actor = text
            case ("uid", .integer(let number)): uid = number
            case ("uid", .null), ("command_id", .null), ("client", .null): break
            case ("command_id", .string(let text)): commandID = text
            case ("client", .string(let text)): client = text
            case ("actor", _), ("uid", _), ("command_id", _), ("client", _): return nil
            default: break
            }
            guard index < count else { return nil }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard bytes[index] == UInt8(ascii: "}"), index == count - 1 else { return nil }
            break
        }
        guard let actor else { return nil }
        return EventMetadata(actor: actor, uid: uid, commandID: commandID, client: client)
    }

    /// A string without escapes or control characters, starting at `index`.
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> String? {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
        let start = index + 1
        var end = start
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") { break }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            end += 1
        }
        guard end < bytes.count else { return nil }
        index = end + 1
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private static func value(_ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int) -> Value? {
        guard index < bytes.count else { return nil }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return string(bytes, &index).map(Value.string)
        case UInt8(ascii: "n"):
            guard index + 4 <= bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l")
            else { return nil }
            index += 4
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            if bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            // No digits, or a leading zero ("01", not valid JSON): leave it to JSONDecoder.
            guard index > digits, bytes[digits] != UInt8(ascii: "0") || index == digits + 1 else { return nil }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
            return Int64(text).map(Value.integer)
        default:
            return nil
        }
    }
}

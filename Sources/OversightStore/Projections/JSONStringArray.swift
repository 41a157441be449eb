import Foundation

/// Reads the JSON arrays of strings that the read models keep in TEXT columns (departments, co-signers, names).
///
/// The projections write these with `JSONEncoder`, so nearly all of them are a bracket, quoted codes or names with
/// no backslash, commas and a bracket: those are split straight from the UTF-8 bytes, without a decoder per row.
/// Anything else (an escape, a control character, other JSON, or not JSON) goes to `JSONDecoder`, so the result is
/// always the one `JSONDecoder` would give.
enum JSONStringArray {
    /// The strings of `json`, or nil when it is not a JSON array of strings.
    static func decode(_ json: String) -> [String]? {
        var json = json
        json.makeContiguousUTF8()
        if let strings = json.utf8.withContiguousStorageIfAvailable(splitPlain) ?? nil {
            return strings
        }
        return try? JSONDecoder().decode([String].self, from: Data(json.utf8))
    }

    /// The strings of a JSON array of strings without escapes, or nil for anything else.
    ///
    /// A string without escapes or control characters is its bytes between the quotes, as `JSONDecoder` reads it.
    private static func splitPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> [String]? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), comma = UInt8(ascii: ",")
        var index = 0
        func skipSpace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
        index += 1
        skipSpace()
        var strings: [String] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
        } else {
            while true {
                guard index < bytes.count, bytes[index] == quote else { return nil }
                index += 1
                let start = index
                while index < bytes.count, bytes[index] != quote {
                    if bytes[index] == backslash || bytes[index] < 0x20 { return nil }
                    index += 1
                }
                guard index < bytes.count else { return nil }
                strings.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self))
                index += 1
                skipSpace()
                guard index < bytes.count else { return nil }
                if bytes[index] == comma {
                    index += 1
                    skipSpace()
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    break
                } else {
                    return nil
                }
            }
        }
        skipSpace()
        return index == bytes.count ? strings : nil
    }
}

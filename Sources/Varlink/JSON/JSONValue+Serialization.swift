import NIOCore

extension JSONValue {
    /// Appends the compact JSON text of this value to `buffer`.
    ///
    /// Object keys are sorted, doubles use the shortest text that round-trips exactly (`3.141592653589793`),
    /// strings are escaped per RFC 8259 (`"`, `\`, and control characters; other characters stay UTF-8).
    /// A non-finite double, which JSON cannot express, is written as `null`.
    public func serialize(into buffer: inout ByteBuffer) {
        switch self {
        case .null: buffer.writeStaticString("null")
        case .bool(let value): buffer.writeStaticString(value ? "true" : "false")
        case .int(let value): buffer.writeString(String(value))
        case .double(let value): Self.writeDouble(value, into: &buffer)
        case .string(let value): Self.writeEscaped(value, into: &buffer)
        case .array(let elements):
            buffer.writeInteger(UInt8(ascii: "["))
            var first = true
            for element in elements {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                element.serialize(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "]"))
        case .object(let members):
            buffer.writeInteger(UInt8(ascii: "{"))
            var first = true
            for key in members.keys.sorted() {
                if !first { buffer.writeInteger(UInt8(ascii: ",")) }
                first = false
                Self.writeEscaped(key, into: &buffer)
                buffer.writeInteger(UInt8(ascii: ":"))
                members[key, default: .null].serialize(into: &buffer)
            }
            buffer.writeInteger(UInt8(ascii: "}"))
        }
    }

    /// The compact JSON text (keys sorted).
    public var jsonString: String {
        var buffer = ByteBuffer()
        serialize(into: &buffer)
        return String(buffer: buffer)
    }

    /// The compact JSON text as UTF-8 bytes (keys sorted).
    public var jsonBytes: [UInt8] {
        var buffer = ByteBuffer()
        serialize(into: &buffer)
        return Array(buffer.readableBytesView)
    }

    private static func writeDouble(_ value: Double, into buffer: inout ByteBuffer) {
        guard value.isFinite else {
            buffer.writeStaticString("null")
            return
        }
        // Swift's description is the shortest representation that round-trips ("1.0", "3.141592653589793",
        // "1e+100", "5e-324"), which is valid JSON for finite values.
        buffer.writeString(value.description)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private static func writeEscaped(_ string: String, into buffer: inout ByteBuffer) {
        buffer.writeInteger(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var runStart = 0
            for (offset, byte) in utf8.enumerated() where byte < 0x20 || byte == 0x22 || byte == 0x5C {
                if runStart < offset {
                    buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart..<offset]))
                }
                runStart = offset + 1
                switch byte {
                case 0x22: buffer.writeStaticString("\\\"")
                case 0x5C: buffer.writeStaticString("\\\\")
                case 0x0A: buffer.writeStaticString("\\n")
                case 0x0D: buffer.writeStaticString("\\r")
                case 0x09: buffer.writeStaticString("\\t")
                case 0x08: buffer.writeStaticString("\\b")
                case 0x0C: buffer.writeStaticString("\\f")
                default:
                    buffer.writeStaticString("\\u00")
                    buffer.writeInteger(hexDigits[Int(byte >> 4)])
                    buffer.writeInteger(hexDigits[Int(byte & 0x0F)])
                }
            }
            if runStart < utf8.count {
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(utf8)[runStart...]))
            }
        }
        buffer.writeInteger(UInt8(ascii: "\""))
    }
}

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A lean `Decoder` for event payloads: parses the JSON bytes into a small tree and decodes `Decodable` values
/// from it, several times faster than Foundation's `JSONDecoder`, whose cost dominates loading a stream and
/// replaying the log.
///
/// It reads the JSON the domain's encoders write and nothing more exotic: any input it does not fully accept —
/// invalid JSON, a repeated key, an integer that does not fit, a `superDecoder` — makes it throw, and
/// ``EventJSON`` then decodes the same bytes with `JSONDecoder`, so every payload is read exactly as
/// `JSONDecoder` reads it and errors keep `JSONDecoder`'s wording. What it accepts it reads as `JSONDecoder`
/// does: unknown keys are ignored, a `null` or absent key is an absent optional, integers decode as any
/// integer type that holds them and as floating-point numbers.
enum PayloadDecoder {
    /// Decodes `type` from `data`, or throws (any error means: use `JSONDecoder` instead).
    static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        let node = try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) throws -> Node in
            var parser = Parser(bytes: raw.bindMemory(to: UInt8.self))
            let node = try parser.value(depth: 0)
            parser.skipWhitespace()
            guard parser.index == parser.bytes.count else { throw Failure.notAccepted }
            return node
        }
        return try Value(from: NodeDecoder(node: node, codingPath: []))
    }

    /// The reason for any refusal: the caller falls back to `JSONDecoder`, which says what is wrong.
    enum Failure: Error {
        case notAccepted
    }

    /// A parsed JSON value.
    enum Node {
        case null
        case bool(Bool)
        /// A number, as written.
        case number(String)
        case string(String)
        case array([Node])
        /// Members in order; keys are unique.
        case object([(key: String, value: Node)])
    }

    /// A recursive-descent parser over the payload's bytes; refuses what it does not fully accept.
    struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func value(depth: Int) throws -> Node {
            guard depth < 64 else { throw Failure.notAccepted }
            skipWhitespace()
            guard index < bytes.count else { throw Failure.notAccepted }
            switch bytes[index] {
            case UInt8(ascii: "{"): return try object(depth: depth)
            case UInt8(ascii: "["): return try array(depth: depth)
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try literal("true"); return .bool(true)
            case UInt8(ascii: "f"): try literal("false"); return .bool(false)
            case UInt8(ascii: "n"): try literal("null"); return .null
            default: return .number(try number())
            }
        }

        private mutating func literal(_ text: StaticString) throws {
            let count = text.utf8CodeUnitCount
            guard index + count <= bytes.count else { throw Failure.notAccepted }
            for offset in 0..<count where bytes[index + offset] != text.utf8Start[offset] {
                throw Failure.notAccepted
            }
            index += count
        }

        private mutating func object(depth: Int) throws -> Node {
            index += 1
            var members: [(key: String, value: Node)] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                index += 1
                return .object(members)
            }
            while true {
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw Failure.notAccepted }
                let key = try string()
                guard !members.contains(where: { $0.key == key }) else { throw Failure.notAccepted }
                skipWhitespace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw Failure.notAccepted }
                index += 1
                members.append((key, try value(depth: depth + 1)))
                skipWhitespace()
                guard index < bytes.count else { throw Failure.notAccepted }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return .object(members)
                } else {
                    throw Failure.notAccepted
                }
            }
        }

        private mutating func array(depth: Int) throws -> Node {
            index += 1
            var elements: [Node] = []
            skipWhitespace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                index += 1
                return .array(elements)
            }
            while true {
                elements.append(try value(depth: depth + 1))
                skipWhitespace()
                guard index < bytes.count else { throw Failure.notAccepted }
                if bytes[index] == UInt8(ascii: ",") {
                    index += 1
                } else if bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return .array(elements)
                } else {
                    throw Failure.notAccepted
                }
            }
        }

        /// A string without escapes is copied as it is; one with escapes is left to `JSONDecoder`.
        private mutating func string() throws -> String {
            let start = index + 1
            var end = start
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") { break }
                guard byte != UInt8(ascii: "\\"), byte >= 0x20 else { throw Failure.notAccepted }
                end += 1
            }
            guard end < bytes.count else { throw Failure.notAccepted }
            index = end + 1
            let slice = UnsafeBufferPointer(rebasing: bytes[start..<end])
            guard let text = String(validating: slice, as: UTF8.self) else { throw Failure.notAccepted }
            return text
        }

        /// A JSON integer: an optional minus and digits without a leading zero (fractions and exponents are
        /// left to `JSONDecoder`).
        private mutating func number() throws -> String {
            let start = index
            if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
            let digits = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            guard index > digits, bytes[digits] != UInt8(ascii: "0") || index == digits + 1 else {
                throw Failure.notAccepted
            }
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): throw Failure.notAccepted
                default: break
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        }
    }

    /// The `Decoder` over one node of the tree.
    struct NodeDecoder: Decoder {
        let node: Node
        let codingPath: [any CodingKey]
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            guard case .object(let members) = node else { throw Failure.notAccepted }
            return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
            guard case .array(let elements) = node else { throw Failure.notAccepted }
            return Unkeyed(elements: elements, codingPath: codingPath)
        }

        func singleValueContainer() throws -> any SingleValueDecodingContainer {
            Single(node: node, codingPath: codingPath)
        }
    }

    /// Reads scalars out of nodes, as `JSONDecoder` would.
    enum Scalar {
        static func bool(_ node: Node) throws -> Bool {
            guard case .bool(let value) = node else { throw Failure.notAccepted }
            return value
        }

        static func string(_ node: Node) throws -> String {
            guard case .string(let value) = node else { throw Failure.notAccepted }
            return value
        }

        static func integer<Value: FixedWidthInteger>(_ node: Node) throws -> Value {
            guard case .number(let text) = node, let value = Value(text) else { throw Failure.notAccepted }
            return value
        }

        static func floatingPoint<Value: LosslessStringConvertible>(_ node: Node) throws -> Value {
            guard case .number(let text) = node, let value = Value(text) else { throw Failure.notAccepted }
            return value
        }

        static func decode<Value: Decodable>(_ type: Value.Type, _ node: Node, path: [any CodingKey]) throws -> Value {
            try Value(from: NodeDecoder(node: node, codingPath: path))
        }
    }

    /// An object's members, looked up by key (payloads have a dozen keys at most, so a scan is fastest).
    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [(key: String, value: Node)]
        let codingPath: [any CodingKey]

        var allKeys: [Key] { members.compactMap { Key(stringValue: $0.key) } }

        private func node(_ key: Key) throws -> Node {
            guard let member = members.first(where: { $0.key == key.stringValue }) else { throw Failure.notAccepted }
            return member.value
        }

        func contains(_ key: Key) -> Bool { members.contains { $0.key == key.stringValue } }

        func decodeNil(forKey key: Key) throws -> Bool {
            if case .null = try node(key) { return true }
            return false
        }

        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try Scalar.bool(node(key)) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try Scalar.string(node(key)) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try Scalar.floatingPoint(node(key)) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try Scalar.floatingPoint(node(key)) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try Scalar.integer(node(key)) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try Scalar.integer(node(key)) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try Scalar.integer(node(key)) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try Scalar.integer(node(key)) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try Scalar.integer(node(key)) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try Scalar.integer(node(key)) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try Scalar.integer(node(key)) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try Scalar.integer(node(key)) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try Scalar.integer(node(key)) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try Scalar.integer(node(key)) }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try Scalar.decode(type, node(key), path: codingPath + [key])
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let member = members.first(where: { $0.key == key.stringValue }) else { return nil }
            if case .null = member.value { return nil }
            return try Scalar.decode(type, member.value, path: codingPath + [key])
        }

        func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type, forKey key: Key
        ) throws -> KeyedDecodingContainer<NestedKey> {
            try NodeDecoder(node: node(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try NodeDecoder(node: node(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder { throw Failure.notAccepted }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw Failure.notAccepted }
    }

    /// An array's elements, in order.
    struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [Node]
        let codingPath: [any CodingKey]
        private(set) var currentIndex = 0

        init(elements: [Node], codingPath: [any CodingKey]) {
            self.elements = elements
            self.codingPath = codingPath
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }

        private mutating func next() throws -> Node {
            guard currentIndex < elements.count else { throw Failure.notAccepted }
            defer { currentIndex += 1 }
            return elements[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard currentIndex < elements.count else { throw Failure.notAccepted }
            if case .null = elements[currentIndex] {
                currentIndex += 1
                return true
            }
            return false
        }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try Scalar.bool(next()) }
        mutating func decode(_ type: String.Type) throws -> String { try Scalar.string(next()) }
        mutating func decode(_ type: Double.Type) throws -> Double { try Scalar.floatingPoint(next()) }
        mutating func decode(_ type: Float.Type) throws -> Float { try Scalar.floatingPoint(next()) }
        mutating func decode(_ type: Int.Type) throws -> Int { try Scalar.integer(next()) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try Scalar.integer(next()) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try Scalar.integer(next()) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try Scalar.integer(next()) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try Scalar.integer(next()) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try Scalar.integer(next()) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalar.integer(next()) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalar.integer(next()) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalar.integer(next()) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalar.integer(next()) }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let path = codingPath
            return try Scalar.decode(type, next(), path: path)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(
            keyedBy type: NestedKey.Type
        ) throws -> KeyedDecodingContainer<NestedKey> {
            let path = codingPath
            return try NodeDecoder(node: next(), codingPath: path).container(keyedBy: type)
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let path = codingPath
            return try NodeDecoder(node: next(), codingPath: path).unkeyedContainer()
        }

        mutating func superDecoder() throws -> any Decoder { throw Failure.notAccepted }
    }

    /// One value (an id, a date, an enum's raw value).
    struct Single: SingleValueDecodingContainer {
        let node: Node
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool {
            if case .null = node { return true }
            return false
        }

        func decode(_ type: Bool.Type) throws -> Bool { try Scalar.bool(node) }
        func decode(_ type: String.Type) throws -> String { try Scalar.string(node) }
        func decode(_ type: Double.Type) throws -> Double { try Scalar.floatingPoint(node) }
        func decode(_ type: Float.Type) throws -> Float { try Scalar.floatingPoint(node) }
        func decode(_ type: Int.Type) throws -> Int { try Scalar.integer(node) }
        func decode(_ type: Int8.Type) throws -> Int8 { try Scalar.integer(node) }
        func decode(_ type: Int16.Type) throws -> Int16 { try Scalar.integer(node) }
        func decode(_ type: Int32.Type) throws -> Int32 { try Scalar.integer(node) }
        func decode(_ type: Int64.Type) throws -> Int64 { try Scalar.integer(node) }
        func decode(_ type: UInt.Type) throws -> UInt { try Scalar.integer(node) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try Scalar.integer(node) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try Scalar.integer(node) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try Scalar.integer(node) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try Scalar.integer(node) }

        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try Scalar.decode(type, node, path: codingPath)
        }
    }
}

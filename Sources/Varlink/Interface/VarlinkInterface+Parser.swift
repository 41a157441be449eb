/// The result of parsing an IDL text.
struct ParsedInterface {
    var name: String
    var methods: [String: VarlinkMethod] = [:]
    var types: [String: VarlinkType] = [:]
    var errors: [String: [VarlinkField]] = [:]
}

/// A recursive-descent parser for the varlink IDL (VARLINK.md §4.1).
struct VarlinkInterfaceParser {
    private enum Kind: Equatable {
        case word(String)
        case openParen, closeParen, colon, comma, question, arrow, openBracket, closeBracket
    }

    private struct Token {
        var kind: Kind
        var line: Int
    }

    private var tokens: [Token] = []
    private var position = 0
    /// Text of comments that are alone on their line, by line number.
    private var commentLines: [Int: String] = [:]
    private var lexError: VarlinkInterfaceParseError?
    private var lastLine = 1

    init(_ text: String) {
        tokenize(Array(text.utf8))
    }

    // MARK: Lexer

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
            return true
        default: return false
        }
    }

    private mutating func tokenize(_ bytes: [UInt8]) {
        var index = 0
        var line = 1
        var lineHasToken = false
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\n"):
                line += 1
                lineHasToken = false
                index += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                index += 1
            case UInt8(ascii: "#"):
                let start = index + 1
                while index < bytes.count, bytes[index] != UInt8(ascii: "\n") { index += 1 }
                if !lineHasToken {
                    let text = String(decoding: bytes[start..<index], as: UTF8.self)
                    commentLines[line] = text.trimmingWhitespace()
                }
            case UInt8(ascii: "("): append(.openParen, line, &index, &lineHasToken)
            case UInt8(ascii: ")"): append(.closeParen, line, &index, &lineHasToken)
            case UInt8(ascii: ":"): append(.colon, line, &index, &lineHasToken)
            case UInt8(ascii: ","): append(.comma, line, &index, &lineHasToken)
            case UInt8(ascii: "?"): append(.question, line, &index, &lineHasToken)
            case UInt8(ascii: "["): append(.openBracket, line, &index, &lineHasToken)
            case UInt8(ascii: "]"): append(.closeBracket, line, &index, &lineHasToken)
            case UInt8(ascii: "-") where index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: ">"):
                tokens.append(Token(kind: .arrow, line: line))
                lineHasToken = true
                index += 2
            default:
                guard Self.isWordByte(byte), byte != UInt8(ascii: "-"), byte != UInt8(ascii: ".") else {
                    let character = String(decoding: bytes[index..<min(index + 1, bytes.count)], as: UTF8.self)
                    lexError = VarlinkInterfaceParseError(line: line, message: "unexpected character '\(character)'")
                    return
                }
                let start = index
                while index < bytes.count, Self.isWordByte(bytes[index]) {
                    // Stop before "->" so that "Foo()->()"-style text splits correctly.
                    if bytes[index] == UInt8(ascii: "-"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">")
                    {
                        break
                    }
                    index += 1
                }
                tokens.append(Token(kind: .word(String(decoding: bytes[start..<index], as: UTF8.self)), line: line))
                lineHasToken = true
            }
        }
        lastLine = line
    }

    private mutating func append(_ kind: Kind, _ line: Int, _ index: inout Int, _ lineHasToken: inout Bool) {
        tokens.append(Token(kind: kind, line: line))
        lineHasToken = true
        index += 1
    }

    // MARK: Parser

    private var currentLine: Int {
        position < tokens.count ? tokens[position].line : lastLine
    }

    private func error(_ message: String) -> VarlinkInterfaceParseError {
        VarlinkInterfaceParseError(line: currentLine, message: message)
    }

    private func describeCurrent() -> String {
        guard position < tokens.count else { return "the end of the text" }
        switch tokens[position].kind {
        case .word(let word): return "'\(word)'"
        case .openParen: return "'('"
        case .closeParen: return "')'"
        case .colon: return "':'"
        case .comma: return "','"
        case .question: return "'?'"
        case .arrow: return "'->'"
        case .openBracket: return "'['"
        case .closeBracket: return "']'"
        }
    }

    private func peek() -> Kind? {
        position < tokens.count ? tokens[position].kind : nil
    }

    private mutating func expect(_ kind: Kind, _ what: String) throws {
        guard peek() == kind else { throw error("expected \(what), found \(describeCurrent())") }
        position += 1
    }

    private mutating func word(_ what: String) throws -> String {
        guard case .word(let word)? = peek() else { throw error("expected \(what), found \(describeCurrent())") }
        position += 1
        return word
    }

    mutating func parseInterface() throws -> ParsedInterface {
        if let lexError { throw lexError }
        guard try word("'interface'") == "interface" else {
            position -= 1
            throw error("expected 'interface', found \(describeCurrent())")
        }
        let name = try word("an interface name")
        guard Self.isInterfaceName(name) else {
            position -= 1
            throw error("'\(name)' is not a valid interface name (reverse-domain, at least two labels)")
        }
        var result = ParsedInterface(name: name)
        var declared: Set<String> = []
        while position < tokens.count {
            let keywordLine = currentLine
            let keyword = try word("'type', 'method' or 'error'")
            let memberName = try word("a name")
            guard Self.isName(memberName) else {
                position -= 1
                throw error("'\(memberName)' is not a valid name (CamelCase: [A-Z][A-Za-z0-9]*)")
            }
            guard declared.insert(memberName).inserted else {
                position -= 1
                throw error("'\(memberName)' is declared twice")
            }
            switch keyword {
            case "type":
                result.types[memberName] = try parseStructOrEnum()
            case "method":
                let input = try parseStructFields()
                try expect(.arrow, "'->'")
                let output = try parseStructFields()
                result.methods[memberName] = VarlinkMethod(
                    name: memberName,
                    input: input,
                    output: output,
                    requiresMore: requiresMoreMarker(above: keywordLine)
                )
            case "error":
                result.errors[memberName] = try parseStructFields()
            default:
                position -= 2
                throw error("expected 'type', 'method' or 'error', found \(describeCurrent())")
            }
        }
        try checkReferences(result)
        return result
    }

    /// Whether the comment block directly above `line` holds the systemd streaming marker.
    private func requiresMoreMarker(above line: Int) -> Bool {
        var current = line - 1
        while let comment = commentLines[current] {
            if comment == "[Requires 'more' flag]" { return true }
            current -= 1
        }
        return false
    }

    /// Parses `( ... )` after a `type` name: a struct or an enum.
    private mutating func parseStructOrEnum() throws -> VarlinkType {
        let start = position
        try expect(.openParen, "'('")
        if peek() == .closeParen {
            position += 1
            return .structure([])
        }
        _ = try word("a field name")
        let isStruct = peek() == .colon
        position = start
        return isStruct ? .structure(try parseStructFields()) : .enumeration(try parseEnumValues())
    }

    private mutating func parseStructFields() throws -> [VarlinkField] {
        try expect(.openParen, "'('")
        var fields: [VarlinkField] = []
        if peek() == .closeParen {
            position += 1
            return fields
        }
        var names: Set<String> = []
        while true {
            let name = try fieldName()
            guard names.insert(name).inserted else {
                position -= 1
                throw error("field '\(name)' appears twice")
            }
            try expect(.colon, "':'")
            fields.append(VarlinkField(name: name, type: try parseType()))
            if peek() == .comma {
                position += 1
                continue
            }
            try expect(.closeParen, "',' or ')'")
            return fields
        }
    }

    private mutating func parseEnumValues() throws -> [String] {
        try expect(.openParen, "'('")
        var values: [String] = []
        while true {
            let value = try fieldName()
            guard !values.contains(value) else {
                position -= 1
                throw error("enum value '\(value)' appears twice")
            }
            values.append(value)
            if peek() == .comma {
                position += 1
                continue
            }
            try expect(.closeParen, "',' or ')'")
            return values
        }
    }

    private mutating func fieldName() throws -> String {
        let name = try word("a field name")
        guard Self.isFieldName(name) else {
            position -= 1
            throw error("'\(name)' is not a valid field name ([A-Za-z](_?[A-Za-z0-9])*)")
        }
        return name
    }

    private mutating func parseType() throws -> VarlinkType {
        if peek() == .question {
            position += 1
            guard peek() != .question else { throw error("'?' cannot be doubled") }
            return .optional(try parseType())
        }
        if peek() == .openBracket {
            position += 1
            if peek() == .closeBracket {
                position += 1
                return .array(try parseType())
            }
            guard try word("']' or 'string'") == "string" else {
                position -= 1
                throw error("expected ']' or 'string', found \(describeCurrent())")
            }
            try expect(.closeBracket, "']'")
            return .map(try parseType())
        }
        if peek() == .openParen {
            let start = position
            position += 1
            if peek() == .closeParen {
                position += 1
                return .structure([])
            }
            _ = try word("a field name")
            let isStruct = peek() == .colon
            position = start
            return isStruct ? .structure(try parseStructFields()) : .enumeration(try parseEnumValues())
        }
        let name = try word("a type")
        switch name {
        case "bool": return .bool
        case "int": return .int
        case "float": return .float
        case "string": return .string
        case "object": return .object
        default:
            guard Self.isName(name) else {
                position -= 1
                throw error("'\(name)' is not a type")
            }
            return .named(name)
        }
    }

    private func checkReferences(_ interface: ParsedInterface) throws {
        func check(_ type: VarlinkType) throws {
            switch type {
            case .bool, .int, .float, .string, .object, .enumeration: return
            case .named(let name):
                guard interface.types[name] != nil else {
                    throw VarlinkInterfaceParseError(line: lastLine, message: "type '\(name)' is used but not declared")
                }
            case .structure(let fields): for field in fields { try check(field.type) }
            case .array(let element), .map(let element), .optional(let element): try check(element)
            }
        }
        for name in interface.types.keys.sorted() { try interface.types[name].map(check) }
        for name in interface.methods.keys.sorted() {
            guard let method = interface.methods[name] else { continue }
            for field in method.input + method.output { try check(field.type) }
        }
        for name in interface.errors.keys.sorted() {
            for field in interface.errors[name] ?? [] { try check(field.type) }
        }
    }

    // MARK: Names

    private static func isAlpha(_ c: Character) -> Bool { c.isASCII && c.isLetter }
    private static func isAlnum(_ c: Character) -> Bool { c.isASCII && (c.isLetter || c.isNumber) }

    /// Whether `name` is an interface name: `[A-Za-z]([-]*[A-Za-z0-9])*(\.[A-Za-z0-9]([-]*[A-Za-z0-9])*)+`.
    static func isInterfaceName(_ name: String) -> Bool {
        let labels = name.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for (number, label) in labels.enumerated() {
            guard let first = label.first, let last = label.last else { return false }
            guard number == 0 ? isAlpha(first) : isAlnum(first) else { return false }
            guard isAlnum(last) else { return false }
            guard label.allSatisfy({ isAlnum($0) || $0 == "-" }) else { return false }
        }
        return true
    }

    /// Whether `name` is a type, method or error name: `[A-Z][A-Za-z0-9]*`.
    static func isName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isUppercase else { return false }
        return name.allSatisfy(isAlnum)
    }

    /// Whether `name` is a field or enum value name: `[A-Za-z](_?[A-Za-z0-9])*`.
    static func isFieldName(_ name: String) -> Bool {
        guard let first = name.first, isAlpha(first), name.last != "_" else { return false }
        var previousUnderscore = false
        for character in name {
            if character == "_" {
                if previousUnderscore { return false }
                previousUnderscore = true
            } else {
                guard isAlnum(character) else { return false }
                previousUnderscore = false
            }
        }
        return true
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var slice = Substring(self)
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice.removeLast() }
        return String(slice)
    }
}

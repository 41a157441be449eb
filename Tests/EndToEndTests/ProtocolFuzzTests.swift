import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Generated bad input for the real daemon's socket: it never crashes, every bad call gets an error or a closed
/// connection, nothing is written, its memory stays bounded, and good clients on other connections are served.
@Suite(.serialized)
struct ProtocolFuzzTests {
    /// A parameter of a method the generator targets, with its IDL type.
    private struct Parameter {
        enum Kind { case string, int }
        var name: String
        var kind: Kind
        var optional: Bool
    }

    /// Methods whose parameters the generator knows (from their `.varlink` files).
    private static let methods: [(String, [Parameter])] = [
        (
            "org.oversight.departments.Add",
            [.init(name: "code", kind: .string, optional: false), .init(name: "name", kind: .string, optional: false)]
        ),
        (
            "org.oversight.departments.Rename",
            [.init(name: "code", kind: .string, optional: false), .init(name: "name", kind: .string, optional: false)]
        ),
        (
            "org.oversight.topics.Plan",
            [
                .init(name: "year", kind: .int, optional: false), .init(name: "kind", kind: .string, optional: false),
                .init(name: "title", kind: .string, optional: false),
            ]
        ),
        (
            "org.oversight.topics.Deliberate",
            [
                .init(name: "id", kind: .string, optional: false), .init(name: "term", kind: .int, optional: true),
                .init(name: "session", kind: .int, optional: false),
                .init(name: "date", kind: .string, optional: false),
            ]
        ),
        (
            "org.oversight.log.Show",
            [.init(name: "after", kind: .int, optional: true), .init(name: "limit", kind: .int, optional: true)]
        ),
        (
            "org.oversight.items.Accept",
            [.init(name: "id", kind: .string, optional: false), .init(name: "date", kind: .string, optional: false)]
        ),
    ]

    /// Generated JSON text.
    private struct Generator {
        var random: SeededGenerator

        mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
        mutating func chance(_ percent: Int) -> Bool { int(0...99) < percent }

        /// A JSON string literal of random scalars: ASCII, escapes, CJK, emoji, NUL and other controls.
        mutating func stringLiteral(maxLength: Int = 12) -> String {
            var text = "\""
            for _ in 0..<int(0...maxLength) {
                switch int(0...9) {
                case 0: text += "\\u0000"
                case 1: text += ["\\\"", "\\\\", "\\n", "\\t", "\\u001b", "\\ud83d\\ude00", "\\/"][int(0...6)]
                case 2: text += String(UnicodeScalar(UInt8(int(0x41...0x5A))))
                case 3: text += "监督"
                case 4: text += "😀"
                default: text += String(UnicodeScalar(UInt8(int(0x61...0x7A))))
                }
            }
            return text + "\""
        }

        /// A random JSON value of any type, nested at most `depth` levels.
        mutating func value(depth: Int = 3) -> String {
            switch int(depth > 0 ? 0...7 : 0...5) {
            case 0: return "null"
            case 1: return chance(50) ? "true" : "false"
            case 2: return "\(int(-1_000_000...1_000_000))"
            case 3: return ["1.5", "-0.0", "1e308", "2.2250738585072014e-308", "123456789012345678"][int(0...4)]
            case 4, 5: return stringLiteral()
            case 6: return "[" + (0..<int(0...3)).map { _ in value(depth: depth - 1) }.joined(separator: ",") + "]"
            default:
                return "{"
                    + (0..<int(0...3)).map { index in "\"k\(index)\":\(value(depth: depth - 1))" }
                    .joined(separator: ",") + "}"
            }
        }

        /// A value that is not of `kind` (and not null, which an optional parameter accepts).
        mutating func wrongValue(for kind: Parameter.Kind) -> String {
            switch (kind, int(0...5)) {
            case (.string, 0), (.int, 0): return chance(50) ? "true" : "false"
            case (.string, 1): return "\(int(-5...100_000))"
            case (.int, 1): return stringLiteral()
            case (_, 2): return "[" + value(depth: 1) + "]"
            case (_, 3): return "{\"nested\":" + value(depth: 2) + "}"
            case (.int, 4): return ["1.5", "1e300", "-2.5e-3"][int(0...2)]
            case (_, 4): return "{}"
            default:
                // Deep but within the parser's limit: the type check must refuse it, not the JSON parser.
                let depth = int(20...200)
                return String(repeating: "[", count: depth) + "1" + String(repeating: "]", count: depth)
            }
        }

        /// A well-typed value for `kind`.
        mutating func rightValue(for kind: Parameter.Kind) -> String {
            kind == .int ? "\(int(1...3000))" : stringLiteral()
        }

        /// A call that must get an error reply without reaching the writer: unknown interface or method, an
        /// unknown, missing or wrongly typed parameter, a control character in a text, or `more` missing.
        mutating func badCall() -> String {
            let (method, parameters) = ProtocolFuzzTests.methods[int(0...ProtocolFuzzTests.methods.count - 1)]
            var fields = parameters.map { "\"\($0.name)\":\(rightValue(for: $0.kind))" }
            var name = method
            switch int(0...6) {
            case 0:
                name = "org.fuzz\(int(0...999)).Method\(int(0...9))"
            case 1:
                name = method.split(separator: ".").dropLast().joined(separator: ".") + ".NoSuch\(int(0...99))"
            case 2:
                fields.append("\"fuzz_\(int(0...99))\":\(value())")
            case 3:
                let index = int(0...parameters.count - 1)
                fields[index] = "\"\(parameters[index].name)\":\(wrongValue(for: parameters[index].kind))"
            case 4:
                guard let required = parameters.firstIndex(where: { !$0.optional }) else {
                    return "{\"method\":\"org.oversight.log.Follow\",\"parameters\":{}}"
                }
                fields.remove(at: required)
            case 5:
                // A NUL or an escape sequence in a text of a recording method (the log's Show has no text).
                guard let text = parameters.firstIndex(where: { $0.kind == .string }) else {
                    return "{\"method\":\"org.oversight.log.Follow\"}"
                }
                let control = chance(50) ? "\\u0000" : "\\u001b[31m"
                fields[text] = "\"\(parameters[text].name)\":\"a\(control)b\""
            default:
                return "{\"method\":\"org.oversight.log.Follow\",\"parameters\":{\"after\":\(int(0...99))}}"
            }
            return "{\"method\":\"\(name)\",\"parameters\":{" + fields.joined(separator: ",") + "}}"
        }

        /// A message that must get an error reply or have its connection closed (never a success).
        mutating func hostileMessage() -> [UInt8] {
            let call = Array(badCall().utf8)
            switch int(0...9) {
            case 0:
                // Random bytes, without a NUL inside.
                return (0..<int(1...300)).map { _ in UInt8(int(1...255)) }
            case 1:
                // Truncated.
                return Array(call.prefix(int(0...max(0, call.count - 1))))
            case 2:
                // Invalid UTF-8 inside a string.
                let bad: [[UInt8]] = [
                    [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
                ]
                return Array("{\"method\":\"org.oversight.departments.Add\",\"parameters\":{\"code\":\"a".utf8)
                    + bad[int(0...4)] + Array("\",\"name\":\"b\"}}".utf8)
            case 3:
                // Nested far deeper than the parser allows.
                let depth = int(257...100_000)
                return Array(
                    ("{\"method\":\"org.oversight.log.Status\",\"parameters\":{\"x\":"
                        + String(repeating: "[", count: depth)
                        + String(repeating: "]", count: depth) + "}}").utf8)
            case 4:
                // Huge and odd numbers.
                let numbers = [
                    "1" + String(repeating: "0", count: int(20...5000)), "-9223372036854775809", "1e999",
                    "0x10", "01", "NaN", "Infinity", "-", "1.", ".5", "1e",
                ]
                return Array(
                    "{\"method\":\"org.oversight.log.Show\",\"parameters\":{\"after\":\(numbers[int(0...numbers.count - 1)])}}"
                        .utf8)
            case 5:
                // Not a call object.
                let texts = [
                    "[]", "null", "42", "\"org.oversight.log.Status\"", "{}", "{\"method\":42}",
                    "{\"method\":null}", "{\"method\":\"org.oversight.log.Status\",\"parameters\":[]}",
                    "{\"method\":\"org.oversight.log.Status\",\"more\":\"yes\"}",
                    "{\"method\":\"org.oversight.log.Status\",\"more\":true,\"oneway\":true}",
                    "{\"method\":\"org.oversight.log.Status\",\"upgrade\":true}",
                    "{\"method\":\"org.oversight.log.Status\",\"method\":\"org.oversight.log.Verify\"}",
                    "{\"method\":\"\"}", "{\"method\":\"noDots\"}", "{\"method\":\"org.oversight.log.\"}",
                ]
                return Array(texts[int(0...texts.count - 1)].utf8)
            case 6:
                // A NUL inside the message splits it into two broken ones.
                var bytes = call
                bytes.insert(0, at: int(1...max(1, bytes.count - 1)))
                return bytes
            case 7:
                // Whitespace, BOM and comments around a call.
                return [0xEF, 0xBB, 0xBF] + call + Array(" // c".utf8)
            default:
                return call
            }
        }
    }

    @Test func `100000 generated bad inputs: no crash, each answered with an error or a close, memory bounded`()
        throws
    {
        let seed = SeededGenerator.seed(for: "protocol fuzz")
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let pid = daemon.process.processIdentifier
        let setup = try WireConnection(path: scratch.socket)
        _ = try setup.parameters("org.oversight.departments.Add", ["code": "fgw", "name": "市发展和改革委员会"])
        let headBefore = try setup.parameters("org.oversight.log.Status")["headPosition"] as? Int
        let baseline = residentKiB(of: pid) ?? 0

        // A good client and a memory probe run throughout.
        let stop = StopFlag()
        let goodCalls = Collected<Bool>()
        let goodFailures = Collected<String>()
        let samples = Collected<Int>()
        let socket = scratch.socket
        let background = Thread {
            guard let good = try? WireConnection(path: socket) else {
                goodFailures.append("the good client could not connect")
                return
            }
            while !stop.isRaised {
                do {
                    let list = try good.parameters("org.oversight.departments.List")
                    let codes = (list["departments"] as? [[String: Any]])?.compactMap { $0["code"] as? String }
                    if codes != ["fgw"] { goodFailures.append("the board changed: \(list)") }
                    _ = try good.parameters("org.oversight.log.Status")
                    goodCalls.append(true)
                } catch {
                    goodFailures.append("\(error)")
                    return
                }
                if let rss = residentKiB(of: pid) { samples.append(rss) }
                usleep(20_000)
            }
        }
        background.start()

        let counts = Collected<(pipelined: Int, hostile: Int)>()
        let problems = Collected<String>()
        // Five threads: three pipeline bad calls in batches of 1000 on one connection each, two open a connection
        // per hostile message.
        onThreads(5) { worker in
            var generator = Generator(random: SeededGenerator(seed: seed &+ UInt64(worker)))
            if worker < 3 {
                var answered = 0
                for batch in 0..<31 {
                    guard let connection = try? WireConnection(path: socket) else {
                        problems.append("pipelining worker \(worker) could not connect")
                        return
                    }
                    let calls = (0..<1000).map { _ in generator.badCall() }
                    guard connection.send(calls.flatMap { Array($0.utf8) + [0] }) else {
                        problems.append("batch \(batch): the daemon closed the connection while calls were sent")
                        return
                    }
                    for call in calls {
                        switch connection.read() {
                        case .reply(let reply) where reply["error"] is String && reply["continues"] == nil:
                            answered += 1
                        case let other:
                            problems.append("pipelined \(call.prefix(300)) → \(other)")
                            return
                        }
                    }
                }
                counts.append((answered, 0))
            } else {
                var handled = 0
                for _ in 0..<4000 {
                    let message = generator.hostileMessage()
                    guard let connection = try? WireConnection(path: socket, timeout: 5) else {
                        problems.append("could not connect for a hostile message")
                        return
                    }
                    let ended = generator.chance(10)
                    // A message without its NUL, then EOF, must be dropped; otherwise it is terminated.
                    connection.send(ended ? message : message + [0])
                    if ended { connection.shutdownWrite() }
                    switch connection.read() {
                    case .closed:
                        handled += 1
                    case .reply(let reply) where reply["error"] is String:
                        handled += 1
                    case let other:
                        let text = String(decoding: message.prefix(200), as: UTF8.self)
                        problems.append("hostile \(text.debugDescription) → \(other)")
                        return
                    }
                }
                counts.append((0, handled))
            }
        }

        // Oversized: 16 MiB and more without a NUL is disconnected; a 12 MiB text is refused with an error.
        var oversized = 0
        for size in [16 * 1024 * 1024 + 1, 20 * 1024 * 1024] {
            let connection = try WireConnection(path: socket, timeout: 20)
            let prefix = Array("{\"method\":\"org.oversight.departments.Add\",\"parameters\":{\"name\":\"".utf8)
            connection.send(prefix + [UInt8](repeating: 0x61, count: size - prefix.count))
            if case .closed = connection.read() { oversized += 1 } else { problems.append("\(size) bytes: not closed") }
        }
        let big = try WireConnection(path: socket, timeout: 20)
        let reply = try big.call(
            "org.oversight.departments.Add", ["code": "big", "name": String(repeating: "监", count: 4 * 1024 * 1024)])
        if reply["error"] is String { oversized += 1 } else { problems.append("a 12 MiB name was accepted") }

        stop.raise()
        while !background.isFinished { usleep(10_000) }

        let pipelined = counts.all.reduce(0) { $0 + $1.pipelined }
        let hostile = counts.all.reduce(0) { $0 + $1.hostile }
        let total = pipelined + hostile + oversized
        let peak = samples.all.max() ?? 0
        let after = residentKiB(of: pid) ?? 0
        print(
            "protocol fuzz: \(total) inputs (\(pipelined) pipelined bad calls, \(hostile) hostile messages, "
                + "\(oversized) oversized); daemon RSS \(baseline / 1024) MiB before, peak \(peak / 1024) MiB, "
                + "\(after / 1024) MiB after; \(goodCalls.all.count) good round trips meanwhile")
        #expect(problems.all.isEmpty, "\(problems.all.prefix(5))")
        #expect(total >= 100_000)
        #expect(daemon.process.isRunning, "the daemon died: \(String(decoding: daemon.stderr.get(), as: UTF8.self))")
        #expect(goodFailures.all.isEmpty, "\(goodFailures.all.prefix(3))")
        #expect(goodCalls.all.count > 10)
        #expect(peak < 768 * 1024, "peak RSS \(peak / 1024) MiB")
        #expect(after < baseline + 256 * 1024, "RSS grew from \(baseline / 1024) to \(after / 1024) MiB")
        // Nothing was written by any of it.
        let status = try setup.parameters("org.oversight.log.Status")
        #expect(status["headPosition"] as? Int == headBefore)
        #expect(daemon.stop() == 0)
    }

    @Test func `a NUL or an escape sequence in a recorded text is refused naming the parameter`() throws {
        let scratch = try Scratch()
        let daemon = try Daemon(scratch: scratch)
        let connection = try WireConnection(path: scratch.socket)
        for (text, code) in [("市\u{0}民政局", "U+0000"), ("\u{1B}[2J市民政局", "U+001B"), ("市民\u{85}政局", "U+0085")] {
            let reply = try connection.call("org.oversight.departments.Add", ["code": "mzj", "name": text])
            #expect(reply["error"] as? String == "org.oversight.departments.InvalidArgument")
            let parameters = reply["parameters"] as? [String: Any] ?? [:]
            #expect(parameters["parameter"] as? String == "name")
            #expect((parameters["message"] as? String)?.contains(code) == true, "\(parameters)")
        }
        // Tabs and line breaks are text, not control sequences.
        let plan = try connection.parameters(
            "org.oversight.topics.Plan", ["year": 2024, "kind": "research", "title": "调研\t报告\n第二行"])
        #expect((plan["topic"] as? [String: Any])?["title"] as? String == "调研\t报告\n第二行")
        #expect(try allEvents(connection).count == 1)
        #expect(daemon.stop() == 0)
    }
}

import NIOCore
import NIOEmbedded
import Testing

@testable import Varlink

struct VarlinkFrameDecoderTests {
    static let messages = [
        "{\"method\":\"org.example.a.Ping\",\"parameters\":{\"text\":\"hi\"}}",
        "{}",
        "{\"method\":\"org.example.a.Long\",\"parameters\":{\"text\":\"" + String(repeating: "x", count: 5000) + "\"}}",
        "{\"é\":\"😀\"}",
    ]

    /// Feeds `bytes` in chunks of `chunkSize` and returns the decoded messages as strings.
    private func decode(_ bytes: [UInt8], chunkSize: Int, maximumBufferSize: Int? = nil) throws -> [String] {
        let channel = EmbeddedChannel(
            handler: ByteToMessageHandler(VarlinkFrameDecoder(), maximumBufferSize: maximumBufferSize)
        )
        var output: [String] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(offset + chunkSize, bytes.count)
            try channel.writeInbound(ByteBuffer(bytes: bytes[offset..<end]))
            while let message = try channel.readInbound(as: ByteBuffer.self) {
                output.append(String(buffer: message))
            }
            offset = end
        }
        _ = try channel.finish()
        return output
    }

    @Test(arguments: [1, 2, 3, 7, 64, 1000, 100_000])
    func `messages split at any chunk size decode intact`(chunkSize: Int) throws {
        let bytes: [UInt8] = Self.messages.flatMap { message -> [UInt8] in Array(message.utf8) + [0] }
        #expect(try decode(bytes, chunkSize: chunkSize) == Self.messages)
    }

    @Test func `several messages in one read are all emitted`() throws {
        let bytes = Array("{\"a\":1}\0{\"b\":2}\0{\"c\":3}\0".utf8)
        #expect(try decode(bytes, chunkSize: bytes.count) == ["{\"a\":1}", "{\"b\":2}", "{\"c\":3}"])
    }

    @Test func `an empty message between NULs is emitted empty`() throws {
        #expect(try decode([0x7B, 0x7D, 0, 0], chunkSize: 4) == ["{}", ""])
    }

    @Test func `an incomplete message at EOF is dropped`() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VarlinkFrameDecoder()))
        try channel.writeInbound(ByteBuffer(string: "{\"a\":1}\0{\"b\""))
        #expect(try channel.readInbound(as: ByteBuffer.self).map { String(buffer: $0) } == "{\"a\":1}")
        _ = try channel.finish()
        #expect(try channel.readInbound(as: ByteBuffer.self) == nil)
    }

    @Test func `a message over the buffer limit without a NUL is an error`() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(VarlinkFrameDecoder(), maximumBufferSize: 100))
        #expect(throws: ByteToMessageDecoderError.PayloadTooLargeError.self) {
            try channel.writeInbound(ByteBuffer(bytes: [UInt8](repeating: 0x20, count: 200)))
        }
        _ = try? channel.finish()
    }

    @Test func `many small messages in one read do not count against the limit`() throws {
        let one = Array("{\"a\":1}".utf8) + [0]
        let bytes = Array((0..<100).map { _ in one }.joined())
        #expect(try decode(bytes, chunkSize: bytes.count, maximumBufferSize: 64).count == 100)
    }

    @Test func `the encoder appends a NUL`() throws {
        let channel = EmbeddedChannel(handler: MessageToByteHandler(VarlinkFrameEncoder()))
        try channel.writeOutbound(ByteBuffer(string: "{}"))
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(written.readableBytesView) == [0x7B, 0x7D, 0])
        _ = try channel.finish()
    }
}

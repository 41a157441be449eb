import NIOCore

/// Splits a varlink byte stream into messages: each message is the bytes before a NUL.
///
/// The NUL is consumed and not part of the emitted buffer. Bytes left over at EOF (a message without its NUL) are
/// discarded. Bound the buffer with `ByteToMessageHandler(_:maximumBufferSize:)`: a peer that sends more than that
/// without a NUL gets `ByteToMessageDecoderError.PayloadTooLargeError`, and the connection should be closed.
public struct VarlinkFrameDecoder: ByteToMessageDecoder {
    /// One message, without its NUL terminator.
    public typealias InboundOut = ByteBuffer

    /// How far the previous search got, so that a slowly arriving message is not rescanned from its start.
    private var scannedBytes = 0

    /// Creates a decoder.
    public init() {}

    /// Emits one message if a NUL has arrived.
    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let message = nextMessage(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(message))
        return .continue
    }

    /// Discards an incomplete message at EOF: varlink has no message without its NUL.
    public mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        while let message = nextMessage(from: &buffer) {
            context.fireChannelRead(Self.wrapInboundOut(message))
        }
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        return .needMoreData
    }

    /// Takes the next complete message off `buffer`, or returns `nil` (leaving `buffer` untouched) if none.
    mutating func nextMessage(from buffer: inout ByteBuffer) -> ByteBuffer? {
        let view = buffer.readableBytesView
        let searchStart = view.index(view.startIndex, offsetBy: min(scannedBytes, view.count))
        guard let nul = view[searchStart...].firstIndex(of: 0) else {
            scannedBytes = view.count
            return nil
        }
        scannedBytes = 0
        guard let message = buffer.readSlice(length: nul - view.startIndex) else { return nil }
        buffer.moveReaderIndex(forwardBy: 1)
        return message
    }
}

/// Writes each outbound buffer followed by the NUL terminator.
///
/// Used by tests and simple pipelines; the server and client write the NUL themselves while serialising.
public struct VarlinkFrameEncoder: MessageToByteEncoder {
    /// One message, without its NUL terminator.
    public typealias OutboundIn = ByteBuffer

    /// Creates an encoder.
    public init() {}

    /// Copies `data` and appends a NUL.
    public func encode(data: ByteBuffer, out: inout ByteBuffer) throws {
        var data = data
        out.writeBuffer(&data)
        out.writeInteger(UInt8(0))
    }
}

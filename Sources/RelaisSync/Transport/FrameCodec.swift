import NIOCore

/// Decodes `u16`-length-prefixed frames off the TCP stream (SPEC.md §2).
struct FrameToMessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt16.self) else { return .needMoreData }
        guard length > 0 else { throw FrameError.emptyFrame }
        guard buffer.readableBytes >= Limits.frameHeaderBytes + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: Limits.frameHeaderBytes)
        let frame = buffer.readBytes(length: Int(length))!
        context.fireChannelRead(wrapInboundOut(frame))
        return .continue
    }
}

/// Prefixes each outgoing frame with its `u16` length.
struct FrameEncoder: MessageToByteEncoder {
    typealias OutboundIn = [UInt8]

    func encode(data: [UInt8], out: inout ByteBuffer) throws {
        precondition(!data.isEmpty && data.count <= Limits.frameBytesMax, "a frame holds 1 to 65535 bytes")
        out.writeInteger(UInt16(data.count))
        out.writeBytes(data)
    }
}

/// Closes a connection that stayed silent past the idle timeout: slow or stalled peers must not
/// hold a session slot for ever.
final class CloseOnIdleHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = [UInt8]
    typealias InboundOut = [UInt8]

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

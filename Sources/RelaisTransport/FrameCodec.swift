import NIOCore
import RelaisSync

/// Decodes frames off the TCP stream with `FrameDecoder`'s rules (SPEC.md §2).
struct FrameToMessageDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    private var decoder: FrameDecoder

    init(handshakeFrames: Int) { decoder = FrameDecoder(handshakeFrames: handshakeFrames) }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        for frame in try decoder.feed(bytes) { context.fireChannelRead(wrapInboundOut(frame)) }
        return .needMoreData
    }
}

/// Closes a connection whose handshake is not done within `Limits.handshakeTimeout`: a client
/// that trickles bytes must not hold a session slot.
final class HandshakeDeadlineHandler: ChannelInboundHandler {
    typealias InboundIn = [UInt8]
    typealias InboundOut = [UInt8]

    private let handshakeFrames: Int
    private var framesSeen = 0
    private var deadline: Scheduled<Void>?

    init(handshakeFrames: Int) { self.handshakeFrames = handshakeFrames }

    func channelActive(context: ChannelHandlerContext) {
        let timeout = TimeAmount(Limits.handshakeTimeout)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        deadline = context.eventLoop.scheduleTask(in: timeout) {
            // Raised first, so the session reads why its connection ends: not the peer closing.
            loopBound.value.fireErrorCaught(HandshakeDeadlineMissed())
            loopBound.value.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        framesSeen += 1
        if framesSeen >= handshakeFrames { deadline?.cancel() }
        context.fireChannelRead(data)
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }
}

/// The handshake did not complete within `Limits.handshakeTimeout`.
struct HandshakeDeadlineMissed: Error, CustomStringConvertible {
    var description: String {
        "the handshake did not complete within \(Limits.handshakeTimeout.components.seconds) s; the connection was closed"
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

/// Closes a connection that stayed silent past the idle timeout (slow or stalled peers must not
/// hold a session slot for ever), and writes a keep-alive frame when this side has written
/// nothing for a while, so a peer waiting on it is not mistaken for one of those. It sits below
/// the frame encoder: the keep-alive goes out as raw bytes.
final class IdleHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = [UInt8]
    typealias InboundOut = [UInt8]

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event as? IdleStateHandler.IdleStateEvent {
        case .read?:
            context.close(promise: nil)
        case .write?:
            context.writeAndFlush(NIOAny(context.channel.allocator.buffer(bytes: FrameDecoder.keepAlive)), promise: nil)
        case .all?, nil:
            context.fireUserInboundEventTriggered(event)
        }
    }
}

import NIOCore
import NIOPosix
import RelaisSync

/// A connection carrying frames both ways.
public typealias FrameChannel = NIOAsyncChannel<[UInt8], [UInt8]>

/// TCP listening and connecting for sync sessions, with the frame codec and idle timeout installed.
public enum SyncTransport {
    /// Binds `host:port` (port 0 picks a free one).
    public static func listen(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> NIOAsyncChannel<FrameChannel, Never>
    {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel, handshakeFrames: 2) }
            }
    }

    /// Connects to a peer.
    public static func connect(host: String, port: Int, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton)
        async throws -> FrameChannel
    {
        try await ClientBootstrap(group: group)
            .connectTimeout(TimeAmount(Limits.connectTimeout))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel, handshakeFrames: 1) }
            }
    }

    /// - Parameter handshakeFrames: handshake messages this side receives (responder 2, initiator 1).
    private static func configure(_ channel: any Channel, handshakeFrames: Int) throws -> FrameChannel {
        let idle = TimeAmount(Limits.sessionIdleTimeout)
        let keepAlive = TimeAmount(Limits.keepAliveInterval)
        try channel.syncOptions?.setOption(.allowRemoteHalfClosure, value: true)
        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle, writeTimeout: keepAlive))
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(FrameToMessageDecoder(handshakeFrames: handshakeFrames)))
        try channel.pipeline.syncOperations.addHandler(HandshakeDeadlineHandler(handshakeFrames: handshakeFrames))
        try channel.pipeline.syncOperations.addHandler(IdleHandler())
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(FrameEncoder()))
        // Half-closure lets a refusing side finish its output and still read until the peer,
        // having read the refusal, closes: the refusal is never lost to a reset.
        return try FrameChannel(
            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
    }
}

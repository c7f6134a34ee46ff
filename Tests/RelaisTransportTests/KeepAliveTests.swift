import NIOCore
import NIOEmbedded
import Testing

import RelaisSync
@testable import RelaisTransport

/// A side busy elsewhere (a hub applying other sessions' batches) or waiting on its peer keeps
/// the session alive with empty frames; a peer silent past the idle timeout is still cut.
@Suite struct KeepAliveTests {
    @Test func aSideThatWroteNothingSendsAKeepAliveAndASilentPeerIsClosed() throws {
        let channel = EmbeddedChannel(handler: IdleHandler())
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 1)).wait()

        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.write)
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(written.readableBytesView) == FrameDecoder.keepAlive)
        #expect(channel.isActive)

        channel.pipeline.fireUserInboundEventTriggered(IdleStateHandler.IdleStateEvent.read)
        #expect(!channel.isActive)
    }

    @Test func theKeepAliveComesWellBeforeThePeersIdleTimeout() {
        #expect(Limits.keepAliveInterval * 2 < Limits.sessionIdleTimeout)
        #expect(Limits.keepAliveInterval > Limits.handshakeTimeout, "never during a handshake")
    }
}

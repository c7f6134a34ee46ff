/// Splits a TCP byte stream into frames: a `u16` big-endian length, then that many bytes.
///
/// A zero length is a keep-alive once the handshake is done (no Noise message is empty), and a
/// protocol violation before; the `u16` prefix itself bounds a frame at `Limits.frameBytesMax`,
/// so no oversized frame can be announced.
public struct FrameDecoder: Sendable {
    private var buffer: [UInt8] = []
    private var framesDecoded = 0
    private let handshakeFrames: Int

    /// - Parameter handshakeFrames: how many of the first frames are handshake messages, bounded
    ///   by `Limits.handshakeFrameBytesMax`: 2 for a responder, 1 for an initiator.
    public init(handshakeFrames: Int) { self.handshakeFrames = handshakeFrames }

    /// A frame of length 0: sent after the handshake by a side that has written nothing for
    /// `Limits.keepAliveInterval`, so its peer's idle timeout does not cut a session it is busy with.
    public static let keepAlive: [UInt8] = [0, 0]

    /// Adds received bytes and returns every complete frame; keep-alives are consumed.
    /// - Throws: `FrameError.emptyFrame` for an empty frame during the handshake.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(FrameError) -> [[UInt8]] {
        buffer.append(contentsOf: bytes)
        var frames: [[UInt8]] = []
        var offset = 0
        while buffer.count - offset >= Limits.frameHeaderBytes {
            let length = Int(buffer[offset]) << 8 | Int(buffer[offset + 1])
            guard length > 0 else {
                guard framesDecoded >= handshakeFrames else { throw .emptyFrame }
                offset += Limits.frameHeaderBytes
                continue
            }
            if framesDecoded < handshakeFrames, length > Limits.handshakeFrameBytesMax {
                throw .handshakeFrameTooLong(length)
            }
            guard buffer.count - offset - Limits.frameHeaderBytes >= length else { break }
            framesDecoded += 1
            let start = offset + Limits.frameHeaderBytes
            frames.append(Array(buffer[start..<start + length]))
            offset = start + length
        }
        buffer.removeFirst(offset)
        return frames
    }

    /// Bytes received that do not yet form a frame; a connection closing with some is truncated.
    public var bufferedBytes: Int { buffer.count }

    /// The length prefix and content of one frame.
    /// - Precondition: `content` is 1 to `Limits.frameBytesMax` bytes.
    public static func frame(_ content: [UInt8]) -> [UInt8] {
        precondition(!content.isEmpty && content.count <= Limits.frameBytesMax, "a frame holds 1 to 65535 bytes")
        return [UInt8(content.count >> 8), UInt8(content.count & 0xFF)] + content
    }
}

/// Why a stream of frames is refused before its peer is authenticated.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    case emptyFrame
    case handshakeFrameTooLong(Int)

    /// The refusal in words, for logs.
    public var description: String {
        switch self {
        case .emptyFrame: "the peer sent an empty frame"
        case .handshakeFrameTooLong(let bytes):
            "the peer announced a \(bytes)-byte frame before authenticating; the limit is \(Limits.handshakeFrameBytesMax)"
        }
    }
}

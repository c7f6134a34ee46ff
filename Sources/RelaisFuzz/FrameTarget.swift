import RelaisSync

/// Input: one byte choosing how the stream is cut into reads (1 to 64 bytes), then the stream.
/// The oracle reads the whole stream at once by the plainest reading of SPEC.md §7: the decoder,
/// fed piece by piece, must find the same frames, skip the same keep-alives, refuse the same
/// streams and keep the same bytes for later.
enum FrameTarget {
    static let handshakeFrames = 2

    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard let first = input.first else { return .rejected }
        let stream = Array(input.dropFirst())
        let readBytes = Int(first % 64) + 1
        var decoder = FrameDecoder(handshakeFrames: handshakeFrames)
        var frames: [[UInt8]] = []
        var offset = 0
        var refused = false
        while offset < stream.count, !refused {
            let end = min(offset + readBytes, stream.count)
            do { frames += try decoder.feed(stream[offset..<end]) } catch { refused = true }
            offset = end
        }
        let expected = reference(stream)
        precondition(refused == (expected == nil), "the decoder and the reading of SPEC §7 disagree on refusing the stream")
        guard let expected else { return .rejected }
        precondition(frames == expected.frames, "the decoder found other frames than the stream holds")
        precondition(decoder.bufferedBytes == expected.leftover, "the decoder kept other bytes for later")
        return frames.isEmpty || decoder.bufferedBytes > 0 ? .rejected : .accepted
    }

    /// The frames of `stream`, keep-alives left out, and the bytes of an unfinished last frame;
    /// nil for a stream to refuse (an empty frame during the handshake, a handshake frame too long).
    static func reference(_ stream: [UInt8]) -> (frames: [[UInt8]], leftover: Int)? {
        var frames: [[UInt8]] = []
        var offset = 0
        while stream.count - offset >= 2 {
            let length = Int(stream[offset]) * 256 + Int(stream[offset + 1])
            let inHandshake = frames.count < handshakeFrames
            if length == 0 {
                if inHandshake { return nil }
                offset += 2
                continue
            }
            if inHandshake && length > Limits.handshakeFrameBytesMax { return nil }
            guard stream.count - offset - 2 >= length else { break }
            frames.append(Array(stream[(offset + 2)..<(offset + 2 + length)]))
            offset += 2 + length
        }
        return (frames, stream.count - offset)
    }

    static func seeds() -> [[UInt8]] {
        [
            [0] + FrameDecoder.frame(Array(repeating: 0x42, count: 32)),
            [7] + FrameDecoder.frame(Array(repeating: 1, count: 48)) + FrameDecoder.frame(Array(repeating: 2, count: 1_500))
                + FrameDecoder.keepAlive + FrameDecoder.frame(Array(repeating: 3, count: 3_000)) + FrameDecoder.keepAlive,
        ]
    }
}

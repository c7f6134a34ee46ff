import RelaisSync

/// Input: one byte choosing how the stream is cut into reads (1 to 64 bytes), then the stream.
enum FrameTarget {
    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard let first = input.first else { return .rejected }
        let stream = input.dropFirst()
        let readBytes = Int(first % 64) + 1
        var decoder = FrameDecoder(handshakeFrames: 2)
        var frames: [[UInt8]] = []
        var offset = stream.startIndex
        do {
            while offset < stream.endIndex {
                let end = min(offset + readBytes, stream.endIndex)
                frames += try decoder.feed(stream[offset..<end])
                offset = end
            }
        } catch {
            return .rejected
        }
        let framed = frames.flatMap(FrameDecoder.frame)
        precondition(
            framed.count + decoder.bufferedBytes == stream.count && framed.elementsEqual(stream.prefix(framed.count)),
            "the frames and the bytes still buffered must be the stream, byte for byte")
        return frames.isEmpty || decoder.bufferedBytes > 0 ? .rejected : .accepted
    }

    static func seeds() -> [[UInt8]] {
        [
            [0] + FrameDecoder.frame(Array(repeating: 0x42, count: 32)),
            [7] + FrameDecoder.frame(Array(repeating: 1, count: 48)) + FrameDecoder.frame(Array(repeating: 2, count: 1_500))
                + FrameDecoder.frame(Array(repeating: 3, count: 3_000)),
        ]
    }
}

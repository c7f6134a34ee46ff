extension Dot {
    /// 28 bytes: origin, sequence, index.
    public static let encodedBytes = 28

    /// Writes the dot: origin, sequence, index (28 bytes).
    public func encode(into writer: inout BinaryWriter) {
        writer.write(origin.value)
        writer.write(sequence)
        writer.write(index)
    }

    /// Reads a dot as `encode` wrote it.
    public static func decode(from reader: inout BinaryReader) throws(DecodingError) -> Dot {
        let origin = DeviceID(try reader.readIdentifier())
        return Dot(origin: origin, sequence: try reader.readSequence(), index: try reader.readUInt32())
    }

    /// A list of dots, bounded by `Limits.supersededDotsMax`.
    public static func encode(_ dots: [Dot], into writer: inout BinaryWriter) {
        writer.write(UInt32(dots.count))
        for dot in dots { dot.encode(into: &writer) }
    }

    /// Reads a length-prefixed list of dots, at most `Limits.supersededDotsMax`.
    public static func decodeList(from reader: inout BinaryReader) throws(DecodingError) -> [Dot] {
        let count = try reader.readCount(limit: Limits.supersededDotsMax, itemBytesMin: encodedBytes)
        var dots: [Dot] = []
        for _ in 0..<count { dots.append(try decode(from: &reader)) }
        return dots
    }
}

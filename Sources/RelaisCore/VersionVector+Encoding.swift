extension VersionVector {
    /// Origins sorted, so equal vectors encode to equal bytes.
    public func encode(into writer: inout BinaryWriter) {
        let sorted = sortedEntries
        writer.write(UInt32(sorted.count))
        for entry in sorted {
            writer.write(entry.origin.value)
            writer.write(entry.sequence)
        }
    }

    /// Reads a vector as `encode` wrote it, at most `Limits.vectorOriginsMax` origins.
    public static func decode(from reader: inout BinaryReader) throws(DecodingError) -> VersionVector {
        let count = try reader.readCount(limit: Limits.vectorOriginsMax, itemBytesMin: 24)
        var entries: [DeviceID: UInt64] = [:]
        for _ in 0..<count {
            let origin = DeviceID(try reader.readIdentifier())
            guard entries[origin] == nil else { throw .malformed("an origin appears twice in a version vector") }
            entries[origin] = try reader.readSequence()
        }
        return VersionVector(entries)
    }
}

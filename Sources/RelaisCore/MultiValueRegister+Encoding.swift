extension MultiValueRegister {
    /// How a replica persists a register; the order of `entries` is already canonical.
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        writer.write(UInt32(entries.count))
        for entry in entries {
            entry.dot.encode(into: &writer)
            writer.write(entry.timestamp.rawValue)
            writer.write(entry.sealedValue == nil ? 0 as UInt8 : 1)
            if let value = entry.sealedValue { writer.writeLengthPrefixed(value) }
        }
        return writer.bytes
    }

    /// Decodes a register as `encoded` wrote it.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        let count = try reader.readCount(limit: Limits.supersededDotsMax, itemBytesMin: Dot.encodedBytes + 9)
        var entries: [RegisterEntry] = []
        for _ in 0..<count {
            let dot = try Dot.decode(from: &reader)
            let timestamp = HLCTimestamp(rawValue: try reader.readUInt64())
            let value = try reader.readUInt8() == 1 ? try reader.readLengthPrefixed(limit: Limits.sealedValueBytesMax) : nil
            entries.append(RegisterEntry(dot: dot, timestamp: timestamp, sealedValue: value))
        }
        try reader.expectEnd()
        self.init(entries: entries)
    }
}

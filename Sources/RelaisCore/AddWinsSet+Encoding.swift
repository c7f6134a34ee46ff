extension AddWinsSet {
    /// How a replica persists a set, elements ordered by tag.
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        let sorted = sortedElements
        writer.write(UInt32(sorted.count))
        for element in sorted {
            element.tag.encode(into: &writer)
            writer.writeLengthPrefixed(element.sealedElement)
        }
        return writer.bytes
    }

    /// Decodes a set as `encoded` wrote it.
    /// - Throws: `DecodingError` for bytes that are not one set, or hold more than the limits allow.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        let count = try reader.readCount(limit: Limits.changeOperationsMax, itemBytesMin: Dot.encodedBytes + 4)
        var elements: [Dot: [UInt8]] = [:]
        for _ in 0..<count {
            let tag = try Dot.decode(from: &reader)
            elements[tag] = try reader.readLengthPrefixed(limit: Limits.sealedValueBytesMax)
        }
        try reader.expectEnd()
        self.init(elements: elements)
    }
}

import RelaisCore

/// The layout of a bundle file (SPEC.md, bundles): `RELAISBD`, a format byte, the team id and the
/// epoch of the team key that seals the rest; then the sealed content.
public enum BundleFormat {
    static let magic = Array("RELAISBD".utf8)
    static let version: UInt8 = 2
    static let headerBytes = magic.count + 1 + 16 + 4

    static func header(team: TeamID, epoch: UInt32) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(magic)
        writer.write(version)
        writer.write(team.value)
        writer.write(epoch)
        return writer.bytes
    }

    /// What a bundle seals: a `u32` count, then each change length-prefixed; then the closures of
    /// the pruned devices among their origins, likewise.
    public static func content(of batch: ChangeBatch) -> [UInt8] {
        var content = BinaryWriter()
        content.write(UInt32(batch.changes.count))
        for change in batch.changes { content.writeLengthPrefixed(change.encoded) }
        content.write(UInt32(batch.closures.count))
        for closure in batch.closures { content.writeLengthPrefixed(closure.encoded) }
        return content.bytes
    }

    /// The changes and closures of an opened bundle's content, every one decoded before any is applied.
    public static func batch(decoding content: [UInt8]) throws(DecodingError) -> ChangeBatch {
        var reader = BinaryReader(content)
        let count = try reader.readCount(limit: Limits.bundleChangesMax, itemBytesMin: 4)
        let changes = try (0..<count).map { _ throws(DecodingError) in
            try Change(decoding: try reader.readLengthPrefixed(limit: RelaisCore.Limits.changeBytesMax))
        }
        let closures = try (0..<(try reader.readCount(limit: count, itemBytesMin: OriginClosure.encodedBytes))).map {
            _ throws(DecodingError) in
            try OriginClosure(decoding: try reader.readLengthPrefixed(limit: OriginClosure.encodedBytes))
        }
        try reader.expectEnd()
        return ChangeBatch(changes, closures: closures)
    }
}

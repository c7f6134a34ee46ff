extension Change {
    private static let formatVersion: UInt8 = 1
    private static let signingDomain = Array("relais.change.v1".utf8)

    /// The bytes the origin signs: the header and, for each operation, its person and digest.
    public static func signingBytes(header: ChangeHeader, slots: [OperationSlot], digest: OperationDigest) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(signingDomain)
        encode(header, into: &writer)
        writer.write(UInt32(slots.count))
        for slot in slots {
            writer.write(slot.person.value)
            switch slot {
            case .operation(let operation): writer.writeFixed(digest(operation.encoded))
            case .redacted(_, let operationDigest): writer.writeFixed(operationDigest)
            }
        }
        return writer.bytes
    }

    /// The bytes the origin's Ed25519 signature covers: the header and the digest of the operations
    /// (SPEC.md §3), so a redacted change still verifies.
    public func signingBytes(digest: OperationDigest) -> [UInt8] {
        Self.signingBytes(header: header, slots: slots, digest: digest)
    }

    /// The change as it is stored and sent (SPEC.md §3).
    public var encoded: [UInt8] {
        var writer = BinaryWriter()
        writer.write(Self.formatVersion)
        Self.encode(header, into: &writer)
        writer.write(UInt32(slots.count))
        for slot in slots {
            switch slot {
            case .operation(let operation):
                writer.write(0 as UInt8)
                writer.writeLengthPrefixed(operation.encoded)
            case .redacted(let person, let digest):
                writer.write(1 as UInt8)
                writer.write(person.value)
                writer.writeFixed(digest)
            }
        }
        writer.writeFixed(signature)
        return writer.bytes
    }

    /// Decodes a change as `encoded` wrote it; the signature is verified by the store, which knows
    /// the origin's key.
    /// - Throws: `DecodingError` for bytes that are not exactly one change within the limits.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        guard bytes.count <= Limits.changeBytesMax else { throw .tooLong(count: bytes.count, limit: Limits.changeBytesMax) }
        var reader = BinaryReader(bytes)
        guard try reader.readUInt8() == Self.formatVersion else { throw .malformed("unknown change format") }
        let header = try Self.decodeHeader(from: &reader)
        let count = try reader.readCount(limit: Limits.changeOperationsMax, itemBytesMin: 5)
        guard count > 0 else { throw .malformed("a change without operations") }
        var slots: [OperationSlot] = []
        for _ in 0..<count {
            switch try reader.readUInt8() {
            case 0:
                let operationBytes = try reader.readLengthPrefixed(limit: Limits.sealedValueBytesMax * 2)
                slots.append(.operation(try Operation(decoding: operationBytes)))
            case 1:
                let person = RecordID(try reader.readIdentifier())
                slots.append(.redacted(person: person, digest: try reader.readFixed(Limits.operationDigestBytes)))
            default:
                throw .malformed("unknown operation slot")
            }
        }
        let signature = try reader.readFixed(Limits.signatureBytes)
        try reader.expectEnd()
        self.init(header: header, slots: slots, signature: signature)
    }

    private static func encode(_ header: ChangeHeader, into writer: inout BinaryWriter) {
        writer.write(header.origin.value)
        writer.write(header.sequence)
        writer.write(header.timestamp.rawValue)
        header.dependencies.encode(into: &writer)
    }

    private static func decodeHeader(from reader: inout BinaryReader) throws(DecodingError) -> ChangeHeader {
        let origin = DeviceID(try reader.readIdentifier())
        let sequence = try reader.readSequence()
        guard sequence > 0 else { throw .malformed("sequence number 0") }
        let timestamp = HLCTimestamp(rawValue: try reader.readUInt64())
        let dependencies = try VersionVector.decode(from: &reader)
        return ChangeHeader(origin: origin, sequence: sequence, timestamp: timestamp, dependencies: dependencies)
    }
}

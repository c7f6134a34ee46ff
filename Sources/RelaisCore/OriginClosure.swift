/// The admin's word on a device it took out of the roster (SPEC.md §10, "Pruning"): the key its
/// changes are signed with and the last of them that is valid. The roster stays bounded by the
/// devices that can still open sessions; a node that never knew a pruned device verifies its
/// changes with this instead, and voids any numbered after `validThrough`. It travels with the
/// device's changes, in the batches that carry them.
public struct OriginClosure: Hashable, Sendable {
    /// The team of the pruned device.
    public let team: TeamID
    /// The device taken out of the roster.
    public let device: DeviceID
    /// Its Ed25519 public key, to verify its changes with.
    public let signingKey: [UInt8]
    /// The number of its last valid change.
    public let validThrough: UInt64
    /// The admin key that signed it: one of the chain the team follows.
    public let issuerKey: [UInt8]
    /// The issuer key's Ed25519 signature over the body.
    public let signature: [UInt8]

    /// A closure with these fields; `signature` is empty until signed.
    public init(
        team: TeamID, device: DeviceID, signingKey: [UInt8], validThrough: UInt64, issuerKey: [UInt8], signature: [UInt8]
    ) {
        self.team = team
        self.device = device
        self.signingKey = signingKey
        self.validThrough = validThrough
        self.issuerKey = issuerKey
        self.signature = signature
    }

    /// The closure with the admin key's `signature`.
    public func signed(_ signature: [UInt8]) -> OriginClosure {
        OriginClosure(
            team: team, device: device, signingKey: signingKey, validThrough: validThrough, issuerKey: issuerKey,
            signature: signature)
    }
}

extension OriginClosure: SignedDocument {
    /// The encoding version, first byte of the body.
    public static let formatVersion: UInt8 = 1
    /// Prefixed to the body before signing, so no other document's signature can pass for it.
    public static let signingDomain = Array("relais.closure.v1".utf8)
    /// Bytes of an encoded closure: fixed, so a list of them is bounded by its count.
    public static let encodedBytes = 1 + 16 + 16 + 32 + 8 + 32 + 64

    /// Writes the signed body (SPEC.md §10).
    public func writeBody(into writer: inout BinaryWriter) {
        writer.write(team.value)
        writer.write(device.value)
        writer.writeFixed(signingKey)
        writer.write(validThrough)
        writer.writeFixed(issuerKey)
    }

    /// Decodes a closure as `encoded` wrote it; the receiver checks its signature against the
    /// team's admin keys.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        guard try reader.readUInt8() == Self.formatVersion else { throw .malformed("unknown origin closure format") }
        self.init(
            team: TeamID(try reader.readIdentifier()), device: DeviceID(try reader.readIdentifier()),
            signingKey: try reader.readFixed(32), validThrough: try reader.readUInt64(), issuerKey: try reader.readFixed(32),
            signature: try reader.readFixed(Limits.signatureBytes))
        try reader.expectEnd()
    }
}

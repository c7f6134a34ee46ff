/// A device asking the admin to certify new keys for it: a new device id with new signing and
/// Noise keys, signed by the device's current signing key, so only the holder of the current
/// identity can name its successor. Once certified, the old certificate is retired.
public struct KeyChangeRequest: Hashable, Sendable {
    /// The team of the device asking.
    public let team: TeamID
    /// The device whose keys are replaced.
    public let device: DeviceID
    /// The new device identifier the new keys are certified under.
    public let successor: DeviceID
    /// The new Ed25519 public key.
    public let signingKey: [UInt8]
    /// The new X25519 static key.
    public let noiseKey: [UInt8]
    /// By the current signing key of `device`.
    public let signature: [UInt8]

    /// A request with these fields; `signature` is empty until signed.
    public init(
        team: TeamID, device: DeviceID, successor: DeviceID, signingKey: [UInt8], noiseKey: [UInt8], signature: [UInt8]
    ) {
        self.team = team
        self.device = device
        self.successor = successor
        self.signingKey = signingKey
        self.noiseKey = noiseKey
        self.signature = signature
    }

    /// The request with the old signing key's `signature`.
    public func signed(_ signature: [UInt8]) -> KeyChangeRequest {
        KeyChangeRequest(
            team: team, device: device, successor: successor, signingKey: signingKey, noiseKey: noiseKey, signature: signature)
    }
}

extension KeyChangeRequest: SignedDocument {
    /// The encoding version, first byte of the body.
    public static let formatVersion: UInt8 = 1
    /// Prefixed to the body before signing, so no other document's signature can pass for it.
    public static let signingDomain = Array("relais.key-change.v1".utf8)

    /// Writes the signed body (SPEC.md §10).
    public func writeBody(into writer: inout BinaryWriter) {
        writer.write(team.value)
        writer.write(device.value)
        writer.write(successor.value)
        writer.writeFixed(signingKey)
        writer.writeFixed(noiseKey)
    }

    /// Decodes a request as `encoded` wrote it; the admin node checks its signature.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        guard try reader.readUInt8() == Self.formatVersion else { throw .malformed("unknown key change format") }
        self.init(
            team: TeamID(try reader.readIdentifier()), device: DeviceID(try reader.readIdentifier()),
            successor: DeviceID(try reader.readIdentifier()), signingKey: try reader.readFixed(32),
            noiseKey: try reader.readFixed(32), signature: try reader.readFixed(Limits.signatureBytes))
        try reader.expectEnd()
    }
}

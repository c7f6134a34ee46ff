/// A device asking the admin to certify new keys for it: a new device id with new signing and
/// Noise keys, signed by the device's current signing key, so only the holder of the current
/// identity can name its successor. Once certified, the old certificate is retired.
public struct KeyChangeRequest: Hashable, Sendable {
    public let team: TeamID
    public let device: DeviceID
    public let successor: DeviceID
    public let signingKey: [UInt8]
    public let noiseKey: [UInt8]
    /// By the current signing key of `device`.
    public let signature: [UInt8]

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

    public func signed(_ signature: [UInt8]) -> KeyChangeRequest {
        KeyChangeRequest(
            team: team, device: device, successor: successor, signingKey: signingKey, noiseKey: noiseKey, signature: signature)
    }
}

extension KeyChangeRequest: SignedDocument {
    public static let formatVersion: UInt8 = 1
    public static let signingDomain = Array("relais.key-change.v1".utf8)

    public func writeBody(into writer: inout BinaryWriter) {
        writer.write(team.value)
        writer.write(device.value)
        writer.write(successor.value)
        writer.writeFixed(signingKey)
        writer.writeFixed(noiseKey)
    }

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

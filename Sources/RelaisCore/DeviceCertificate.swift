/// What a team admin vouches for about one device: its keys, role and validity period.
///
/// Peers check it during every handshake: the admin's signature, the team, the expiry, and that
/// the Noise static key the peer proved it holds is the one certified.
public struct DeviceCertificate: Hashable, Sendable {
    /// What a device is for: a field laptop, or a hub that holds every person.
    public enum Role: UInt8, Sendable, CaseIterable, CustomStringConvertible {
        case field = 1
        case hub = 2

        /// The role as the CLI shows it.
        public var description: String { self == .field ? "field" : "hub" }
    }

    /// The team the device belongs to.
    public let team: TeamID
    /// The device certified.
    public let device: DeviceID
    /// What the device is for.
    public let role: Role
    /// The device's name, as the admin or the device gave it; at most `Limits.deviceNameBytesMax` bytes.
    public let name: String
    /// Ed25519 public key that signs the device's changes.
    public let signingKey: [UInt8]
    /// X25519 public key the device proves in the Noise handshake.
    public let noiseKey: [UInt8]
    /// When the certificate starts being valid.
    public let issuedAt: WallTime
    /// When the certificate stops being valid; sessions with the admin node renew it before.
    public let expiresAt: WallTime
    /// The admin key that signed the certificate.
    public let issuerKey: [UInt8]
    /// The admin key's Ed25519 signature over the body.
    public let signature: [UInt8]

    /// A certificate with these fields; `signature` is empty until signed.
    public init(
        team: TeamID, device: DeviceID, role: Role, name: String, signingKey: [UInt8], noiseKey: [UInt8],
        issuedAt: WallTime, expiresAt: WallTime, issuerKey: [UInt8], signature: [UInt8]
    ) {
        self.team = team
        self.device = device
        self.role = role
        self.name = name
        self.signingKey = signingKey
        self.noiseKey = noiseKey
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.issuerKey = issuerKey
        self.signature = signature
    }

    /// Whether `time` lies within the certificate's validity.
    public func isValid(at time: WallTime) -> Bool { issuedAt <= time && time < expiresAt }
}

extension DeviceCertificate: SignedDocument {
    /// The encoding version, first byte of the body.
    public static let formatVersion: UInt8 = 1
    /// Prefixed to the body before signing, so no other document's signature can pass for it.
    public static let signingDomain = Array("relais.certificate.v1".utf8)

    /// Whether `name` can go into a certificate.
    public static func isValidName(_ name: String) -> Bool { !name.isEmpty && name.utf8.count <= Limits.deviceNameBytesMax }

    /// The same certificate with its signature.
    public func signed(_ signature: [UInt8]) -> DeviceCertificate {
        DeviceCertificate(
            team: team, device: device, role: role, name: name, signingKey: signingKey, noiseKey: noiseKey,
            issuedAt: issuedAt, expiresAt: expiresAt, issuerKey: issuerKey, signature: signature)
    }

    /// Writes the signed body (SPEC.md §10).
    public func writeBody(into writer: inout BinaryWriter) {
        writer.write(team.value)
        writer.write(device.value)
        writer.write(role.rawValue)
        writer.writeString(name)
        writer.writeFixed(signingKey)
        writer.writeFixed(noiseKey)
        writer.write(issuedAt.milliseconds)
        writer.write(expiresAt.milliseconds)
        writer.writeFixed(issuerKey)
    }

    /// Decodes a certificate as `encoded` wrote it; its signature is checked against the roster's
    /// admin keys by the caller.
    public init(decoding bytes: [UInt8]) throws(DecodingError) {
        var reader = BinaryReader(bytes)
        try self.init(reading: &reader)
        try reader.expectEnd()
    }

    init(reading reader: inout BinaryReader) throws(DecodingError) {
        guard try reader.readUInt8() == Self.formatVersion else { throw .malformed("unknown certificate format") }
        let team = TeamID(try reader.readIdentifier())
        let device = DeviceID(try reader.readIdentifier())
        guard let role = Role(rawValue: try reader.readUInt8()) else { throw .malformed("unknown device role") }
        let name = try reader.readString(limit: Limits.deviceNameBytesMax)
        self.init(
            team: team, device: device, role: role, name: name, signingKey: try reader.readFixed(32),
            noiseKey: try reader.readFixed(32), issuedAt: WallTime(milliseconds: try reader.readUInt64()),
            expiresAt: WallTime(milliseconds: try reader.readUInt64()), issuerKey: try reader.readFixed(32),
            signature: try reader.readFixed(Limits.signatureBytes))
    }
}

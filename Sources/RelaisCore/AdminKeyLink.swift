/// One step of the team's admin key chain: a new admin key, endorsed by the signature of the key
/// before it. Every node trusts the team's founding key and follows the chain from there, so the
/// admin can replace its key without re-enrolling any device.
public struct AdminKeyLink: Hashable, Sendable {
    /// The Ed25519 public key that takes over as the team's admin key.
    public let key: [UInt8]
    /// By the previous admin key, over `signedBytes(team:index:previous:)`.
    public let signature: [UInt8]

    /// A link endorsing `key`, with the previous admin key's `signature` over it.
    public init(key: [UInt8], signature: [UInt8]) {
        self.key = key
        self.signature = signature
    }
    static let encodedBytes = 32 + Limits.signatureBytes

    /// What the previous key signs: the link's place in the chain and both keys.
    public static func signedBytes(team: TeamID, index: Int, previous: [UInt8], key: [UInt8]) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed("relais.admin-key.v1".utf8)
        writer.write(team.value)
        writer.write(UInt32(index))
        writer.writeFixed(previous)
        writer.writeFixed(key)
        return writer.bytes
    }

    /// Writes a chain: its length, then each link (SPEC.md §10).
    public static func encode(_ chain: [AdminKeyLink], into writer: inout BinaryWriter) {
        writer.write(UInt32(chain.count))
        for link in chain {
            writer.writeFixed(link.key)
            writer.writeFixed(link.signature)
        }
    }

    /// Reads a chain as `encode` wrote it, at most `Limits.adminKeyLinksMax` links; signatures are
    /// checked by the roster or Hello that carries it, not here.
    public static func decodeChain(from reader: inout BinaryReader) throws(DecodingError) -> [AdminKeyLink] {
        let count = try reader.readCount(limit: Limits.adminKeyLinksMax, itemBytesMin: encodedBytes)
        var chain: [AdminKeyLink] = []
        for _ in 0..<count {
            chain.append(AdminKeyLink(key: try reader.readFixed(32), signature: try reader.readFixed(Limits.signatureBytes)))
        }
        return chain
    }
}

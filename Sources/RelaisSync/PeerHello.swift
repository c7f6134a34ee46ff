import Foundation
import RelaisCore

/// What a peer says of itself in the handshake, decoded; the daemon decides whether to accept it.
public struct PeerHello: Sendable {
    /// The protocol version the peer speaks.
    public let protocolVersion: UInt32
    /// The oldest version it still accepts.
    public let protocolVersionMin: UInt32
    /// The peer's certificate; nil for a node not in a team yet.
    public let certificate: DeviceCertificate?
    /// The version of the roster the peer holds.
    public let rosterVersion: UInt64
    /// The admin key chain the sender follows, so a peer that has not yet learnt a new admin key
    /// can check a certificate it issued.
    public let adminChain: [AdminKeyLink]
    /// Optional message kinds the sender understands (SPEC.md §12); others are never sent to it.
    public let capabilities: Set<String>

    /// Fill requests and fills of awaited persons' operations (SPEC.md §14).
    public static let fillCapability = "fill"

    /// This node's Hello, speaking `Limits.protocolVersion`.
    public init(certificate: DeviceCertificate?, rosterVersion: UInt64, adminChain: [AdminKeyLink] = []) {
        self.init(
            protocolVersion: Limits.protocolVersion, protocolVersionMin: Limits.protocolVersionMin, certificate: certificate,
            rosterVersion: rosterVersion, adminChain: adminChain, capabilities: [Self.fillCapability])
    }

    /// A Hello of any protocol version: what a peer of another release presents.
    public init(
        protocolVersion: UInt32, protocolVersionMin: UInt32, certificate: DeviceCertificate?, rosterVersion: UInt64,
        adminChain: [AdminKeyLink] = [], capabilities: Set<String> = [Self.fillCapability]
    ) {
        self.protocolVersion = protocolVersion
        self.protocolVersionMin = protocolVersionMin
        self.certificate = certificate
        self.rosterVersion = rosterVersion
        self.adminChain = adminChain
        self.capabilities = capabilities
    }

    var message: Relais_V1_Hello {
        var hello = Relais_V1_Hello()
        hello.protocolVersion = protocolVersion
        hello.protocolVersionMin = protocolVersionMin
        hello.certificate = Data(certificate?.encoded ?? [])
        hello.rosterVersion = rosterVersion
        hello.capabilities = capabilities.sorted()
        if !adminChain.isEmpty {
            var writer = BinaryWriter()
            AdminKeyLink.encode(adminChain, into: &writer)
            hello.adminChain = Data(writer.bytes)
        }
        return hello
    }

    init(_ message: Relais_V1_Hello) throws(DecodingError) {
        let certificate = message.certificate.isEmpty ? nil : try DeviceCertificate(decoding: [UInt8](message.certificate))
        var adminChain: [AdminKeyLink] = []
        if !message.adminChain.isEmpty {
            var reader = BinaryReader([UInt8](message.adminChain))
            adminChain = try AdminKeyLink.decodeChain(from: &reader)
            try reader.expectEnd()
        }
        self.init(
            protocolVersion: message.protocolVersion, protocolVersionMin: message.protocolVersionMin, certificate: certificate,
            rosterVersion: message.rosterVersion, adminChain: adminChain,
            // Only the names this node knows matter; a peer cannot make it keep more.
            capabilities: Set(message.capabilities.filter { $0 == Self.fillCapability }))
    }
}

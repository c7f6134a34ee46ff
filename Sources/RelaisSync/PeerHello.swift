import Foundation
import RelaisCore

/// What a peer says of itself in the handshake, decoded; the daemon decides whether to accept it.
public struct PeerHello: Sendable {
    public let protocolVersion: UInt32
    public let protocolVersionMin: UInt32
    public let certificate: DeviceCertificate?
    public let rosterVersion: UInt64

    public init(certificate: DeviceCertificate?, rosterVersion: UInt64) {
        self.protocolVersion = Limits.protocolVersion
        self.protocolVersionMin = Limits.protocolVersionMin
        self.certificate = certificate
        self.rosterVersion = rosterVersion
    }

    init(protocolVersion: UInt32, protocolVersionMin: UInt32, certificate: DeviceCertificate?, rosterVersion: UInt64) {
        self.protocolVersion = protocolVersion
        self.protocolVersionMin = protocolVersionMin
        self.certificate = certificate
        self.rosterVersion = rosterVersion
    }

    var message: Relais_V1_Hello {
        var hello = Relais_V1_Hello()
        hello.protocolVersion = protocolVersion
        hello.protocolVersionMin = protocolVersionMin
        hello.certificate = Data(certificate?.encoded ?? [])
        hello.rosterVersion = rosterVersion
        return hello
    }

    init(_ message: Relais_V1_Hello) throws(DecodingError) {
        let certificate = message.certificate.isEmpty ? nil : try DeviceCertificate(decoding: [UInt8](message.certificate))
        self.init(
            protocolVersion: message.protocolVersion, protocolVersionMin: message.protocolVersionMin, certificate: certificate,
            rosterVersion: message.rosterVersion)
    }
}

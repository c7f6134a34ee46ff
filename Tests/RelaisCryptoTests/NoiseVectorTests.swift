import Foundation
import RelaisCrypto
import Testing

/// The published Cacophony vectors for every SHA-256 protocol: each ciphertext reproduced byte for
/// byte from fixed keys, read back, and the same handshake hash on both sides.
@Suite struct NoiseVectorTests {
    struct Vector: Decodable, CustomTestStringConvertible {
        let protocolName: String
        let initPrologue: String
        let respPrologue: String
        let initEphemeral: String
        let respEphemeral: String
        let initStatic: String?
        let respStatic: String?
        let initRemoteStatic: String?
        let respRemoteStatic: String?
        let initPsks: [String]?
        let respPsks: [String]?
        let handshakeHash: String
        let messages: [Message]

        struct Message: Decodable {
            let payload: String
            let ciphertext: String
        }

        var testDescription: String { protocolName }
    }

    static let vectors: [Vector] = {
        let url = Bundle.module.url(forResource: "Vectors/cacophony-25519-chachapoly", withExtension: "json")!
        struct File: Decodable { let vectors: [Vector] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let all = try! decoder.decode(File.self, from: Data(contentsOf: url)).vectors
        return all.filter { $0.protocolName.hasSuffix("_SHA256") }
    }()

    @Test func everySHA256ProtocolOfTheFileIsCovered() {
        let names = Set(Self.vectors.map { $0.protocolName.split(separator: "_")[1] })
        #expect(names.isSuperset(of: ["NN", "XX", "XXpsk3", "XK", "IK", "NNpsk0", "IKpsk2", "KK"]))
    }

    @Test(arguments: vectors)
    func vectorReplaysByteForByte(_ vector: Vector) throws {
        var initiator = try NoiseHandshake(
            protocolName: vector.protocolName, isInitiator: true, prologue: hex(vector.initPrologue),
            keys: keys(
                static: vector.initStatic, ephemeral: vector.initEphemeral, remote: vector.initRemoteStatic, psks: vector.initPsks
            ))
        var responder = try NoiseHandshake(
            protocolName: vector.protocolName, isInitiator: false, prologue: hex(vector.respPrologue),
            keys: keys(
                static: vector.respStatic, ephemeral: vector.respEphemeral, remote: vector.respRemoteStatic, psks: vector.respPsks
            ))
        var transports: (initiator: NoiseTransport, responder: NoiseTransport)?
        for (index, message) in vector.messages.enumerated() {
            let initiatorSends = index % 2 == 0
            if var current = transports {
                let sealed =
                    initiatorSends
                    ? try current.initiator.seal(hex(message.payload)) : try current.responder.seal(hex(message.payload))
                #expect(sealed == hex(message.ciphertext), "transport message \(index)")
                let opened = initiatorSends ? try current.responder.open(sealed) : try current.initiator.open(sealed)
                #expect(opened == hex(message.payload))
                transports = current
                continue
            }
            let written =
                initiatorSends
                ? try initiator.writeMessage(payload: hex(message.payload))
                : try responder.writeMessage(payload: hex(message.payload))
            #expect(written == hex(message.ciphertext), "handshake message \(index)")
            let read = initiatorSends ? try responder.readMessage(written) : try initiator.readMessage(written)
            #expect(read == hex(message.payload))
            if initiator.isComplete && responder.isComplete {
                #expect(initiator.handshakeHash == hex(vector.handshakeHash))
                #expect(responder.handshakeHash == hex(vector.handshakeHash))
                transports = (initiator.transport(), responder.transport())
            }
        }
        #expect(transports != nil)
    }

    @Test func aTamperedHandshakeMessageIsRefused() throws {
        let name = "Noise_XX_25519_ChaChaPoly_SHA256"
        var initiator = try NoiseHandshake(
            protocolName: name, isInitiator: true, prologue: [], keys: .init(localStatic: .generate()))
        var responder = try NoiseHandshake(
            protocolName: name, isInitiator: false, prologue: [], keys: .init(localStatic: .generate()))
        _ = try responder.readMessage(try initiator.writeMessage(payload: []))
        var second = try responder.writeMessage(payload: [1, 2, 3])
        second[40] ^= 1
        #expect(throws: HandshakeError.decryptionFailed) { try initiator.readMessage(second) }
        #expect(throws: HandshakeError.outOfOrder) { try responder.writeMessage(payload: []) }
    }

    @Test func differentProloguesDoNotHandshake() throws {
        let name = "Noise_NN_25519_ChaChaPoly_SHA256"
        var initiator = try NoiseHandshake(protocolName: name, isInitiator: true, prologue: Array("relais/1".utf8), keys: .init())
        var responder = try NoiseHandshake(
            protocolName: name, isInitiator: false, prologue: Array("relais/2".utf8), keys: .init())
        _ = try responder.readMessage(try initiator.writeMessage(payload: []))
        #expect(throws: HandshakeError.decryptionFailed) { try initiator.readMessage(try responder.writeMessage(payload: [])) }
    }

    @Test func anUnsupportedProtocolIsRefused() {
        #expect(throws: HandshakeError.self) {
            try NoiseHandshake(protocolName: "Noise_XX_448_AESGCM_SHA512", isInitiator: true, prologue: [], keys: .init())
        }
    }

    private func keys(static secret: String?, ephemeral: String, remote: String?, psks: [String]?) -> NoiseHandshake.Keys {
        NoiseHandshake.Keys(
            localStatic: secret.map { keyPair($0) }, localEphemeral: keyPair(ephemeral), remoteStatic: remote.map(hex),
            preSharedKey: psks?.first.map {
                var bytes = hex($0); return SecureBytes(consuming: &bytes)
            })
    }

    private func keyPair(_ secretHex: String) -> X25519KeyPair {
        var bytes = hex(secretHex)
        return X25519KeyPair.restore(secret: SecureBytes(consuming: &bytes))
    }
}

func hex(_ text: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        bytes.append(UInt8(text[index..<next], radix: 16)!)
        index = next
    }
    return bytes
}

import CSodium

/// The Noise SymmetricState with SHA-256 and HMAC-SHA-256 (HKDF of the Noise specification).
struct NoiseSymmetricState {
    static let hashBytes = Int(crypto_hash_sha256_BYTES)

    private(set) var cipher = NoiseCipherState()
    private var chainingKey: SecureBytes
    private(set) var handshakeHash: [UInt8]

    init(protocolName: String) {
        let name = Array(protocolName.utf8)
        handshakeHash =
            name.count <= Self.hashBytes ? name + [UInt8](repeating: 0, count: Self.hashBytes - name.count) : Self.hash(name)
        var copy = handshakeHash
        chainingKey = SecureBytes(consuming: &copy)
    }

    mutating func mixHash(_ data: [UInt8]) {
        handshakeHash = Self.hash(handshakeHash + data)
    }

    mutating func mixKey(_ inputKeyMaterial: SecureBytes) {
        let outputs = Self.hkdf(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 2)
        chainingKey = outputs[0]
        cipher.initializeKey(outputs[1])
    }

    mutating func mixKeyAndHash(_ inputKeyMaterial: SecureBytes) {
        let outputs = Self.hkdf(chainingKey: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 3)
        chainingKey = outputs[0]
        mixHash(outputs[1].withUnsafeBytes { Array($0) })
        cipher.initializeKey(outputs[2])
    }

    mutating func encryptAndHash(_ plaintext: [UInt8]) throws(HandshakeError) -> [UInt8] {
        let ciphertext = try cipher.encrypt(plaintext, associatedData: handshakeHash)
        mixHash(ciphertext)
        return ciphertext
    }

    mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(HandshakeError) -> [UInt8] {
        let plaintext = try cipher.decrypt(ciphertext, associatedData: handshakeHash)
        mixHash(ciphertext)
        return plaintext
    }

    /// The two transport ciphers: initiator to responder, then responder to initiator.
    func split() -> (NoiseCipherState, NoiseCipherState) {
        let outputs = Self.hkdf(chainingKey: chainingKey, inputKeyMaterial: nil, outputs: 2)
        return (NoiseCipherState(key: outputs[0]), NoiseCipherState(key: outputs[1]))
    }

    static func hash(_ data: [UInt8]) -> [UInt8] {
        Sodium.ensureReady()
        var output = [UInt8](repeating: 0, count: hashBytes)
        _ = crypto_hash_sha256(&output, data, UInt64(data.count))
        return output
    }

    private static func hmac(key: SecureBytes, data: [UInt8]) -> SecureBytes {
        precondition(key.count == Int(crypto_auth_hmacsha256_KEYBYTES), "Noise HMAC keys have 32 bytes")
        let output = SecureBytes(count: hashBytes)
        output.withMutableBytePointer { out in
            key.withBytePointer { _ = crypto_auth_hmacsha256(out, data, UInt64(data.count), $0) }
        }
        return output
    }

    /// HKDF as the Noise specification defines it (section 4.3), two or three outputs.
    private static func hkdf(chainingKey: SecureBytes, inputKeyMaterial: SecureBytes?, outputs count: Int) -> [SecureBytes] {
        let material = inputKeyMaterial?.withUnsafeBytes { Array($0) } ?? []
        let temporaryKey = hmac(key: chainingKey, data: material)
        var outputs: [SecureBytes] = []
        var previous: [UInt8] = []
        for index in 1...count {
            let output = hmac(key: temporaryKey, data: previous + [UInt8(index)])
            previous = output.withUnsafeBytes { Array($0) }
            outputs.append(output)
        }
        return outputs
    }
}

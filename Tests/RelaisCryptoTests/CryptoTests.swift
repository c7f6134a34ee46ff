import RelaisCrypto
import Testing

@Suite struct AEADTests {
    @Test func sealedDataOpensOnlyWithTheSameKeyAndAssociatedData() throws {
        let key = SecureBytes.random(count: AEAD.keyBytes)
        let sealed = AEAD.seal(Array("secret note".utf8), key: key, associatedData: [1, 2])
        #expect(sealed.count == 11 + AEAD.overheadBytes)
        #expect(try AEAD.open(sealed, key: key, associatedData: [1, 2]) == Array("secret note".utf8))
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(sealed, key: key, associatedData: [1, 3]) }
        #expect(throws: CryptoError.authenticationFailed) {
            try AEAD.open(sealed, key: SecureBytes.random(count: AEAD.keyBytes), associatedData: [1, 2])
        }
        for index in sealed.indices {
            var tampered = sealed
            tampered[index] ^= 0x80
            #expect(throws: CryptoError.authenticationFailed) { try AEAD.open(tampered, key: key, associatedData: [1, 2]) }
        }
        #expect(throws: CryptoError.authenticationFailed) { try AEAD.open([1, 2, 3], key: key, associatedData: []) }
    }

    @Test func twoSealsOfTheSameValueDiffer() {
        let key = SecureBytes.random(count: AEAD.keyBytes)
        #expect(AEAD.seal([1], key: key, associatedData: []) != AEAD.seal([1], key: key, associatedData: []))
    }

    @Test func aSecretRoundTripsThroughGuardedMemory() throws {
        let key = SecureBytes.random(count: AEAD.keyBytes)
        let secret = SecureBytes.random(count: 32)
        let opened = try AEAD.openSecret(AEAD.seal(secret: secret, key: key, associatedData: [9]), key: key, associatedData: [9])
        #expect(opened.isEqual(to: secret))
    }
}

@Suite struct SigningTests {
    @Test func signaturesVerifyAndForgeriesDoNot() throws {
        let key = SigningKey.generate()
        let signature = key.sign([1, 2, 3])
        #expect(SigningKey.isValid(signature: signature, message: [1, 2, 3], publicKey: key.publicKey))
        #expect(!SigningKey.isValid(signature: signature, message: [1, 2, 4], publicKey: key.publicKey))
        #expect(!SigningKey.isValid(signature: signature, message: [1, 2, 3], publicKey: SigningKey.generate().publicKey))
        #expect(!SigningKey.isValid(signature: Array(signature.prefix(10)), message: [1, 2, 3], publicKey: key.publicKey))
        let restored = try SigningKey.restore(secret: key.secretKey)
        #expect(restored.publicKey == key.publicKey)
        #expect(SigningKey.fingerprint(of: key.publicKey).count == 16)
    }
}

@Suite struct KeyDerivationTests {
    let cost = PasswordKDF.Cost(operations: 1, memoryBytes: 8 * 1_024 * 1_024)

    @Test func argon2idIsDeterministicPerSaltAndPassphrase() throws {
        var passphrase = Array("correct horse".utf8)
        let secret = SecureBytes(consuming: &passphrase)
        #expect(passphrase.allSatisfy { $0 == 0 })
        let salt = [UInt8](repeating: 1, count: PasswordKDF.saltBytes)
        let first = try PasswordKDF.deriveKey(passphrase: secret, salt: salt, cost: cost)
        let second = try PasswordKDF.deriveKey(passphrase: secret, salt: salt, cost: cost)
        let otherSalt = try PasswordKDF.deriveKey(passphrase: secret, salt: [UInt8](repeating: 2, count: 16), cost: cost)
        #expect(first.isEqual(to: second))
        #expect(!first.isEqual(to: otherSalt))
    }

    @Test func anAbsurdCostFromADamagedHeaderIsRefused() {
        var passphrase = Array("x".utf8)
        let secret = SecureBytes(consuming: &passphrase)
        let absurd = PasswordKDF.Cost(operations: 3, memoryBytes: 1 << 40)
        #expect(throws: CryptoError.self) {
            try PasswordKDF.deriveKey(passphrase: secret, salt: [UInt8](repeating: 0, count: 16), cost: absurd)
        }
    }

    @Test func aStoredPassphraseMatchesItselfOnly() throws {
        func secret(_ text: String) -> SecureBytes {
            var bytes = Array(text.utf8)
            return SecureBytes(consuming: &bytes)
        }
        let stored = try PasswordHash.make(secret("correct horse"), cost: cost)
        #expect(stored.hasPrefix("$argon2id$"))
        #expect(PasswordHash.matches(secret("correct horse"), stored, cost: cost))
        #expect(!PasswordHash.matches(secret("correct horse "), stored, cost: cost))
        // The same string, altered to ask for more memory than it was made with: not even tried.
        #expect(!PasswordHash.matches(secret("correct horse"), stored, cost: .standard))
        #expect(!PasswordHash.matches(secret("correct horse"), "not a hash", cost: cost))
        #expect(try PasswordHash.make(secret("correct horse"), cost: cost) != stored, "no salt")
    }

    @Test func keyedHashesDependOnTheKey() {
        let message = Array("relais.field.v1|person.hiv".utf8)
        #expect(Hash.keyed(message, key: .random(count: 32)) != Hash.keyed(message, key: .random(count: 32)))
        #expect(Hash.blake2b(message) == Hash.blake2b(message))
    }
}

import Foundation
import RelaisCore
import RelaisCrypto

/// The keyring on disk: a header naming how its key is derived, then the keyring sealed with
/// XChaCha20-Poly1305 under that key, the header being the associated data so that nobody can
/// lower the Argon2id cost without the seal breaking.
///
/// Layout: "RELAISKR" | format u8 | unlock kind u8 | operations u64 | memory bytes u64 |
/// salt (16) | sealed keyring | BLAKE2b-256 of everything before (format 2). The checksum tells a
/// damaged file from a wrong passphrase before any key derivation: a seal that does not open is
/// otherwise the same failure for both, and a mediator told the passphrase is wrong would
/// think they forgot it. Format 1 (no checksum) is still read; every write is format 2.
enum KeyringFile {
    private static let magic = Array("RELAISKR".utf8)
    private static let format: UInt8 = 2
    private static let formatWithoutChecksum: UInt8 = 1
    private static let checksumBytes = 32
    private static let contentFormat: UInt8 = 1
    /// What to do about a damaged keyring, for every error that says so.
    static let damageAdvice =
        "restore the data folder from its backup ('relais restore'), or move the folder aside and join the team again as a new device"

    static func write(_ keyring: Keyring, to path: String, unlock: KeyringUnlock) throws(StoreError) {
        let salt = RandomBytes.make(count: PasswordKDF.saltBytes)
        let cost = PasswordKDF.Cost.standard
        let header = encodeHeader(kind: unlock.kind, cost: cost, salt: salt)
        let key = try sealingKey(unlock: unlock, salt: salt, cost: cost)
        var content = encodeContent(keyring)
        defer { wipe(&content) }
        let sealed = AEAD.seal(content, key: key, associatedData: header)
        try FileAccess.writeAtomically(header + sealed + Hash.blake2b(header + sealed, outputBytes: checksumBytes), to: path)
    }

    /// The header and seal of a keyring file, once its format, length and checksum hold.
    private static func checkedParts(of file: [UInt8], path: String) throws(StoreError) -> (header: [UInt8], sealed: [UInt8]) {
        let headerLength = magic.count + 2 + 16 + PasswordKDF.saltBytes
        let minimum = headerLength + AEAD.overheadBytes + 1
        guard file.count >= magic.count + 1, Array(file.prefix(magic.count)) == magic else {
            throw .keyringDamaged("\(path) is not a Relais keyring (\(file.count) bytes); \(damageAdvice)")
        }
        let version = file[magic.count]
        guard version == format || version == formatWithoutChecksum else {
            throw .keyringDamaged("\(path) has an unknown keyring format (\(version)); \(damageAdvice)")
        }
        let body = version == format ? Array(file.dropLast(checksumBytes)) : file
        guard body.count >= minimum else {
            throw .keyringDamaged("\(path) is cut short (\(file.count) bytes); \(damageAdvice)")
        }
        if version == format, Hash.blake2b(body, outputBytes: checksumBytes) != Array(file.suffix(checksumBytes)) {
            throw .keyringDamaged("\(path) was altered or damaged on disk; \(damageAdvice)")
        }
        return (Array(body[..<headerLength]), Array(body[headerLength...]))
    }

    /// Whether the keyring at `path` opens with a passphrase (not a key file); false when unreadable.
    static func takesPassphrase(_ path: String) -> Bool {
        guard let file = try? FileAccess.read(path), let (header, _) = try? checkedParts(of: file, path: path) else {
            return false
        }
        return header[magic.count + 1] == KeyringUnlock.Kind.passphrase.rawValue
    }

    /// - Throws: `StoreError.wrongPassphrase` when the seal does not open, and
    ///   `StoreError.keyringDamaged` when the file is not a keyring at all.
    static func read(from path: String, unlock: KeyringUnlock) throws(StoreError) -> Keyring {
        let (header, sealed) = try checkedParts(of: try FileAccess.read(path), path: path)
        var reader = BinaryReader(header)
        _ = try? reader.readFixed(magic.count + 1)
        do {
            guard let kind = KeyringUnlock.Kind(rawValue: try reader.readUInt8()) else {
                throw StoreError.keyringDamaged("unknown unlock method")
            }
            guard kind == unlock.kind else {
                throw StoreError.invalidWrite(
                    kind == .passphrase
                        ? "this keyring opens with a passphrase, not a key file"
                        : "this keyring opens with a key file (--key-file), not a passphrase")
            }
            let cost = PasswordKDF.Cost(operations: try reader.readUInt64(), memoryBytes: try reader.readUInt64())
            guard unlock.kind == .keyFile || cost.isAcceptable else {
                throw StoreError.keyringDamaged("its key derivation settings are out of range; \(damageAdvice)")
            }
            let salt = try reader.readFixed(PasswordKDF.saltBytes)
            let key = try sealingKey(unlock: unlock, salt: salt, cost: cost)
            var content = try AEAD.open(sealed, key: key, associatedData: header)
            defer { wipe(&content) }
            return try decodeContent(content)
        } catch let error as StoreError {
            throw error
        } catch is CryptoError {
            throw .wrongPassphrase
        } catch {
            throw .keyringDamaged("\(error)")
        }
    }

    private static func sealingKey(unlock: KeyringUnlock, salt: [UInt8], cost: PasswordKDF.Cost) throws(StoreError) -> SecureBytes
    {
        switch unlock.kind {
        case .passphrase:
            do {
                return try PasswordKDF.deriveKey(passphrase: unlock.secret, salt: salt, cost: cost)
            } catch {
                throw .keyringDamaged(error.description)
            }
        case .keyFile:
            return Hash.deriveKey(fromSecret: unlock.secret, salt: salt)
        }
    }

    private static func encodeHeader(kind: KeyringUnlock.Kind, cost: PasswordKDF.Cost, salt: [UInt8]) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(magic)
        writer.write(format)
        writer.write(kind.rawValue)
        writer.write(cost.operations)
        writer.write(cost.memoryBytes)
        writer.writeFixed(salt)
        return writer.bytes
    }

    private static func encodeContent(_ keyring: Keyring) -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(contentFormat)
        writer.write(keyring.device.value)
        writer.writeString(keyring.deviceName)
        keyring.signingKey.secretKey.withUnsafeBytes { writer.writeFixed($0) }
        keyring.noiseKey.secretKey.withUnsafeBytes { writer.writeFixed($0) }
        keyring.searchKey.withUnsafeBytes { writer.writeFixed($0) }
        writer.write(keyring.adminKey == nil ? 0 as UInt8 : 1)
        keyring.adminKey?.secretKey.withUnsafeBytes { writer.writeFixed($0) }
        writer.write(UInt32(keyring.teamKeys.count))
        for (epoch, key) in keyring.teamKeys.sorted(by: { $0.key < $1.key }) {
            writer.write(epoch)
            key.withUnsafeBytes { writer.writeFixed($0) }
        }
        writer.write(keyring.pendingIdentity == nil ? 0 as UInt8 : 1)
        if let pending = keyring.pendingIdentity {
            writer.write(pending.device.value)
            pending.signingKey.secretKey.withUnsafeBytes { writer.writeFixed($0) }
            pending.noiseKey.secretKey.withUnsafeBytes { writer.writeFixed($0) }
        }
        return writer.bytes
    }

    private static func decodeContent(_ content: [UInt8]) throws -> Keyring {
        var reader = BinaryReader(content)
        guard try reader.readUInt8() == contentFormat else { throw StoreError.keyringDamaged("unknown content format") }
        let device = DeviceID(try reader.readIdentifier())
        let name = try reader.readString(limit: 200)
        var signing = try reader.readFixed(SigningKey.secretKeyBytes)
        var noise = try reader.readFixed(X25519KeyPair.keyBytes)
        var search = try reader.readFixed(AEAD.keyBytes)
        var admin = try reader.readUInt8() == 1 ? try reader.readFixed(SigningKey.secretKeyBytes) : nil
        let count = try reader.readCount(limit: 1_000, itemBytesMin: 36)
        var teamKeys: [UInt32: SecureBytes] = [:]
        for _ in 0..<count {
            let epoch = try reader.readUInt32()
            var key = try reader.readFixed(AEAD.keyBytes)
            teamKeys[epoch] = SecureBytes(consuming: &key)
        }
        var pending: PendingIdentity?
        if try reader.readUInt8() == 1 {
            let device = DeviceID(try reader.readIdentifier())
            var signing = try reader.readFixed(SigningKey.secretKeyBytes)
            var noise = try reader.readFixed(X25519KeyPair.keyBytes)
            pending = PendingIdentity(
                device: device, signingKey: try SigningKey.restore(secret: SecureBytes(consuming: &signing)),
                noiseKey: X25519KeyPair.restore(secret: SecureBytes(consuming: &noise)))
        }
        try reader.expectEnd()
        guard !teamKeys.isEmpty else { throw StoreError.keyringDamaged("no team key") }
        let adminKey = try admin.map { bytes in
            var copy = bytes
            return try SigningKey.restore(secret: SecureBytes(consuming: &copy))
        }
        if admin != nil { wipe(&admin!) }
        return Keyring(
            device: device, deviceName: name, signingKey: try SigningKey.restore(secret: SecureBytes(consuming: &signing)),
            noiseKey: X25519KeyPair.restore(secret: SecureBytes(consuming: &noise)), teamKeys: teamKeys,
            searchKey: SecureBytes(consuming: &search), adminKey: adminKey, pendingIdentity: pending)
    }

    private static func wipe(_ bytes: inout [UInt8]) {
        for index in bytes.indices { bytes[index] = 0 }
    }
}

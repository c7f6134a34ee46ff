import RelaisCore
import RelaisCrypto

/// Seals and opens one person's values.
///
/// A person has one key of its own, wrapped for the team; it names the person's fields. Values
/// are sealed under a key of the team epoch they were written in, derived from both the team
/// key of that epoch and the person's key: a device that lost the team (revoked, then the key
/// rotated) still holds the person's key but cannot read what was written after the rotation.
/// Values written before the device joined a team (epoch 0) are sealed under the person's key.
///
/// The associated data binds each ciphertext to its person, record, field, epoch and the dot of
/// the operation that wrote it, so a value cannot be moved to another field, record or person,
/// nor replayed in another change.
struct PersonCipher {
    static let typeField = "$type"
    static let mergedIntoField = "$merged_into"

    let person: RecordID
    let key: SecureBytes
    /// The team keys this device holds, by epoch.
    let teamKeys: [UInt32: SecureBytes]
    /// The epoch new values are sealed in: the newest this device holds.
    let epoch: UInt32
    /// The value keys derived so far: a count that opens all of a person's values with one
    /// cipher derives each epoch's key once, not once per value.
    private let valueKeys = ValueKeys()

    init(person: RecordID, key: SecureBytes, teamKeys: [UInt32: SecureBytes], epoch: UInt32) {
        (self.person, self.key, self.teamKeys, self.epoch) = (person, key, teamKeys, epoch)
    }

    /// The opaque token of `type.field` for this person: a keyed hash, different for each person.
    func token(type: String, field: String) -> FieldToken {
        let digest = Hash.keyed(Array("relais.field.v1|\(type).\(field)".utf8), key: key, outputBytes: 16)
        return FieldToken(rawValue: digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) })
    }

    /// `epoch u32 | nonce | ciphertext | tag`.
    func seal(_ value: FieldValue, record: RecordID, field: FieldToken, dot: Dot) -> [UInt8] {
        var writer = BinaryWriter()
        writer.write(epoch)
        let data = associatedData(record: record, field: field, epoch: epoch, dot: dot)
        // The current epoch's team key is always held: `epoch` is the newest of `teamKeys`.
        return writer.bytes + AEAD.seal(value.encoded, key: try! valueKey(epoch: epoch), associatedData: data)
    }

    /// - Throws: `CryptoError` for tampered or misplaced ciphertext, or one of an epoch whose team
    ///   key this device does not hold; `DecodingError` for a value that decrypts but does not decode.
    func open(_ sealed: [UInt8], record: RecordID, field: FieldToken, dot: Dot) throws -> FieldValue {
        var reader = BinaryReader(sealed)
        let epoch = try reader.readUInt32()
        let plaintext = try AEAD.open(
            Array(sealed.dropFirst(4)), key: try valueKey(epoch: epoch),
            associatedData: associatedData(record: record, field: field, epoch: epoch, dot: dot))
        return try FieldValue(decoding: plaintext)
    }

    private func valueKey(epoch: UInt32) throws(CryptoError) -> SecureBytes {
        guard epoch > 0 else { return key }
        if let derived = valueKeys.keys[epoch] { return derived }
        guard let teamKey = teamKeys[epoch] else { throw .authenticationFailed }
        var writer = BinaryWriter()
        writer.writeFixed("relais.value-key.v1".utf8)
        writer.write(person.value)
        writer.write(epoch)
        let derived = Hash.deriveKey(from: teamKey, and: key, context: writer.bytes)
        valueKeys.keys[epoch] = derived
        return derived
    }

    private func associatedData(record: RecordID, field: FieldToken, epoch: UInt32, dot: Dot) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed("relais.value.v2".utf8)
        writer.write(person.value)
        writer.write(record.value)
        writer.write(field.rawValue)
        writer.write(epoch)
        dot.encode(into: &writer)
        return writer.bytes
    }

    /// The associated data of a wrapped person key: it only unwraps for this person and epoch.
    static func keyWrappingData(person: RecordID, epoch: UInt32) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed("relais.person-key.v1".utf8)
        writer.write(person.value)
        writer.write(epoch)
        return writer.bytes
    }
}

/// A cipher's derived value keys, by epoch. A cipher lives within one call on one thread.
private final class ValueKeys {
    var keys: [UInt32: SecureBytes] = [:]
}

import RelaisCore
import RelaisCrypto

/// Seals and opens one person's values under that person's data key.
///
/// The associated data binds each ciphertext to its person, record, field and the dot of the
/// operation that wrote it, so a value cannot be moved to another field, record or person, nor
/// replayed in another change.
struct PersonCipher {
    static let typeField = "$type"
    static let mergedIntoField = "$merged_into"

    let person: RecordID
    let key: SecureBytes

    /// The opaque token of `type.field` for this person: a keyed hash, different for each person.
    func token(type: String, field: String) -> FieldToken {
        let digest = Hash.keyed(Array("relais.field.v1|\(type).\(field)".utf8), key: key, outputBytes: 16)
        return FieldToken(rawValue: digest.prefix(8).reduce(0) { $0 << 8 | UInt64($1) })
    }

    func seal(_ value: FieldValue, record: RecordID, field: FieldToken, dot: Dot) -> [UInt8] {
        AEAD.seal(value.encoded, key: key, associatedData: associatedData(record: record, field: field, dot: dot))
    }

    /// - Throws: `CryptoError` for tampered or misplaced ciphertext, `DecodingError` for a
    ///   value that decrypts but does not decode.
    func open(_ sealed: [UInt8], record: RecordID, field: FieldToken, dot: Dot) throws -> FieldValue {
        let plaintext = try AEAD.open(sealed, key: key, associatedData: associatedData(record: record, field: field, dot: dot))
        return try FieldValue(decoding: plaintext)
    }

    private func associatedData(record: RecordID, field: FieldToken, dot: Dot) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed("relais.value.v1".utf8)
        writer.write(person.value)
        writer.write(record.value)
        writer.write(field.rawValue)
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

import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

extension Replica {
    /// The person's data key, unwrapped with the newest team key this device holds for it.
    /// - Throws: `StoreError.erased` once the person is erased, `StoreError.unreadable` when no
    ///   wrapped key opens.
    func cipher(for person: RecordID, _ db: Database) throws -> PersonCipher {
        if let key = personKeys[person] { return personCipher(person, key: key) }
        let rows = try Row.fetchAll(
            db, sql: "SELECT epoch, wrapped FROM person_keys WHERE person = ? ORDER BY epoch DESC", arguments: [person.blob])
        for row in rows {
            let epoch = UInt32(try row.value("epoch") as Int64)
            guard let teamKey = keyring.teamKeys[epoch] else { continue }
            let wrapped = try row.bytes("wrapped")
            let data = PersonCipher.keyWrappingData(person: person, epoch: epoch)
            guard let key = try? AEAD.openSecret(wrapped, key: teamKey, associatedData: data) else { continue }
            remember(key, of: person)
            return personCipher(person, key: key)
        }
        if try SQLiteReplicaStorage(db).isErased(person) { throw StoreError.erased(person) }
        throw StoreError.unreadable(record: person, what: "the person's data key")
    }

    /// A fresh data key for a new person, and the operation that carries it wrapped.
    func newPersonKey(for person: RecordID) -> (PersonCipher, RelaisCore.Operation) {
        let key = SecureBytes.random(count: AEAD.keyBytes)
        let epoch = keyring.currentEpoch
        let wrapped = AEAD.seal(
            secret: key, key: keyring.currentTeamKey, associatedData: PersonCipher.keyWrappingData(person: person, epoch: epoch))
        remember(key, of: person)
        let operation = RelaisCore.Operation(person: person, record: person, body: .personKey(epoch: epoch, wrappedKey: wrapped))
        return (personCipher(person, key: key), operation)
    }

    /// Keeps an unwrapped key for the next reads of the person, within a bound.
    private func remember(_ key: SecureBytes, of person: RecordID) {
        if personKeys.count >= Limits.personKeysCachedMax { personKeys.removeAll(keepingCapacity: true) }
        personKeys[person] = key
    }

    func personCipher(_ person: RecordID, key: SecureBytes) -> PersonCipher {
        PersonCipher(person: person, key: key, teamKeys: keyring.teamKeys, epoch: keyring.currentEpoch)
    }
}

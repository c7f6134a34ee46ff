import Foundation
import GRDB
import RelaisCore
import RelaisCrypto
import Synchronization

/// The persons' data keys: unwrapped with the team keys of the keyring, kept while the replica is
/// open so each is unwrapped once, and forgotten when the change log applies what makes one stale
/// (an erasure, a rebuilt file, a scope that may have taken the person or every person away).
///
/// Readers on other connections share the cache while a write goes on. A person's data key never
/// changes, so a key a reader unwrapped from an older snapshot is still right, with one exception
/// the cache keeps track of: once a person is erased, their key is never held again.
final class PersonKeys: ChangeFollower, Sendable {
    private struct Cache {
        var unwrapped: [RecordID: SecureBytes] = [:]
        var erased: Set<RecordID> = []
    }

    private let keys: KeyringStore
    private let cache = Mutex(Cache())

    init(_ keys: KeyringStore) { self.keys = keys }

    /// The person's data key, unwrapped with the newest team key this device holds for it.
    /// - Throws: `StoreError.erased` once the person is erased, `StoreError.unreadable` when no
    ///   wrapped key opens.
    func cipher(for person: RecordID, _ db: Database) throws -> PersonCipher {
        if let key = cache.withLock({ $0.unwrapped[person] }) { return cipher(person, key: key) }
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: "SELECT epoch, wrapped FROM person_keys WHERE person = ? ORDER BY epoch DESC"),
            arguments: [person.blob])
        let keyring = keys.keyring
        for row in rows {
            let epoch = UInt32(try row.value("epoch") as Int64)
            guard let teamKey = keyring.teamKeys[epoch] else { continue }
            let wrapped = try row.bytes("wrapped")
            let data = PersonCipher.keyWrappingData(person: person, epoch: epoch)
            guard let key = try? AEAD.openSecret(wrapped, key: teamKey, associatedData: data) else { continue }
            remember(key, of: person)
            return cipher(person, key: key)
        }
        if try SQLiteReplicaStorage(db).isErased(person) { throw StoreError.erased(person) }
        throw StoreError.unreadable(record: person, what: "the person's data key")
    }

    /// A fresh data key for a new person, and the operation that carries it wrapped.
    func newKey(for person: RecordID) -> (PersonCipher, RelaisCore.Operation) {
        let keyring = keys.keyring
        let key = SecureBytes.random(count: AEAD.keyBytes)
        let epoch = keyring.currentEpoch
        let wrapped = AEAD.seal(
            secret: key, key: keyring.currentTeamKey, associatedData: PersonCipher.keyWrappingData(person: person, epoch: epoch))
        remember(key, of: person)
        let operation = RelaisCore.Operation(person: person, record: person, body: .personKey(epoch: epoch, wrappedKey: wrapped))
        return (cipher(person, key: key), operation)
    }

    /// The cipher of a person whose key the caller unwrapped itself (`relais check` tries each).
    func cipher(_ person: RecordID, key: SecureBytes) -> PersonCipher {
        let keyring = keys.keyring
        return PersonCipher(person: person, key: key, teamKeys: keyring.teamKeys, epoch: keyring.currentEpoch)
    }

    func follow(_ applied: AppliedChanges, _ db: Database) throws {
        cache.withLock { cache in
            if applied.scopeMoved { return cache.unwrapped.removeAll() }
            for person in applied.rebuilt { cache.unwrapped[person] = nil }
            for operation in applied.personOperations {
                switch operation.body {
                case .erasePerson:
                    cache.unwrapped[operation.person] = nil
                    cache.erased.insert(operation.person)
                case .setScope: cache.unwrapped[operation.person] = nil
                default: break
                }
            }
        }
    }

    /// Keeps an unwrapped key for the next reads of the person, within a bound; never the key of
    /// a person erased since, which a reader on an older snapshot may still have unwrapped.
    private func remember(_ key: SecureBytes, of person: RecordID) {
        cache.withLock { cache in
            guard !cache.erased.contains(person) else { return }
            if cache.unwrapped.count >= Limits.personKeysCachedMax { cache.unwrapped.removeAll(keepingCapacity: true) }
            cache.unwrapped[person] = key
        }
    }
}

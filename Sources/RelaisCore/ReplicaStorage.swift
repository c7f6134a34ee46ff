/// The state a replica persists, as `ChangeApplier` reads and writes it.
///
/// RelaisStore implements it on SQLite inside one transaction per change; the protocol keeps the
/// merge rules here, in pure code, and the I/O there.
public protocol ReplicaStorage: AnyObject {
    func versionVector() throws -> VersionVector
    func raiseVersion(of origin: DeviceID, to sequence: UInt64) throws

    func record(_ id: RecordID) throws -> RecordState?
    func putRecord(_ state: RecordState) throws

    func register(record: RecordID, field: FieldToken) throws -> MultiValueRegister
    func putRegister(_ register: MultiValueRegister, record: RecordID, field: FieldToken) throws

    func elements(record: RecordID, field: FieldToken) throws -> AddWinsSet
    func putElements(_ set: AddWinsSet, record: RecordID, field: FieldToken) throws

    func putPersonKey(person: RecordID, epoch: UInt32, wrappedKey: [UInt8]) throws

    func isErased(_ person: RecordID) throws -> Bool
    /// Remembers that the change (origin, sequence) erases the person, applied or not: a person
    /// stays erased while one valid change erases it (`ChangeApplier.undoLateChanges`).
    func noteErasure(of person: RecordID, by origin: DeviceID, sequence: UInt64) throws
    /// Forgets the erasures of the origin's changes numbered after `sequence` (they are void).
    func forgetErasures(by origin: DeviceID, after sequence: UInt64) throws
    func hasErasure(of person: RecordID) throws -> Bool
    /// Takes back an erasure only void changes made: the person is no longer erased; its key,
    /// records and operations are gone until filled again from a peer.
    func unerase(_ person: RecordID) throws
    /// The last valid sequence of a revoked origin; nil while the origin is not revoked.
    func revocationBound(of origin: DeviceID) throws -> UInt64?
    /// The origin's changes numbered after `sequence`, stored or held.
    func changes(of origin: DeviceID, after sequence: UInt64) throws -> [Change]
    /// Remembers that a voided change (`ChangeApplier.void`) erased the person: relays that applied
    /// it redacted their own operations on the person, which this replica must then accept as such.
    func noteVoidedErasure(of person: RecordID) throws
    func hasVoidedErasure(of person: RecordID) throws -> Bool
    /// Remembers a record (or person) a voided change created: honest changes written on top of it
    /// by relays that applied it keep their other operations, and these are ignored.
    func noteVoided(record: RecordID) throws
    func isVoided(_ record: RecordID) throws -> Bool
    /// Marks the person erased and destroys its key, records, values and stored operations.
    func erase(_ person: RecordID) throws

    /// Keeps an applied change for relaying and audit, minus the operations of erased persons and
    /// of persons outside the replica's scope.
    func storeChange(_ change: Change) throws
    /// Replaces a stored change by the same change with redacted slots filled in.
    func replaceStoredChange(_ change: Change) throws
    /// The stored changes carrying an operation of the person, full or redacted, oldest first.
    func storedChanges(of person: RecordID) throws -> [Change]
    /// Whether a stored change of the person was found damaged and set aside until a peer's copy
    /// replaces it: the person's file cannot be rebuilt before.
    func awaitsCopies(of person: RecordID) throws -> Bool

    /// The care-team lists written for the person (SPEC.md §14); empty when never scoped.
    func scope(of person: RecordID) throws -> MultiValueRegister
    func putScope(_ register: MultiValueRegister, of person: RecordID) throws
    /// The persons that were ever scoped: only they can fall outside a replica's scope.
    func scopedPersons() throws -> [RecordID]
    func holding(of person: RecordID) throws -> PersonHolding
    func setHolding(_ holding: PersonHolding, of person: RecordID) throws
    /// Destroys the person's key, records, values and index entries, leaving its changes as they are.
    func dropData(of person: RecordID) throws
    /// Drops the person's data and redacts its operations in stored and held changes: the person
    /// left the replica's scope (unlike an erasure, it may come back).
    func purge(_ person: RecordID) throws

    func pendingChanges() throws -> [Change]
    func pendingCount() throws -> Int
    func holdPending(_ change: Change) throws
    func releasePending(origin: DeviceID, sequence: UInt64) throws
}

extension ReplicaStorage {
    /// Stores that never set changes aside (in memory) await nothing.
    public func awaitsCopies(of person: RecordID) throws -> Bool { false }
}

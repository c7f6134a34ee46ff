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

    /// Keeps an applied change for relaying and audit, minus the operations of erased persons.
    func storeChange(_ change: Change) throws

    func pendingChanges() throws -> [Change]
    func pendingCount() throws -> Int
    func holdPending(_ change: Change) throws
    func releasePending(origin: DeviceID, sequence: UInt64) throws
}

import RelaisCore

/// `ReplicaStorage` in dictionaries, to test `ChangeApplier` without SQLite.
public final class InMemoryReplicaStorage: ReplicaStorage {
    public private(set) var vector = VersionVector()
    public private(set) var records: [RecordID: RecordState] = [:]
    public private(set) var registers: [RecordID: [FieldToken: MultiValueRegister]] = [:]
    public private(set) var sets: [RecordID: [FieldToken: AddWinsSet]] = [:]
    public private(set) var personKeys: [RecordID: [UInt32: [UInt8]]] = [:]
    public private(set) var erased: Set<RecordID> = []
    public private(set) var stored: [Change] = []
    private var pending: [Change] = []
    private var voidedErasures: Set<RecordID> = []
    private var voidedRecords: Set<RecordID> = []

    public init() {}

    public func versionVector() -> VersionVector { vector }
    public func raiseVersion(of origin: DeviceID, to sequence: UInt64) { vector.raise(origin, to: sequence) }
    public func record(_ id: RecordID) -> RecordState? { records[id] }
    public func putRecord(_ state: RecordState) { records[state.id] = state }

    public func register(record: RecordID, field: FieldToken) -> MultiValueRegister {
        registers[record]?[field] ?? MultiValueRegister()
    }

    public func putRegister(_ register: MultiValueRegister, record: RecordID, field: FieldToken) {
        registers[record, default: [:]][field] = register
    }

    public func elements(record: RecordID, field: FieldToken) -> AddWinsSet { sets[record]?[field] ?? AddWinsSet() }

    public func putElements(_ set: AddWinsSet, record: RecordID, field: FieldToken) {
        sets[record, default: [:]][field] = set
    }

    public func putPersonKey(person: RecordID, epoch: UInt32, wrappedKey: [UInt8]) {
        personKeys[person, default: [:]][epoch] = wrappedKey
    }

    public func isErased(_ person: RecordID) -> Bool { erased.contains(person) }
    public func noteVoidedErasure(of person: RecordID) { voidedErasures.insert(person) }
    public func hasVoidedErasure(of person: RecordID) -> Bool { voidedErasures.contains(person) }
    public func noteVoided(record: RecordID) { voidedRecords.insert(record) }
    public func isVoided(_ record: RecordID) -> Bool { voidedRecords.contains(record) }

    public func erase(_ person: RecordID) {
        erased.insert(person)
        personKeys[person] = nil
        for (id, state) in records where state.person == person {
            records[id] = nil
            registers[id] = nil
            sets[id] = nil
        }
    }

    public func storeChange(_ change: Change) { stored.append(change) }
    public func pendingChanges() -> [Change] { pending }
    public func pendingCount() -> Int { pending.count }
    public func holdPending(_ change: Change) { pending.append(change) }

    public func releasePending(origin: DeviceID, sequence: UInt64) {
        pending.removeAll { $0.origin == origin && $0.sequence == sequence }
    }
}

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
    private var erasures: [RecordID: Set<Dot>] = [:]
    private var revocationBounds: [DeviceID: UInt64] = [:]

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

    public func noteErasure(of person: RecordID, by origin: DeviceID, sequence: UInt64) {
        erasures[person, default: []].insert(Dot(origin: origin, sequence: sequence, index: 0))
    }

    public func forgetErasures(by origin: DeviceID, after sequence: UInt64) {
        erasures = erasures.mapValues { $0.filter { $0.origin != origin || $0.sequence <= sequence } }
    }

    public func hasErasure(of person: RecordID) -> Bool { !(erasures[person] ?? []).isEmpty }
    public func unerase(_ person: RecordID) { erased.remove(person) }

    /// What the replica learns from a roster: the origin's changes after `sequence` are void.
    public func revoke(_ origin: DeviceID, validThrough sequence: UInt64) { revocationBounds[origin] = sequence }
    public func revocationBound(of origin: DeviceID) -> UInt64? { revocationBounds[origin] }

    public func changes(of origin: DeviceID, after sequence: UInt64) -> [Change] {
        (stored + pending).filter { $0.origin == origin && $0.sequence > sequence }
    }
    public func noteVoidedErasure(of person: RecordID) { voidedErasures.insert(person) }
    public func hasVoidedErasure(of person: RecordID) -> Bool { voidedErasures.contains(person) }
    public func noteVoided(record: RecordID) { voidedRecords.insert(record) }
    public func isVoided(_ record: RecordID) -> Bool { voidedRecords.contains(record) }

    public private(set) var scopes: [RecordID: MultiValueRegister] = [:]
    public private(set) var holdings: [RecordID: PersonHolding] = [:]
    /// What `redacting` puts in place of an operation here: any 32 bytes will do without SQLite.
    public static let digest: OperationDigest = { _ in Array(repeating: 1, count: 32) }

    public func erase(_ person: RecordID) {
        erased.insert(person)
        dropData(of: person)
        stored = stored.map { $0.redacting([person], digest: Self.digest) }
    }

    public func dropData(of person: RecordID) {
        personKeys[person] = nil
        for (id, state) in records where state.person == person {
            records[id] = nil
            registers[id] = nil
            sets[id] = nil
        }
    }

    public func purge(_ person: RecordID) {
        dropData(of: person)
        stored = stored.map { $0.redacting([person], digest: Self.digest) }
        pending = pending.map { $0.redacting([person], digest: Self.digest) }
    }

    public func storeChange(_ change: Change) {
        let hidden = Set(change.slots.map(\.person)).filter { erased.contains($0) || holdings[$0] == .outside }
        stored.append(hidden.isEmpty ? change : change.redacting(hidden, digest: Self.digest))
    }

    public func replaceStoredChange(_ change: Change) {
        guard let index = stored.firstIndex(where: { $0.header == change.header }) else { return }
        stored[index] = change
    }

    public func storedChanges(of person: RecordID) -> [Change] {
        stored.filter { $0.slots.contains { $0.person == person } }.sorted { $0.timestamp < $1.timestamp }
    }

    public func scope(of person: RecordID) -> MultiValueRegister { scopes[person] ?? MultiValueRegister() }
    public func putScope(_ register: MultiValueRegister, of person: RecordID) { scopes[person] = register }
    public func scopedPersons() -> [RecordID] { Array(scopes.keys) }
    public func holding(of person: RecordID) -> PersonHolding { holdings[person] ?? .held }
    public func setHolding(_ holding: PersonHolding, of person: RecordID) { holdings[person] = holding }
    public func pendingChanges() -> [Change] { pending }
    public func pendingCount() -> Int { pending.count }
    public func holdPending(_ change: Change) { pending.append(change) }

    public func releasePending(origin: DeviceID, sequence: UInt64) {
        pending.removeAll { $0.origin == origin && $0.sequence == sequence }
    }
}

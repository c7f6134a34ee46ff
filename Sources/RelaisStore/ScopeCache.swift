import GRDB
import RelaisCore
import RelaisCrypto

/// The redaction of changes for one peer (SPEC.md §14): a person's operations are sent as
/// digests only when the peer is outside the person's scope **and** already holds every scope
/// write that puts it there, so it can always tell why they were redacted; otherwise in full.
struct ScopeCache {
    let storage: SQLiteReplicaStorage
    let reader: ScopeReader
    /// What the peer holds, raised by every change sent to it.
    private var peerHolds: VersionVector
    private var scopes: [RecordID: MultiValueRegister] = [:]

    init(storage: SQLiteReplicaStorage, reader: ScopeReader, peerHolds: VersionVector) {
        self.storage = storage
        self.reader = reader
        self.peerHolds = peerHolds
    }

    mutating func mayHold(_ person: RecordID) throws -> Bool {
        if reader.holdsAll { return true }
        let register = try scopes[person] ?? storage.scope(of: person)
        scopes[person] = register
        if reader.mayHold(try PersonScope(register: register)) { return true }
        return !register.dots.allSatisfy { peerHolds.contains(origin: $0.origin, sequence: $0.sequence) }
    }

    /// The change as the peer may receive it; the peer is then taken to hold it. Its own scope
    /// writes count as held: the peer applies them before the change's other operations.
    mutating func redacted(_ change: Change) throws -> Change {
        peerHolds.raise(change.origin, to: change.sequence)
        if reader.holdsAll { return change }
        var hidden: Set<RecordID> = []
        for case .operation(let operation) in change.slots where try !mayHold(operation.person) {
            hidden.insert(operation.person)
        }
        return hidden.isEmpty ? change : change.redacting(hidden, digest: Change.operationDigest)
    }
}

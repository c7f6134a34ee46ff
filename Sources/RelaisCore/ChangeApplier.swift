/// Applies signed changes to a replica in causal order, whatever order they arrive in.
///
/// A change is applied once its origin's previous change and every change it depends on are
/// present; until then it waits in the pending set. An erasure is the exception: it takes effect
/// as soon as it arrives, because erasing absorbs every other operation on the person in any
/// order, and because an origin's earlier changes, once redacted by a relay, can only be applied
/// after the erasure that its later change carries. Applying the same set of changes in any order,
/// with duplicates, leaves every replica in the same state. Signatures are checked by the caller:
/// this type holds no cryptography.
///
/// Operations on persons outside the replica's scope (`reader`) are not applied, and stored only
/// as digests; a person entering the scope awaits the operations it only has as digests (SPEC.md §14).
public struct ChangeApplier {
    private let storage: any ReplicaStorage
    private let reader: ScopeReader

    /// An applier writing through `storage`, holding only the persons `reader` may hold.
    public init(storage: any ReplicaStorage, reader: ScopeReader = .everything) {
        self.storage = storage
        self.reader = reader
    }

    /// Applies `change` or holds it back, then applies every held change that became ready.
    /// - Throws: whatever the storage throws; the caller's transaction must then roll back.
    public func receive(_ change: Change) throws -> ApplyReport {
        if try isVoid(change) { return try void(change) }
        let outcome: ApplyOutcome
        switch try readiness(of: change) {
        case .alreadyApplied:
            return ApplyReport(outcome: .alreadyApplied)
        case .waiting:
            guard try storage.pendingCount() < Limits.pendingChangesMax else {
                return ApplyReport(outcome: .refused(.tooManyPending(limit: Limits.pendingChangesMax)))
            }
            try storage.holdPending(change)
            try eraseAhead(change)
            outcome = .pending
        case .ready:
            if let refusal = try apply(change) {
                return ApplyReport(outcome: .refused(refusal))
            }
            outcome = .applied
        }
        var report = ApplyReport(outcome: outcome)
        try drainPending(into: &report)
        if outcome == .pending, let index = report.released.firstIndex(of: change) {
            report.released.remove(at: index)
            report.outcome = .applied
        }
        return report
    }

    /// Takes the place of a change that must not be applied (its author was revoked before
    /// signing it): the origin's sequence moves past it and what waited on it is released. It is
    /// kept, unapplied, so that it is relayed: every node that knows of the revocation voids it in
    /// turn, and honest changes that depend on it can be released everywhere. Out of sequence it
    /// is only dropped: peers offer it again in order.
    public func void(_ change: Change) throws -> ApplyReport {
        guard try takePlace(ofVoid: change) else { return ApplyReport(outcome: .alreadyApplied) }
        var report = ApplyReport(outcome: .voided)
        try drainPending(into: &report)
        return report
    }

    /// - Returns: false when the change's place was already taken.
    private func takePlace(ofVoid change: Change) throws -> Bool {
        let vector = try storage.versionVector()
        if vector.contains(origin: change.origin, sequence: change.sequence) { return false }
        // Noted at once, in sequence or not: a relay may have redacted the origin's earlier changes
        // after applying this erasure, and those wait for it (as for an erasure, `eraseAhead`).
        try noteVoidedEffects(of: change)
        if vector[change.origin] == change.sequence - 1 {
            try storage.storeChange(change)
            try storage.raiseVersion(of: change.origin, to: change.sequence)
        }
        return true
    }

    private func noteVoidedEffects(of change: Change) throws {
        for case .operation(let operation) in change.slots {
            switch operation.body {
            case .erasePerson: try storage.noteVoidedErasure(of: operation.person)
            case .createRecord: try storage.noteVoided(record: operation.record)
            default: break
            }
        }
    }

    /// Whether the change's origin was revoked before it (by sequence, SPEC.md §10).
    private func isVoid(_ change: Change) throws -> Bool {
        guard let bound = try storage.revocationBound(of: change.origin) else { return false }
        return change.sequence > bound
    }

    /// The replica has just learnt that `origin` is revoked: what it took of that origin's void
    /// changes before it knew (applied, or erased ahead while held) is undone, so that it ends as
    /// if it had voided them on arrival, as the nodes that knew did. The state is derived from
    /// the stored changes, so every person they touched is rebuilt from the valid ones; a person
    /// only they erased comes back awaiting its file (its operations were redacted here, and
    /// peers that voided the erasure hold them).
    /// - Returns: the persons rebuilt and readable, whose derived state must be refreshed.
    public func undoLateChanges(of origin: DeviceID) throws -> Set<RecordID> {
        guard let bound = try storage.revocationBound(of: origin) else { return [] }
        var touched: Set<RecordID> = []
        for change in try storage.changes(of: origin, after: bound) {
            try noteVoidedEffects(of: change)
            touched.formUnion(change.slots.map(\.person))
        }
        try storage.forgetErasures(by: origin, after: bound)
        var rebuilt: Set<RecordID> = []
        for person in touched {
            if try storage.isErased(person) {
                guard try !storage.hasErasure(of: person) else { continue }
                try storage.unerase(person)
                try storage.setHolding(.awaiting, of: person)
            }
            if try rebuild(person) { rebuilt.insert(person) }
        }
        return rebuilt
    }

    private enum Readiness { case alreadyApplied, waiting, ready }

    private func readiness(of change: Change) throws -> Readiness {
        let vector = try storage.versionVector()
        if vector.contains(origin: change.origin, sequence: change.sequence) { return .alreadyApplied }
        guard vector[change.origin] == change.sequence - 1 else { return .waiting }
        guard vector.dominates(change.header.dependencies) else { return .waiting }
        // A redacted operation on a person this replica holds waits for what explains it: the
        // person's erasure, or the scope that takes the person out of this replica.
        var redacted = change.redactedPersons
        for person in redacted where try storage.isErased(person) || storage.hasVoidedErasure(of: person) {
            redacted.remove(person)
        }
        guard !redacted.isEmpty else { return .ready }
        var ignored = IgnoredOperations(storage: storage)
        let plan = try ScopePlan(change, storage: storage, reader: reader, ignored: &ignored)
        return redacted.contains { plan.holding(of: $0) == .held } ? .waiting : .ready
    }

    private func eraseAhead(_ change: Change) throws {
        for person in try noteErasures(of: change) { try storage.erase(person) }
    }

    /// - Returns: the persons the change erases.
    private func noteErasures(of change: Change) throws -> [RecordID] {
        var erased: [RecordID] = []
        for case .operation(let operation) in change.slots {
            guard case .erasePerson = operation.body, operation.record == operation.person else { continue }
            try storage.noteErasure(of: operation.person, by: change.origin, sequence: change.sequence)
            erased.append(operation.person)
        }
        return erased
    }

    private func drainPending(into report: inout ApplyReport) throws {
        var progressed = true
        while progressed {
            progressed = false
            let pending = try storage.pendingChanges().sorted { $0.timestamp < $1.timestamp }
            for change in pending {
                if try isVoid(change) {
                    let vector = try storage.versionVector()
                    guard vector[change.origin] >= change.sequence - 1 else { continue }
                    try storage.releasePending(origin: change.origin, sequence: change.sequence)
                    progressed = try takePlace(ofVoid: change) || progressed
                    continue
                }
                let readiness = try readiness(of: change)
                guard readiness != .waiting else { continue }
                try storage.releasePending(origin: change.origin, sequence: change.sequence)
                progressed = true
                guard readiness == .ready else { continue }
                // A held change that turns out invalid is dropped; its origin's later changes keep
                // waiting, and the vector never claims it, so peers offer it again but never apply it.
                if try apply(change) == nil { report.released.append(change) }
            }
        }
    }

    /// Checks every operation, then applies them all; returns why it refused instead, changing nothing.
    private func apply(_ change: Change) throws -> ChangeRefusal? {
        var ignored = IgnoredOperations(storage: storage)
        let plan = try ScopePlan(change, storage: storage, reader: reader, ignored: &ignored)
        if let refusal = try validate(change, &ignored, plan) { return refusal }
        _ = try noteErasures(of: change)
        try plan.carryOut(on: storage)
        for (index, slot) in change.slots.enumerated() {
            guard case .operation(let operation) = slot, plan.holding(of: operation.person) == .held,
                try !ignored.contains(operation)
            else { continue }
            if case .setScope = operation.body { continue }
            let dot = Dot(origin: change.origin, sequence: change.sequence, index: UInt32(index))
            try apply(operation, dot: dot, timestamp: change.timestamp)
            if case .erasePerson = operation.body { ignored.noteErased(operation.person) }
        }
        try storage.storeChange(change)
        try storage.raiseVersion(of: change.origin, to: change.sequence)
        for person in plan.entering { _ = try rebuildIfComplete(person) }
        // Operations a relay redacted after applying an erasure that is void here are missing
        // from this file: it awaits them from a peer that holds them (`rebuildIfComplete`).
        for person in change.redactedPersons where try storage.holding(of: person) == .held {
            if try !storage.isErased(person), try storage.hasVoidedErasure(of: person) {
                try storage.setHolding(.awaiting, of: person)
            }
        }
        return nil
    }

    private func validate(_ change: Change, _ ignored: inout IgnoredOperations, _ plan: ScopePlan) throws -> ChangeRefusal? {
        var created: [RecordID: RecordID] = [:]
        var erased: Set<RecordID> = []
        for case .operation(let operation) in change.slots {
            if try erased.contains(operation.person) || ignored.contains(operation) { continue }
            if case .setScope = operation.body {
                if operation.record != operation.person { return .personRecordMismatch(operation.person) }
                continue
            }
            if plan.holding(of: operation.person) != .held { continue }
            let known = try created[operation.record] ?? storage.record(operation.record)?.person
            if let refusal = try check(operation, knownPerson: known, created: created) { return refusal }
            switch operation.body {
            case .createRecord: created[operation.record] = operation.person
            case .erasePerson: erased.insert(operation.person)
            default: break
            }
        }
        return nil
    }

    private func check(_ operation: Operation, knownPerson: RecordID?, created: [RecordID: RecordID]) throws
        -> ChangeRefusal?
    {
        let isPersonLevel = operation.record == operation.person
        switch operation.body {
        case .createRecord:
            if knownPerson != nil { return .recordCreatedTwice(operation.record) }
            if isPersonLevel { return nil }
            let personExists = try created[operation.person] != nil || storage.record(operation.person) != nil
            return personExists ? nil : .unknownRecord(operation.person)
        case .erasePerson, .personKey, .setScope:
            return isPersonLevel ? nil : .personRecordMismatch(operation.person)
        case .setRegister, .addElement, .removeElements, .deleteRecord:
            guard let knownPerson else { return .unknownRecord(operation.record) }
            return knownPerson == operation.person ? nil : .recordOfAnotherPerson(operation.record)
        }
    }

    private func apply(_ operation: Operation, dot: Dot, timestamp: HLCTimestamp) throws {
        let record = operation.record
        switch operation.body {
        case .createRecord(let sealedType):
            try storage.putRecord(RecordState(id: record, person: operation.person, sealedType: sealedType, creation: dot))
        case .setRegister(let field, let supersedes, let sealedValue):
            var register = try storage.register(record: record, field: field)
            register.apply(RegisterEntry(dot: dot, timestamp: timestamp, sealedValue: sealedValue), supersedes: supersedes)
            try storage.putRegister(register, record: record, field: field)
        case .addElement(let field, let sealedElement):
            var set = try storage.elements(record: record, field: field)
            set.add(sealedElement, tag: dot)
            try storage.putElements(set, record: record, field: field)
        case .removeElements(let field, let dots):
            var set = try storage.elements(record: record, field: field)
            set.remove(dots)
            try storage.putElements(set, record: record, field: field)
        case .deleteRecord:
            guard var state = try storage.record(record) else { return }
            state.isDeleted = true
            try storage.putRecord(state)
        case .erasePerson:
            try storage.erase(operation.person)
        case .personKey(let epoch, let wrappedKey):
            try storage.putPersonKey(person: operation.person, epoch: epoch, wrappedKey: wrappedKey)
        case .setScope:
            // Applied before the others by `ScopePlan`: it decides which of them apply.
            break
        }
    }

    /// Rebuilds an awaiting person's file from the stored changes once none of its operations is
    /// missing (a person coming back to a replica that could not yet redact what it wrote on them
    /// misses nothing).
    /// - Returns: whether the person is now held.
    public func rebuildIfComplete(_ person: RecordID) throws -> Bool {
        guard try !storage.isErased(person), try storage.holding(of: person) == .awaiting else { return false }
        return try rebuild(person)
    }

    /// Applies the person's valid stored changes again, oldest first (a causal order), onto
    /// nothing, or leaves the person awaiting while one of them carries its operations only as
    /// digests or was found damaged. Void changes are left out: their operations never count.
    /// - Returns: whether the person is held.
    public func rebuild(_ person: RecordID) throws -> Bool {
        let changes = try storage.storedChanges(of: person).filter { try !isVoid($0) }
        if try rebuildScope(of: person, from: changes) == .outside { return false }
        guard try !changes.contains(where: { $0.redactedPersons.contains(person) }) && !storage.awaitsCopies(of: person) else {
            try storage.setHolding(.awaiting, of: person)
            return false
        }
        try storage.dropData(of: person)
        var ignored = IgnoredOperations(storage: storage)
        for change in Self.causalOrder(changes) {
            for (index, slot) in change.slots.enumerated() {
                guard case .operation(let operation) = slot, operation.person == person, try !ignored.contains(operation)
                else { continue }
                if case .setScope = operation.body { continue }
                // Operations were checked when their change was applied elsewhere; one that does
                // not fit is left out rather than failing the whole file.
                let known = try storage.record(operation.record)?.person
                guard try check(operation, knownPerson: known, created: [:]) == nil else { continue }
                let dot = Dot(origin: change.origin, sequence: change.sequence, index: UInt32(index))
                try apply(operation, dot: dot, timestamp: change.timestamp)
            }
        }
        try storage.setHolding(.held, of: person)
        return true
    }

    /// `changes` (oldest first) reordered so that each comes after every change it depends on:
    /// timestamps alone do not ensure it, since a peer's clock that ran too far ahead is not followed.
    static func causalOrder(_ changes: [Change]) -> [Change] {
        var successors = Array(repeating: [Int](), count: changes.count)
        var waitingOn = Array(repeating: 0, count: changes.count)
        for (later, change) in changes.enumerated() {
            for (earlier, other) in changes.enumerated() where earlier != later {
                let precedes =
                    other.origin == change.origin
                    ? other.sequence < change.sequence
                    : change.header.dependencies.contains(origin: other.origin, sequence: other.sequence)
                if precedes {
                    successors[earlier].append(later)
                    waitingOn[later] += 1
                }
            }
        }
        var ready = (0..<changes.count).filter { waitingOn[$0] == 0 }
        var order: [Change] = []
        while !ready.isEmpty {
            let next = ready.removeFirst()
            order.append(changes[next])
            for successor in successors[next] {
                waitingOn[successor] -= 1
                if waitingOn[successor] == 0 {
                    ready.insert(successor, at: ready.firstIndex { $0 > successor } ?? ready.endIndex)
                }
            }
        }
        return order.count == changes.count ? order : changes
    }

    /// The person's care-team register from `changes` alone (a void one may have moved it), and
    /// what this replica may then hold of it; a person leaving the scope is purged.
    private func rebuildScope(of person: RecordID, from changes: [Change]) throws -> PersonHolding {
        var register = MultiValueRegister()
        for change in changes {
            for (index, slot) in change.slots.enumerated() {
                guard case .operation(let operation) = slot, operation.person == person,
                    case .setScope(let supersedes, let teams) = operation.body
                else { continue }
                let dot = Dot(origin: change.origin, sequence: change.sequence, index: UInt32(index))
                register.apply(
                    RegisterEntry(dot: dot, timestamp: change.timestamp, sealedValue: PersonScope.encodeEntry(teams)),
                    supersedes: supersedes)
            }
        }
        let current = try storage.holding(of: person)
        guard register != (try storage.scope(of: person)) else { return current }
        try storage.putScope(register, of: person)
        let next: PersonHolding =
            try reader.mayHold(PersonScope(register: register)) ? (current == .outside ? .awaiting : current) : .outside
        if next == .outside { try storage.purge(person) }
        try storage.setHolding(next, of: person)
        return next
    }

    /// The replica's scope changed (its device moved to other care teams): persons that left it
    /// are purged, persons that entered it await their files. Returns those rebuilt at once.
    public func rescope() throws -> [RecordID] {
        var rebuilt: [RecordID] = []
        for person in try storage.scopedPersons() where try !storage.isErased(person) {
            let current = try storage.holding(of: person)
            let next = try ScopePlan.holding(
                current: current, inScope: reader.mayHold(PersonScope(register: storage.scope(of: person))), person,
                storage)
            guard next != current else { continue }
            if next == .outside { try storage.purge(person) }
            try storage.setHolding(next, of: person)
            if next == .awaiting, try rebuildIfComplete(person) { rebuilt.append(person) }
        }
        return rebuilt
    }
}

/// What a change does to the persons it scopes, worked out before anything is written: its
/// scopes are applied first, because they decide which of its operations this replica keeps.
private struct ScopePlan {
    private var scopes: [RecordID: MultiValueRegister] = [:]
    private var current: [RecordID: PersonHolding] = [:]
    private var next: [RecordID: PersonHolding] = [:]

    init(_ change: Change, storage: any ReplicaStorage, reader: ScopeReader, ignored: inout IgnoredOperations) throws {
        for (index, slot) in change.slots.enumerated() {
            guard case .operation(let operation) = slot, case .setScope(let supersedes, let teams) = operation.body,
                operation.record == operation.person, try !ignored.contains(operation)
            else { continue }
            var register = try scopes[operation.person] ?? storage.scope(of: operation.person)
            let dot = Dot(origin: change.origin, sequence: change.sequence, index: UInt32(index))
            register.apply(
                RegisterEntry(dot: dot, timestamp: change.timestamp, sealedValue: PersonScope.encodeEntry(teams)),
                supersedes: supersedes)
            scopes[operation.person] = register
        }
        // One question per person on the hot path; erasure only matters where the scope moves.
        for person in Set(change.slots.map(\.person)) {
            let holding = try storage.holding(of: person)
            current[person] = holding
            guard let register = scopes[person], try !storage.isErased(person) else {
                next[person] = holding
                continue
            }
            next[person] = try Self.holding(
                current: holding, inScope: reader.mayHold(PersonScope(register: register)), person, storage)
        }
    }

    /// A person entering the scope is held at once if this is its first change (it is being
    /// created), else it awaits the operations the replica kept only as digests.
    static func holding(current: PersonHolding, inScope: Bool, _ person: RecordID, _ storage: any ReplicaStorage) throws
        -> PersonHolding
    {
        guard inScope else { return .outside }
        guard current == .outside else { return current }
        return try storage.storedChanges(of: person).isEmpty ? .held : .awaiting
    }

    func holding(of person: RecordID) -> PersonHolding { next[person] ?? .held }

    /// Persons this change brings into the replica's scope, to await their files.
    var entering: [RecordID] { next.filter { $0.value == .awaiting && current[$0.key] != .awaiting }.map(\.key) }

    func carryOut(on storage: any ReplicaStorage) throws {
        for (person, register) in scopes { try storage.putScope(register, of: person) }
        for (person, planned) in next where planned != current[person] {
            if planned == .outside { try storage.purge(person) }
            try storage.setHolding(planned, of: person)
        }
    }
}

/// Operations on an erased person, or on what a voided change created, are ignored. The storage
/// is asked once per person and record of a change (a change holds many operations on one person).
private struct IgnoredOperations {
    let storage: any ReplicaStorage
    private var erased: [RecordID: Bool] = [:]
    private var voided: [RecordID: Bool] = [:]

    init(storage: any ReplicaStorage) { self.storage = storage }

    mutating func contains(_ operation: Operation) throws -> Bool {
        try isErased(operation.person) || isVoided(operation.person) || isVoided(operation.record)
    }

    /// An erasure the change itself applied: its later operations on the person are ignored.
    mutating func noteErased(_ person: RecordID) { erased[person] = true }

    private mutating func isErased(_ person: RecordID) throws -> Bool {
        if let known = erased[person] { return known }
        let answer = try storage.isErased(person)
        erased[person] = answer
        return answer
    }

    private mutating func isVoided(_ record: RecordID) throws -> Bool {
        if let known = voided[record] { return known }
        let answer = try storage.isVoided(record)
        voided[record] = answer
        return answer
    }
}

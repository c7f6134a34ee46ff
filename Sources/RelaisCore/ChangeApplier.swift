/// Applies signed changes to a replica in causal order, whatever order they arrive in.
///
/// A change is applied once its origin's previous change and every change it depends on are
/// present; until then it waits in the pending set. An erasure is the exception: it takes effect
/// as soon as it arrives, because erasing absorbs every other operation on the person in any
/// order, and because an origin's earlier changes, once redacted by a relay, can only be applied
/// after the erasure that its later change carries. Applying the same set of changes in any order,
/// with duplicates, leaves every replica in the same state. Signatures are checked by the caller:
/// this type holds no cryptography.
public struct ChangeApplier {
    private let storage: any ReplicaStorage

    public init(storage: any ReplicaStorage) { self.storage = storage }

    /// Applies `change` or holds it back, then applies every held change that became ready.
    /// - Throws: whatever the storage throws; the caller's transaction must then roll back.
    public func receive(_ change: Change) throws -> ApplyReport {
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
        let vector = try storage.versionVector()
        if vector.contains(origin: change.origin, sequence: change.sequence) { return ApplyReport(outcome: .alreadyApplied) }
        // Noted at once, in sequence or not: a relay may have redacted the origin's earlier changes
        // after applying this erasure, and those wait for it (as for an erasure, `eraseAhead`).
        for case .operation(let operation) in change.slots {
            switch operation.body {
            case .erasePerson: try storage.noteVoidedErasure(of: operation.person)
            case .createRecord: try storage.noteVoided(record: operation.record)
            default: break
            }
        }
        if vector[change.origin] == change.sequence - 1 {
            try storage.storeChange(change)
            try storage.raiseVersion(of: change.origin, to: change.sequence)
        }
        var report = ApplyReport(outcome: .voided)
        try drainPending(into: &report)
        return report
    }

    private enum Readiness { case alreadyApplied, waiting, ready }

    private func readiness(of change: Change) throws -> Readiness {
        let vector = try storage.versionVector()
        if vector.contains(origin: change.origin, sequence: change.sequence) { return .alreadyApplied }
        guard vector[change.origin] == change.sequence - 1 else { return .waiting }
        guard vector.dominates(change.header.dependencies) else { return .waiting }
        for person in change.redactedPersons where try !storage.isErased(person) && !storage.hasVoidedErasure(of: person) {
            return .waiting
        }
        return .ready
    }

    private func eraseAhead(_ change: Change) throws {
        for case .operation(let operation) in change.slots {
            if case .erasePerson = operation.body, operation.record == operation.person {
                try storage.erase(operation.person)
            }
        }
    }

    private func drainPending(into report: inout ApplyReport) throws {
        var progressed = true
        while progressed {
            progressed = false
            let pending = try storage.pendingChanges().sorted { $0.timestamp < $1.timestamp }
            for change in pending {
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
        if let refusal = try validate(change, &ignored) { return refusal }
        for (index, slot) in change.slots.enumerated() {
            guard case .operation(let operation) = slot, try !ignored.contains(operation) else { continue }
            let dot = Dot(origin: change.origin, sequence: change.sequence, index: UInt32(index))
            try apply(operation, dot: dot, timestamp: change.timestamp)
            if case .erasePerson = operation.body { ignored.noteErased(operation.person) }
        }
        try storage.storeChange(change)
        try storage.raiseVersion(of: change.origin, to: change.sequence)
        return nil
    }

    private func validate(_ change: Change, _ ignored: inout IgnoredOperations) throws -> ChangeRefusal? {
        var created: [RecordID: RecordID] = [:]
        var erased: Set<RecordID> = []
        for case .operation(let operation) in change.slots {
            if try erased.contains(operation.person) || ignored.contains(operation) { continue }
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
        case .erasePerson, .personKey:
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

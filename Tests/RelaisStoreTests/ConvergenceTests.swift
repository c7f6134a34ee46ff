import Foundation
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Random offline work on 3 to 5 replicas, partial exchanges in random order with duplicates,
/// then full delivery: every replica must end identical, conflicts included.
/// A failure prints its seed; `RELAIS_SEED=<seed> swift test --filter Convergence` replays it.
@Suite struct ConvergenceTests {
    @Test func replicasConvergeWhateverTheOrderOfDelivery() throws {
        for seed in Seeds.forTest(defaultCount: 150) {
            do {
                try runScenario(seed: seed)
            } catch {
                Issue.record("seed \(seed): \(error)")
                return
            }
        }
    }

    private func runScenario(seed: UInt64) throws {
        var generator = SeededGenerator(seed: seed)
        let count = Int.random(in: 3...5, using: &generator)
        let offsets = (0..<count).map { _ in Int64.random(in: -3_600_000...3_600_000, using: &generator) }
        let group = try ReplicaGroup(count: count, clockOffsets: offsets)
        var workload = Workload(group: group)
        for _ in 0..<Int.random(in: 20...45, using: &generator) {
            try workload.step(using: &generator)
        }
        try group.converge(using: &generator)

        let first = try group.replicas[0].snapshot()
        let firstConflicts = try group.replicas[0].conflicts()
        // A sound replica checks sound: each file equals its rebuild, whatever the clocks did.
        let check = try group.replicas[0].check()
        #expect(check.isSound, "seed \(seed): checked damaged: \(check.damages)")
        for (index, replica) in group.replicas.enumerated() {
            let snapshot = try replica.snapshot()
            #expect(try replica.versionVector == group.replicas[0].versionVector, "seed \(seed): replica \(index) vector")
            #expect(try replica.changeLog().pending == 0, "seed \(seed): replica \(index) has pending changes")
            #expect(snapshot == first, "seed \(seed): replica \(index) differs from replica 0")
            #expect(try replica.conflicts() == firstConflicts, "seed \(seed): replica \(index) conflicts differ")
            for erased in workload.erased {
                #expect(
                    !snapshot.contains { $0.id == erased.hex || $0.mergedFrom.contains(erased.hex) },
                    "seed \(seed): erased person back")
            }
        }
    }
}

/// The random offline work of a team: writes, merges, erasures and partial exchanges.
struct Workload {
    let group: ReplicaGroup
    private(set) var erased: Set<RecordID> = []
    private let names = ["Diallo", "Nguyen", "Popescu", "Élodie", "Ahmed", "Kovač"]
    private let dates = ["1985", "1986-04", "1990-02-11", "1979"]
    private let languages = ["ar", "fr", "ro", "en", "ps"]

    init(group: ReplicaGroup) { self.group = group }

    mutating func step(using generator: inout SeededGenerator) throws {
        let index = Int.random(in: group.replicas.indices, using: &generator)
        let replica = group.replicas[index]
        group.clocks[index].advance(milliseconds: UInt64.random(in: 0...120_000, using: &generator))
        let persons = try replica.listPersons().map(\.id)
        let person = persons.randomElement(using: &generator)
        do {
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<15:
                try replica.addPerson([
                    "family_name=\(names.randomElement(using: &generator)!)",
                    "birth_date=\(dates.randomElement(using: &generator)!)",
                ])
            case 15..<40:
                guard let person else { return }
                let chosen = languages.filter { _ in Bool.random(using: &generator) }
                try replica.updatePerson(
                    person,
                    set: ["birth_date=\(dates.randomElement(using: &generator)!)", "languages=\(chosen.joined(separator: ","))"],
                    unset: Bool.random(using: &generator) ? ["phone"] : [])
            case 40..<52:
                guard let person else { return }
                try replica.addLinkedRecord(
                    type: "visit", person: person,
                    set: ["date=2026-11-\(Int.random(in: 10...28, using: &generator))", "note=seen"])
            case 52..<57:
                guard let person, let visit = try replica.personFile(person).linked.randomElement(using: &generator) else {
                    return
                }
                try replica.deleteLinkedRecord(visit.id, type: "visit")
            case 57..<64:
                guard persons.count >= 2 else { return }
                let pair = persons.shuffled(using: &generator).prefix(2)
                try replica.merge(keep: pair.first!, duplicate: pair.last!)
            case 64..<69:
                guard let merged = try replica.snapshot().flatMap(\.mergedFrom).randomElement(using: &generator) else { return }
                try replica.unmerge(merged)
            case 69..<72:
                guard let person else { return }
                erased.formUnion(try replica.erase(person))
            case 72..<80:
                guard let conflict = try replica.conflicts().randomElement(using: &generator), conflict.field == "birth_date"
                else { return }
                try replica.resolveConflict(record: conflict.record, field: conflict.field, value: dates[0])
            default:
                let other = Int.random(in: group.replicas.indices, using: &generator)
                if other != index { try group.deliverSome(from: index, to: other, using: &generator) }
            }
        } catch let error as StoreError where error.isBadInput {
            // The workload picks at random: merging a person into its own group is refused, as for a person.
        }
    }
}

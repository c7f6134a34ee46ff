import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// The report and the FHIR export read every file at once (`files(reading:)`), by another path
/// than a file opened alone; both must show the same values, conflicts, merges and deletions.
@Suite struct BulkReadTests {
    @Test func everyFileReadInBulkShowsWhatItShowsAlone() throws {
        let group = try ReplicaGroup(count: 2)
        let (a, b) = (group.replicas[0], group.replicas[1])
        var generator = SeededGenerator(seed: 19)
        let diallo = try a.addPerson(["family_name=Diallo", "birth_date=1985", "languages=ff"]).hex
        let visit = try a.addLinkedRecord(type: "visit", person: diallo, set: ["date=2026-11-02", "kind=interview"]).hex
        let gone = try a.addLinkedRecord(type: "visit", person: diallo, set: ["date=2026-11-03", "kind=phone_call"]).hex
        try a.addLinkedRecord(type: "referral", person: diallo, set: ["date=2026-11-04", "to=gp", "status=proposed"])
        let duplicate = try a.addPerson(["family_name=Diallo", "birth_date=1986", "phone=0600000000"]).hex
        try a.addLinkedRecord(type: "visit", person: duplicate, set: ["date=2026-10-30", "kind=home_visit"])
        let popescu = try a.addPerson(["family_name=Popescu", "languages=ro"]).hex
        try group.deliverAll(from: 0, to: 1, using: &generator)
        try a.updateLinkedRecord(visit, type: "visit", set: ["kind=home_visit"])
        try b.updateLinkedRecord(visit, type: "visit", set: ["kind=phone_call", "note=TROD proposé"])
        try a.updatePerson(popescu, set: ["languages=fr"], unset: [])
        try b.updatePerson(popescu, set: ["languages=ro,en"], unset: [])
        try a.deleteLinkedRecord(gone, type: "visit")
        try a.merge(keep: diallo, duplicate: duplicate)
        try group.converge(using: &generator)

        let every = Dictionary(uniqueKeysWithValues: a.schema.recordTypes.map { ($0.name, Set($0.fields.map(\.name))) })
        let files = try a.views.files(reading: every)
        #expect(Set(files.map(\.id)) == [diallo, popescu])
        for file in files {
            let alone = try a.personFile(file.id)
            #expect(file.mergedFrom == alone.mergedFrom)
            #expect(file.fields == alone.fields)
            #expect(file.linked.map(\.id) == alone.linked.map(\.id))
            #expect(file.linked.map(\.fields) == alone.linked.map(\.fields))
        }
        let kept = try #require(files.first { $0.id == diallo })
        #expect(kept.fields.first { $0.name == "birth_date" }?.inConflict == true)
        #expect(kept.linked.count == 3)
        #expect(kept.linked.first { $0.id == visit }?.fields.first { $0.name == "kind" }?.inConflict == true)
        #expect(files.first { $0.id == popescu }?.fields.first { $0.name == "languages" }?.values == ["en", "fr"])

        let visitKinds = try a.views.files(reading: ["visit": ["kind"]])
        let onlyKinds = try #require(visitKinds.first { $0.id == diallo })
        #expect(onlyKinds.fields.isEmpty)
        #expect(onlyKinds.linked.map(\.type) == ["visit", "visit"])
        #expect(onlyKinds.linked.allSatisfy { $0.fields.map(\.name) == ["kind"] })
    }
}

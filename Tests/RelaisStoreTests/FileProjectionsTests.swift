import GRDB
import RelaisCore
import RelaisHarness
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// The report reads the files kept sealed by `FileProjections`; whatever is written, merged,
/// erased or moved, they must read as the records do, and an erased person's must be gone.
@Suite struct FileProjectionsTests {
    private func recordsSay(_ replica: Replica) throws -> [PersonFile] {
        try replica.views.files(reading: MonthTally.fields)
    }

    private func kept(_ replica: Replica, member: RecordID? = nil) throws -> Int {
        try replica.database.read { db in
            guard let member else { return try Int.fetchOne(db, sql: "SELECT count(*) FROM file_projections")! }
            return try Int.fetchOne(
                db,
                sql: """
                    SELECT count(*) FROM file_projections
                    WHERE root IN (SELECT root FROM projection_members WHERE member = ?)
                    """, arguments: [member.blob])!
        }
    }

    @Test(arguments: [3, 41, 97] as [UInt64])
    func keptFilesReadAsTheRecordsThroughRandomWritesAndMerges(seed: UInt64) throws {
        let group = try ReplicaGroup(count: 2)
        var random = SeededGenerator(seed: seed)
        var persons: [String] = []
        var records: [(id: String, type: String)] = []
        func day() -> String { "2026-0\(Int.random(in: 1...3, using: &random))-1\(Int.random(in: 0...9, using: &random))" }
        for step in 0..<60 {
            let replica = group.replicas[Int.random(in: 0...1, using: &random)]
            let person = persons.randomElement(using: &random)
            switch Int.random(in: 0..<10, using: &random) {
            case 0, 1:
                persons.append(try replica.addPerson(["family_name=P\(step)", "has_gp=yes"]).hex)
            case 2 where person != nil:
                let kind = ["interview", "home_visit"].randomElement(using: &random)!
                let visit = try? replica.addLinkedRecord(
                    type: "visit", person: person!, set: ["date=\(day())", "kind=\(kind)", "care_team=nord"])
                if let visit { records.append((visit.hex, "visit")) }
            case 3 where person != nil:
                let episode = try? replica.addLinkedRecord(
                    type: "programme_episode", person: person!, set: ["inclusion_date=\(day())", "empowerment_entry=3"])
                if let episode { records.append((episode.hex, "programme_episode")) }
            case 4 where !records.isEmpty:
                let record = records.randomElement(using: &random)!
                let set = record.type == "visit" ? ["date=\(day())"] : ["exit_date=\(day())", "exit_reason=autonomous"]
                try? replica.updateLinkedRecord(record.id, type: record.type, set: set)
            case 5 where person != nil:
                try? replica.updatePerson(person!, set: ["has_gp=\(Bool.random(using: &random) ? "yes" : "no")"], unset: [])
            case 6 where persons.count > 2:
                let (keep, duplicate) = (persons.randomElement(using: &random)!, persons.randomElement(using: &random)!)
                if keep != duplicate { try? replica.merge(keep: keep, duplicate: duplicate) }
            case 7 where person != nil:
                try? replica.unmerge(person!)
            case 8 where !records.isEmpty:
                let record = records.randomElement(using: &random)!
                try? replica.deleteLinkedRecord(record.id, type: record.type)
            case 9 where person != nil && step % 3 == 0:
                _ = try? replica.erase(person!)
            default:
                try group.deliverSome(from: step % 2, to: 1 - step % 2, using: &random)
            }
            for replica in group.replicas {
                let expected = try recordsSay(replica)
                #expect(try replica.reports.projections.files() == expected, "step \(step)")
                #expect(try kept(replica) == expected.count, "every file is kept once read")
                #expect(try replica.reports.projections.files() == expected, "step \(step), read from what was kept")
            }
        }
        try group.converge(using: &random)
        for replica in group.replicas { #expect(try replica.reports.projections.files() == recordsSay(replica)) }
    }

    /// What the daemon runs in the background: every file read, a few per transaction, and kept,
    /// so that a report then reads none from the records; and after writes, only the files they
    /// touched.
    @Test func keepingFilesLeavesNoneForTheReportToRead() async throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        var persons: [String] = []
        for number in 0..<8 {
            let person = try replica.addPerson(["family_name=P\(number)", "has_gp=yes"]).hex
            try replica.addLinkedRecord(type: "visit", person: person, set: ["date=2026-01-1\(number)", "kind=interview"])
            persons.append(person)
        }
        try replica.merge(keep: persons[0], duplicate: persons[1])
        let first = try await replica.reports.keepFiles(batch: 3)
        #expect(first.read == 7 && first.kept == 7, "the duplicate is read with the file it was merged into")
        var (files, fresh) = try replica.reports.projections.read()
        #expect(fresh.isEmpty)
        #expect(try files == recordsSay(replica))

        try replica.updatePerson(persons[1], set: ["has_gp=no"], unset: [])
        try replica.addLinkedRecord(type: "visit", person: persons[5], set: ["date=2026-02-01"])
        let second = try await replica.reports.keepFiles(batch: 3)
        #expect(second.read == 2 && second.kept == 2, "the merged file, through its duplicate, and the fifth")
        (files, fresh) = try replica.reports.projections.read()
        #expect(fresh.isEmpty)
        #expect(try files == recordsSay(replica))
        let third = try await replica.reports.keepFiles(batch: 3)
        #expect(third.read == 0 && third.kept == 0)
    }

    /// A file read in a snapshot while a write commits is not kept: it would outlive the write.
    @Test func aFileReadBeforeAWriteIsNotKeptAfterIt() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let person = try replica.addPerson(["family_name=Diallo", "has_gp=no"]).hex
        let visit = try replica.addLinkedRecord(type: "visit", person: person, set: ["date=2026-01-10"]).hex
        let duplicate = try replica.addPerson(["family_name=Diallo"]).hex
        try replica.addLinkedRecord(type: "visit", person: duplicate, set: ["date=2026-01-11"])

        var (_, fresh) = try replica.reports.projections.read()
        try replica.updateLinkedRecord(visit, type: "visit", set: ["date=2026-02-10"])
        replica.reports.projections.keep(fresh)
        #expect(try kept(replica) == 1, "only the duplicate's file, untouched, is kept")
        #expect(try replica.reports.projections.files() == recordsSay(replica))

        (_, fresh) = try replica.reports.projections.read()
        #expect(fresh.isEmpty)
        try replica.database.write { try $0.execute(sql: "DELETE FROM file_projections; DELETE FROM projection_members") }
        (_, fresh) = try replica.reports.projections.read()
        try replica.merge(keep: person, duplicate: duplicate)
        replica.reports.projections.keep(fresh)
        #expect(try kept(replica) == 0, "both files changed with the merge")
        let merged = try replica.reports.projections.files()
        #expect(merged == (try recordsSay(replica)))
        #expect(merged.map(\.linked.count) == [2])
    }

    @Test func anErasureTakesTheKeptFileWithIt() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let person = try replica.addPerson(["family_name=Popescu", "has_gp=yes"])
        try replica.addLinkedRecord(type: "visit", person: person.hex, set: ["date=2026-01-10", "kind=interview"])
        let other = try replica.addPerson(["family_name=Ionescu"])
        _ = try replica.reports.projections.files()
        #expect(try kept(replica, member: person) == 1)

        _ = try replica.erase(person.hex)
        #expect(try kept(replica, member: person) == 0)
        #expect(try kept(replica, member: other) == 1, "another person's file stays kept")
        let members = try replica.database.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM projection_members WHERE member = ?", arguments: [person.blob])!
        }
        #expect(members == 0)
        #expect(try replica.reports.projections.files().map(\.id) == [other.hex])
    }

    /// A kept file that does not open is read from the records again and kept anew.
    @Test func aDamagedKeptFileIsReadAgain() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let person = try replica.addPerson(["family_name=Traoré", "has_gp=yes"])
        let expected = try replica.reports.projections.files()
        try replica.database.write { db in
            try db.execute(sql: "UPDATE file_projections SET sealed = zeroblob(80) WHERE root = ?", arguments: [person.blob])
        }
        #expect(try replica.reports.projections.read().1.map(\.root) == [person])
        #expect(try replica.reports.projections.files() == expected)
        #expect(try replica.reports.projections.read().1.isEmpty, "kept anew")
    }

    /// The rows that let a write forget a kept file may be lost to damage: the file then still
    /// does not outlive the write, as it opens only with its members' versions of now.
    @Test func aKeptFileWhoseMembersWereLostStillDoesNotOutliveAWrite() throws {
        let replica = try ReplicaGroup(count: 1).replicas[0]
        let person = try replica.addPerson(["family_name=Kovač", "has_gp=no"])
        _ = try replica.reports.projections.files()
        try replica.database.write { try $0.execute(sql: "DELETE FROM projection_members") }
        try replica.updatePerson(person.hex, set: ["has_gp=yes"], unset: [])
        #expect(try kept(replica) == 1, "not forgotten by the write")
        let files = try replica.reports.projections.files()
        #expect(files == (try recordsSay(replica)))
        #expect(files.first?.fields.value(of: "has_gp") == "yes")
    }

    /// A laptop moved to another care team purges the persons it no longer holds, and their files.
    @Test func aScopeMoveForgetsEveryKeptFile() throws {
        let team = try EnrolledTeam()
        let laptop = try team.enrol("nord")
        _ = try team.hub.assignCareTeams(laptop.keyring.device.hex, [try CareTeam("nord")])
        try team.deliver(from: team.hub, to: laptop)
        let person = try laptop.addPerson(["family_name=Nordine", "has_gp=yes"], careTeams: [try CareTeam("nord")])
        _ = try laptop.reports.projections.files()
        #expect(try kept(laptop, member: person) == 1)

        _ = try team.hub.assignCareTeams(laptop.keyring.device.hex, [try CareTeam("sud")])
        try team.deliver(from: team.hub, to: laptop)
        #expect(try kept(laptop) == 0)
        #expect(try laptop.reports.projections.files() == recordsSay(laptop))
    }
}

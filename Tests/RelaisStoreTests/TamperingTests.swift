import Foundation
import GRDB
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

@Suite struct TamperingTests {
    @Test func aTamperedValueIsReportedForThatFieldAndEverythingElseReads() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        let replica = try Replica.create(
            folder: data, deviceName: "t", unlock: Passphrases.unlock("pass"), wallClock: TestClock.machine)
        let victim = try replica.addPerson(["family_name=Dupont", "given_names=Anne"])
        let bystander = try replica.addPerson(["family_name=Martin"])
        try replica.checkpoint()

        // Flip one byte of every sealed register value of the victim, straight in SQLite.
        let queue = try DatabaseQueue(path: data + "/replica.sqlite")
        try queue.write { db in
            let rows = try Row.fetchAll(
                db, sql: "SELECT record, field, state FROM registers WHERE record = ?", arguments: [Data(victim.value.bytes)])
            for row in rows {
                var state = [UInt8](row["state"] as Data)
                state[state.count - 1] ^= 0x01
                try db.execute(
                    sql: "UPDATE registers SET state = ? WHERE record = ? AND field = ?",
                    arguments: [Data(state), row["record"] as Data, row["field"] as Int64])
            }
        }
        let file = try replica.personFile(victim.hex)
        #expect(file.fields.contains { $0.name == "family_name" && $0.unreadable && $0.values.isEmpty })
        #expect(try replica.personFile(bystander.hex).fields.first { $0.name == "family_name" }?.values == ["Martin"])
        #expect(try replica.listPersons().count == 2)
    }

    @Test func aForgedSignatureIsRefusedAndNothingChanges() throws {
        let group = try ReplicaGroup(count: 2)
        let (author, reader) = (group.replicas[0], group.replicas[1])
        try author.addPerson(["family_name=Dupont"])
        let change = try author.changes(missingFrom: VersionVector())[0]
        var signature = change.signature
        signature[0] ^= 0xFF
        let forged = Change(header: change.header, slots: change.slots, signature: signature)
        #expect(throws: StoreError.self) { try reader.apply(remote: forged) }
        #expect(try reader.versionVector == VersionVector())
        #expect(try reader.listPersons().isEmpty)
        #expect(try reader.apply(remote: change) == .applied)
    }

    @Test func aChangeFromAnUnknownDeviceIsRefused() throws {
        let stranger = try Replica.inMemory(keyring: Keyring.generate(deviceName: "stranger"), wallClock: TestClock.machine)
        try stranger.addPerson(["family_name=X"])
        let reader = try Replica.inMemory(keyring: Keyring.generate(deviceName: "reader"), wallClock: TestClock.machine)
        let change = try stranger.changes(missingFrom: VersionVector())[0]
        #expect(throws: StoreError.self) { try reader.apply(remote: change) }
    }

    @Test func ciphertextMovedToAnotherFieldOrPersonDoesNotOpen() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        let replica = try Replica.create(
            folder: data, deviceName: "t", unlock: Passphrases.unlock("pass"), wallClock: TestClock.machine)
        let first = try replica.addPerson(["family_name=Dupont", "given_names=Anne"])
        let second = try replica.addPerson(["family_name=Martin"])
        try replica.checkpoint()
        let queue = try DatabaseQueue(path: data + "/replica.sqlite")
        try queue.write { db in
            let own = try Row.fetchAll(
                db, sql: "SELECT field, state FROM registers WHERE record = ?", arguments: [Data(first.value.bytes)])
            let other = try Row.fetchOne(
                db, sql: "SELECT state FROM registers WHERE record = ?", arguments: [Data(second.value.bytes)])!
            #expect(own.count == 2)
            // Swap the first person's two fields, and give the second person the first's name.
            for (row, donor) in zip(own, own.reversed()) {
                try db.execute(
                    sql: "UPDATE registers SET state = ? WHERE record = ? AND field = ?",
                    arguments: [donor["state"] as Data, Data(first.value.bytes), row["field"] as Int64])
            }
            try db.execute(
                sql: "UPDATE registers SET state = ? WHERE record = ?",
                arguments: [own[0]["state"] as Data, Data(second.value.bytes)])
            _ = other
        }
        let firstFile = try replica.personFile(first.hex)
        #expect(firstFile.fields.count == 2)
        #expect(firstFile.fields.allSatisfy { $0.unreadable && $0.values.isEmpty })
        #expect(try replica.personFile(second.hex).fields.allSatisfy { $0.unreadable && $0.values.isEmpty })
    }
}

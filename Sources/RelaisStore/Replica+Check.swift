import Foundation
import GRDB
import RelaisCore

extension Replica {
    /// Verifies the whole replica: SQLite's structure, every stored change against its origin's
    /// signature, every sealed value, and every person's file against a rebuild from its changes.
    /// Changes nothing (the rebuilds are rolled back).
    public func check() throws(StoreError) -> CheckReport {
        try rolledBack { db in
            var inspection = ReplicaInspection(replica: self)
            inspection.run(db)
            return inspection.report
        }
    }

    /// Mends what `check` finds, from what the replica holds: the files and indexes are rebuilt
    /// from the changes; a damaged change is set aside and its persons await a peer's copy (it is
    /// signed, so any peer's copy is as good); a damaged held change is dropped (peers send it
    /// again). A change of this device that no peer received is lost with its content, and said so.
    /// - Throws: `StoreError.replicaDamaged` when SQLite's structure itself cannot be mended.
    public func repair() throws(StoreError) -> RepairReport {
        let counts = try write { db in
            if try String.fetchAll(db, sql: "PRAGMA integrity_check") != ["ok"] {
                try db.execute(sql: "REINDEX")
                guard try String.fetchAll(db, sql: "PRAGMA integrity_check") == ["ok"] else {
                    throw StoreError.replicaDamaged("its structure cannot be mended")
                }
            }
            var inspection = ReplicaInspection(replica: self)
            inspection.checkSignedData(db)
            for (device, key) in inspection.rosterKeys {
                try db.execute(sql: "UPDATE devices SET signing_key = ? WHERE id = ?", arguments: [Data(key), device.blob])
            }
            let (toFetch, lost) = try setAside(inspection.damagedChanges, db)
            for held in inspection.damagedHeld {
                try db.execute(
                    sql: "DELETE FROM pending WHERE origin = ? AND sequence = ?", arguments: [held.origin, held.sequence])
            }
            try reindexChanges(db)
            let storage = SQLiteReplicaStorage(db)
            try db.execute(sql: "DELETE FROM erased WHERE person NOT IN (SELECT person FROM erasures)")
            for person in try Data.fetchAll(db, sql: "SELECT person FROM erased").map({ try RecordID(blob: $0) }) {
                try storage.dropData(of: person)
            }
            try db.execute(
                sql: """
                    DELETE FROM registers WHERE record NOT IN (SELECT id FROM records);
                    DELETE FROM elements WHERE record NOT IN (SELECT id FROM records);
                    """)
            let applier = try log.applier(storage, db)
            var rebuilt: Set<RecordID> = []
            for person in try ReplicaInspection.heldPersons(db) where try applier.rebuild(person) { rebuilt.insert(person) }
            // Every key is unwrapped again: the file's own were damaged, perhaps.
            try log.follow(AppliedChanges(rebuilt: rebuilt, scopeMoved: true), db)
            return (rebuilt.count, toFetch, lost, inspection.damagedHeld.count)
        }
        return RepairReport(
            personsRebuilt: counts.0, changesToFetch: counts.1, changesLost: counts.2, heldChangesDropped: counts.3,
            after: try check())
    }

    /// Takes damaged changes out of the change log. Those a peer may hold are noted with their
    /// persons, who await the copy; the others are gone.
    /// - Returns: how many await a copy, and how many are lost.
    private func setAside(_ damaged: [ReplicaInspection.ChangeKey: Set<RecordID>], _ db: Database) throws -> (Int, Int) {
        let storage = SQLiteReplicaStorage(db)
        let peerVectors = Array(try PeerLedger.vectors(db, skippingDamaged: true).values)
        var toFetch = 0
        var lost = 0
        for (key, persons) in damaged {
            try db.execute(sql: "DELETE FROM changes WHERE origin = ? AND sequence = ?", arguments: [key.origin, key.sequence])
            let isOwn = key.origin == keyring.device.blob
            let somewhereElse =
                !isOwn
                || peerVectors.contains { $0.contains(origin: keyring.device, sequence: UInt64(max(0, key.sequence))) }
            guard somewhereElse, !persons.isEmpty else {
                // Kept under no person, so that the number stays accounted for.
                try db.execute(
                    sql: "INSERT OR IGNORE INTO damaged_changes (origin, sequence, person) VALUES (?, ?, zeroblob(16))",
                    arguments: [key.origin, key.sequence])
                lost += 1
                continue
            }
            toFetch += 1
            for person in persons {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO damaged_changes (origin, sequence, person) VALUES (?, ?, ?)",
                    arguments: [key.origin, key.sequence, person.blob])
                if try storage.holding(of: person) == .held { try storage.setHolding(.awaiting, of: person) }
            }
        }
        return (toFetch, lost)
    }

    /// Builds the index of which changes concern which person again from the changes themselves.
    private func reindexChanges(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM change_persons")
        let insert = try db.makeStatement(sql: "INSERT OR IGNORE INTO change_persons (person, origin, sequence) VALUES (?, ?, ?)")
        let rows = try Row.fetchCursor(db, sql: "SELECT origin, sequence, body FROM changes")
        while let row = try rows.next() {
            let change = try Change(decoding: try row.bytes("body"))
            for person in Set(change.slots.map(\.person)) {
                try insert.execute(arguments: [person.blob, try row.value("origin") as Data, try row.value("sequence") as Int64])
            }
        }
    }

    /// Runs `body` in a write transaction that is always rolled back.
    private func rolledBack<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result {
        do {
            return try database.writeWithoutTransaction { db in
                var result: Result?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .rollback
                }
                return result!
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }
}

import Dispatch
import GRDB
import RelaisCore
import RelaisHarness
@testable import RelaisStore
import RelaisTestSupport
import Synchronization
import Testing

/// Persons' files read on other threads while the replica writes (`PersonViews` is Sendable).
@Suite struct ConcurrentReadTests {
    @Test func readersSeeWholeWritesWhileTheWriterGoesOn() throws {
        let folder = TemporaryFolder()
        let replica = try Replica.create(
            folder: folder.path + "/data", deviceName: "r", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        let views = replica.views
        let written = 120
        let done = Atomic(false)
        let failures = Mutex<[String]>([])
        let readers = DispatchGroup()
        for _ in 0..<3 {
            DispatchQueue.global().async(group: readers) {
                var seen = 0
                while !done.load(ordering: .acquiring) {
                    do {
                        let found = try views.searchPersons("martin")
                        if found.count < seen {
                            failures.withLock { $0.append("search went back from \(seen) to \(found.count)") }
                        }
                        seen = found.count
                        if let last = found.last {
                            let file = try views.personFile(last.id)
                            if !file.fields.contains(where: { $0.name == "given_names" && !$0.values.isEmpty }) {
                                failures.withLock { $0.append("a file read half written: \(last.id)") }
                            }
                        }
                    } catch {
                        failures.withLock { $0.append("\(error)") }
                    }
                }
            }
        }
        for index in 0..<written { try replica.addPerson(["family_name=Martin", "given_names=Awa \(index)"]) }
        done.store(true, ordering: .releasing)
        readers.wait()
        #expect(failures.withLock { $0 } == [])
        #expect(try views.searchPersons("martin").count == written)
    }

    @Test func aKeyUnwrappedFromASnapshotTakenBeforeAnErasureIsNotKept() throws {
        let folder = TemporaryFolder()
        let replica = try Replica.create(
            folder: folder.path + "/data", deviceName: "r", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        let person = try replica.addPerson(["family_name=Diallo"])
        let views = replica.views
        let snapshotTaken = DispatchSemaphore(value: 0)
        let erased = DispatchSemaphore(value: 0)
        let readers = DispatchGroup()
        let unwrapped = Atomic(false)
        DispatchQueue.global().async(group: readers) {
            try? views.database.read { db in
                // The first statement fixes the reader's snapshot: the person is not erased in it.
                _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM person_keys")
                snapshotTaken.signal()
                erased.wait()
                _ = try views.records.personKeys.cipher(for: person, db)
                unwrapped.store(true, ordering: .releasing)
            }
        }
        snapshotTaken.wait()
        // The erasure's change alone: its checkpoint would wait for the reader to finish.
        try replica.writes.erase(person.hex)
        erased.signal()
        readers.wait()
        let readOldSnapshot = unwrapped.load(ordering: .acquiring)
        #expect(readOldSnapshot, "the old snapshot still holds the wrapped key")
        let error = #expect(throws: StoreError.self) {
            try views.database.read { db in _ = try views.records.personKeys.cipher(for: person, db) }
        }
        guard case .erased = error else {
            Issue.record("expected .erased, got \(String(describing: error))")
            return
        }
    }
}

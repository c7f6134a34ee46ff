import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Ids typed by hand: a prefix too short or not hexadecimal says what an id is; an ambiguous one
/// says how many records it matches.
@Suite struct RecordLookupTests {
    /// Three persons whose ids share their first 8 hex digits.
    func replicaWithLookalikes() throws -> (Replica, [RecordID]) {
        var next: UInt64 = 0
        let replica = try Replica.inMemory(
            keyring: .generate(deviceName: "k"),
            wallClock: TestClock.machine,
            makeIdentifier: {
                next += 1
                return Identifier128(high: 0xABCD_EF01_0000_0000 | next, low: next)
            })
        let ids = try (0..<3).map { _ in try replica.addPerson(["family_name=Dupont"]) }
        return (replica, ids)
    }

    @Test func aShortOrNonHexPrefixSaysWhatAnIdIs() throws {
        let (replica, _) = try replicaWithLookalikes()
        for typed in ["abcde", "abcdeg", "Dupont"] {
            let error = #expect(throws: StoreError.self) { try replica.personFile(typed) }
            #expect(error?.description.contains("at least its first 6 characters") == true, "\(String(describing: error))")
            #expect(error?.isBadInput == true)
        }
    }

    @Test func anAmbiguousPrefixCountsEveryMatch() throws {
        let (replica, ids) = try replicaWithLookalikes()
        let error = #expect(throws: StoreError.self) { try replica.personFile(String(ids[0].hex.prefix(8))) }
        #expect(error?.description.contains("matches 3 records") == true, "\(String(describing: error))")
    }
}

import RelaisCore
import RelaisHarness
@testable import RelaisStore
import RelaisTestSupport
import Testing

@Suite struct SearchTests {
    @Test func searchIgnoresAccentsAndCaseAndMatchesPrefixes() throws {
        let replica = try Replica.inMemory(keyring: Keyring.generate(deviceName: "s"), wallClock: TestClock.machine)
        let elodie = try replica.addPerson(["family_name=Diallo", "given_names=Élodie Marie"]).hex
        try replica.addPerson(["family_name=NGUYỄN", "given_names=Văn"])
        try replica.addPerson(["family_name=Kovač", "aliases=Kovacs"])
        #expect(try replica.searchPersons("elo").map(\.id) == [elodie])
        #expect(try replica.searchPersons("ÉLO dia").map(\.id) == [elodie])
        #expect(try replica.searchPersons("marie").map(\.id) == [elodie])
        #expect(try replica.searchPersons("nguyen").count == 1)
        #expect(try replica.searchPersons("kovac").count == 1)
        #expect(try replica.searchPersons("kovacs").count == 1)
        #expect(try replica.searchPersons("xyz").isEmpty)
        #expect(try replica.searchPersons("elodiemarieverylongname").isEmpty)
        #expect(throws: StoreError.self) { try replica.searchPersons("  -- ") }
    }

    @Test func renamingUpdatesTheIndex() throws {
        let replica = try Replica.inMemory(keyring: Keyring.generate(deviceName: "s"), wallClock: TestClock.machine)
        let person = try replica.addPerson(["family_name=Durand"]).hex
        try replica.updatePerson(person, set: ["family_name=Leroy"], unset: [])
        #expect(try replica.searchPersons("dur").isEmpty)
        #expect(try replica.searchPersons("ler").map(\.id) == [person])
    }

    @Test func aMergedDuplicateIsFoundUnderTheKeptPerson() throws {
        let replica = try Replica.inMemory(keyring: Keyring.generate(deviceName: "s"), wallClock: TestClock.machine)
        let keep = try replica.addPerson(["family_name=Ahmed"]).hex
        let duplicate = try replica.addPerson(["family_name=Ahmad"]).hex
        try replica.merge(keep: keep, duplicate: duplicate)
        #expect(try replica.searchPersons("ahmad").map(\.id) == [keep])
    }
}

@Suite struct NameNormalizerTests {
    @Test("the ASCII shortcut splits and folds exactly as Foundation does")
    func asciiShortcutMatchesFoundation() {
        var generator = SeededGenerator(seed: 7)
        let alphabet = ([0x09] + Array(0x20...0x7E)).map { Unicode.Scalar(UInt8($0)) }
        for _ in 0..<2_000 {
            let text = String(
                String.UnicodeScalarView(
                    (0..<Int.random(in: 0...24, using: &generator)).map { _ in
                        alphabet.randomElement(using: &generator)!
                    }))
            #expect(NameNormalizer.asciiWords(text) == NameNormalizer.foldedWords(text), "\(text)")
        }
        #expect(NameNormalizer.words("Élodie NGUYỄN") == ["elodie", "nguyen"])
        #expect(NameNormalizer.words("Jean-Pierre O'Brien 2") == ["jean", "pierre", "o", "brien", "2"])
    }
}

import Foundation
@testable import RelaisApp
import RelaisStore
import Testing

/// Probable duplicates: the same name once accents, case and order are set aside, with no two
/// different years of birth; or the same phone number however it was typed.
@Suite struct DuplicatesTests {
    private func person(_ id: String, _ family: String, _ given: String, born: String? = nil) throws -> PersonSummary {
        var fields: [String: Any] = [
            "id": id, "familyName": family, "givenNames": given, "inConflict": false, "damaged": false,
        ]
        fields["birthDate"] = born
        return try JSONDecoder().decode(PersonSummary.self, from: JSONSerialization.data(withJSONObject: fields))
    }

    @Test func sameNameInAnotherOrderAndWithoutAccentsIsAPair() throws {
        let persons = [
            try person("a", "Ionescu", "Élena", born: "1988"), try person("b", "elena", "IONESCU", born: "1988-03"),
            try person("c", "Ionescu", "Elena", born: "1990"),
        ]
        let pairs = Duplicates.pairs(in: persons, phones: [:])
        #expect(pairs.map { [$0.first.id, $0.second.id] } == [["a", "b"]])
        #expect(pairs.first?.reason == .name)
    }

    @Test func theSamePhoneTypedTwoWaysIsAPairWhateverTheNames() throws {
        let persons = [
            try person("a", "Diallo", "Mamadou"), try person("b", "Dialo", "Mamadou"), try person("c", "Traoré", "Awa"),
        ]
        let phones = ["a": ["06 12 34 56 78"], "b": ["+33 6 12.34.56.78"], "c": ["06 12 34 56 79"]]
        let pairs = Duplicates.pairs(in: persons, phones: phones)
        #expect(pairs.map { [$0.first.id, $0.second.id] } == [["a", "b"]])
        #expect(pairs.first?.reason == .phone)
    }

    @Test func aPairFoundTwiceIsListedOnceAndShortNumbersMatchNothing() throws {
        let persons = [try person("a", "Rus", "Ana", born: "1970"), try person("b", "Rus", "Ana", born: "1970")]
        let same = Duplicates.pairs(in: persons, phones: ["a": ["0612345678"], "b": ["06 12 34 56 78"]])
        #expect(same.count == 1)
        let short = [try person("a", "Rus", "Ana", born: "1970"), try person("b", "Pop", "Ion")]
        #expect(Duplicates.pairs(in: short, phones: ["a": ["15"], "b": ["15"]]).isEmpty)
    }
}

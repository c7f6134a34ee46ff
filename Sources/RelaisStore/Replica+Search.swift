import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

extension Replica {
    static let nameFields = ["family_name", "given_names", "aliases"]

    /// Persons whose names have words starting with every word of `query`.
    ///
    /// The index holds keyed hashes of name prefixes, never the names: candidates come from it,
    /// then are confirmed against the decrypted names (which also covers words longer than the
    /// indexed prefixes).
    public func searchPersons(_ query: String) throws(StoreError) -> [PersonSummary] {
        let queryWords = NameNormalizer.words(query)
        guard !queryWords.isEmpty else { throw .invalidWrite("the search needs at least one letter or digit") }
        return try read { db in
            var candidates: Set<RecordID>?
            for word in queryWords {
                let token = searchToken(String(word.prefix(Limits.searchPrefixCharactersMax)))
                let persons = try Data.fetchAll(
                    db, sql: "SELECT person FROM search_tokens WHERE token = ?", arguments: [Data(token)])
                let found = try Set(persons.map { try RecordID(blob: $0) })
                candidates = candidates.map { $0.intersection(found) } ?? found
            }
            let groups = try mergeGroups(db)
            var matches: Set<RecordID> = []
            for person in candidates ?? [] {
                // A name that cannot be read is shown as damaged: its index entries matched.
                guard let words = try? nameWords(of: person, db) else {
                    matches.insert(groups.root(of: person))
                    continue
                }
                if queryWords.allSatisfy({ query in words.contains { $0.hasPrefix(query) } }) {
                    matches.insert(groups.root(of: person))
                }
            }
            return matches.sorted().map { summaryOrDamage(of: $0, groups: groups, db) }
        }
    }

    func refreshSearchTokens(of person: RecordID, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM search_tokens WHERE person = ?").execute(arguments: [person.blob])
        var tokens: Set<[UInt8]> = []
        for word in try nameWords(of: person, db) {
            let characters = Array(word.prefix(Limits.searchPrefixCharactersMax))
            for length in 1...characters.count { tokens.insert(searchToken(String(characters[..<length]))) }
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO search_tokens (token, person) VALUES (?, ?)")
        for token in tokens { try insert.execute(arguments: [Data(token), person.blob]) }
    }

    /// Every word of every live value of the person's name fields, conflicting spellings included.
    private func nameWords(of person: RecordID, _ db: Database) throws -> [String] {
        var words: [String] = []
        for field in Self.nameFields {
            for candidate in try readRegister(person, person: person, type: "person", field: field, db).candidates {
                if case .text(let text)? = candidate.value { words += NameNormalizer.words(text) }
            }
        }
        return words
    }

    private func searchToken(_ prefix: String) -> [UInt8] {
        Hash.keyed(Array("relais.search.v1|\(prefix)".utf8), key: keyring.searchKey, outputBytes: 16)
    }
}

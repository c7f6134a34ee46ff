import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

extension PersonViews {
    /// Persons whose names have words starting with every word of `query`.
    ///
    /// The index holds keyed hashes of name prefixes, never the names: candidates come from it,
    /// then are confirmed against the decrypted names (which also covers words longer than the
    /// indexed prefixes).
    public func searchPersons(_ query: String) throws(StoreError) -> [PersonSummary] {
        let queryWords = NameNormalizer.words(query)
        guard !queryWords.isEmpty else { throw .invalidWrite("the search needs at least one letter or digit") }
        return try database.reading { db in
            var candidates: Set<RecordID>?
            for word in queryWords {
                let found = try indexes.persons(withWordStarting: word, db)
                candidates = candidates.map { $0.intersection(found) } ?? found
            }
            let groups = try records.mergeGroups(db)
            var matches: Set<RecordID> = []
            for person in candidates ?? [] {
                // A name that cannot be read is shown as damaged: its index entries matched.
                guard let words = try? indexes.nameWords(of: person, db) else {
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
}

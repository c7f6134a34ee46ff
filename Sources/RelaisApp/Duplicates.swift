import Foundation
import RelaisStore

/// Probable duplicates: two files whose names read the same once accents, case and word order
/// are set aside, and whose years of birth do not differ (or one is unknown).
enum Duplicates {
    struct Pair: Sendable {
        let first: PersonSummary
        let second: PersonSummary
    }

    static func pairs(in persons: [PersonSummary]) -> [Pair] {
        let named = persons.filter { !$0.damaged && ($0.familyName != nil || $0.givenNames != nil) }
        let groups = Dictionary(grouping: named, by: key)
        return groups.values.filter { $0.count > 1 }.flatMap { group in
            group.indices.flatMap { i in
                group[(i + 1)...].compactMap { other in
                    let years = [group[i].birthDate, other.birthDate].compactMap { $0?.prefix(4) }
                    return years.count < 2 || years[0] == years[1] ? Pair(first: group[i], second: other) : nil
                }
            }
        }.sorted { ($0.first.familyName ?? "", $0.first.id) < ($1.first.familyName ?? "", $1.first.id) }
    }

    private static func key(_ person: PersonSummary) -> String {
        let words = [person.familyName, person.givenNames].compactMap { $0 }.joined(separator: " ")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.sorted().joined(separator: " ")
    }
}

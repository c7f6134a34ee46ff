import Foundation
import RelaisStore

/// Probable duplicates: two files whose names read the same once accents, case and word order
/// are set aside, and whose years of birth do not differ (or one is unknown); or two files
/// holding the same phone number, however it was typed.
enum Duplicates {
    enum Reason: Sendable { case name, phone }

    struct Pair: Sendable {
        let first: PersonSummary
        let second: PersonSummary
        let reason: Reason
    }

    /// `phones` holds each person's numbers as typed (a field in conflict may hold several).
    static func pairs(in persons: [PersonSummary], phones: [String: [String]]) -> [Pair] {
        let readable = persons.filter { !$0.damaged }
        let named = readable.filter { $0.familyName != nil || $0.givenNames != nil }
        let byName = Dictionary(grouping: named, by: nameKey).values.flatMap { group in
            pairs(of: group, reason: .name).filter { pair in
                let years = [pair.first.birthDate, pair.second.birthDate].compactMap { $0?.prefix(4) }
                return years.count < 2 || years[0] == years[1]
            }
        }
        var byPhone: [String: [PersonSummary]] = [:]
        for person in readable {
            for number in Set((phones[person.id] ?? []).compactMap(phoneKey)) { byPhone[number, default: []].append(person) }
        }
        var seen = Set(byName.map { [$0.first.id, $0.second.id] })
        let phonePairs = byPhone.values.flatMap { pairs(of: $0, reason: .phone) }.filter {
            seen.insert([$0.first.id, $0.second.id]).inserted
        }
        return (byName + phonePairs).sorted {
            ($0.first.familyName ?? "", $0.first.id, $0.second.id) < ($1.first.familyName ?? "", $1.first.id, $1.second.id)
        }
    }

    private static func pairs(of group: [PersonSummary], reason: Reason) -> [Pair] {
        let ordered = group.sorted { $0.id < $1.id }
        return ordered.indices.flatMap { i in
            ordered[(i + 1)...].map { Pair(first: ordered[i], second: $0, reason: reason) }
        }
    }

    private static func nameKey(_ person: PersonSummary) -> String {
        let words = [person.familyName, person.givenNames].compactMap { $0 }.joined(separator: " ")
            .folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .split(whereSeparator: { !$0.isLetter && !$0.isNumber })
        return words.sorted().joined(separator: " ")
    }

    /// The digits of a number, a French international prefix read as the leading 0; nil when too
    /// short to tell two people apart (a "15" or a half-typed number).
    private static func phoneKey(_ typed: String) -> String? {
        var digits = typed.filter(\.isASCII).filter(\.isNumber)
        for prefix in ["0033", "33"] where digits.hasPrefix(prefix) && digits.count == prefix.count + 9 {
            digits = "0" + digits.dropFirst(prefix.count)
        }
        return digits.count >= 8 ? digits : nil
    }
}

import Foundation
import RelaisCore
import RelaisStore

/// How values read in French: dates as they were entered (`12/03/2024`, `mars 2024`, `2024`),
/// codes through the schema's labels, yes and no as Oui and Non.
struct FrenchText {
    let labels: SchemaLabels

    static let months = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ]

    /// A partial date as stored (`2024-03-12`, `2024-03`, `2024`).
    static func date(_ text: String) -> String {
        let parts = text.split(separator: "-").map(String.init)
        switch parts.count {
        case 3: return "\(parts[2])/\(parts[1])/\(parts[0])"
        case 2: return Int(parts[1]).flatMap { months.indices.contains($0 - 1) ? "\(months[$0 - 1]) \(parts[0])" : nil } ?? text
        default: return text
        }
    }

    /// A moment as the store writes it (ISO 8601 with its offset); nil for other text.
    static func instant(_ text: String) -> Date? { try? Date(text, strategy: Date.ISO8601FormatStyle(timeZone: .current)) }

    /// Orders moments as the store writes them: the offset may differ across a change of time, so
    /// their text does not sort. No moment comes first.
    static func isEarlier(_ first: String?, _ second: String?) -> Bool {
        (first.flatMap(instant) ?? .distantPast) < (second.flatMap(instant) ?? .distantPast)
    }

    /// A moment as the store writes it (ISO 8601 with its offset), in the laptop's time zone.
    static func moment(_ text: String) -> String {
        guard let date = instant(text) else { return text }
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(
            format: "%02d/%02d/%04d à %02dh%02d", parts.day ?? 0, parts.month ?? 0, parts.year ?? 0, parts.hour ?? 0,
            parts.minute ?? 0)
    }

    /// How long ago a moment was, in words (« à l'instant », « il y a 3 h », « hier à 14h05 »), and
    /// the date beyond a week.
    static func since(_ text: String, now: Date = Date()) -> String {
        guard let date = instant(text) else { return text }
        let minutes = Int(now.timeIntervalSince(date) / 60)
        let calendar = Calendar.current
        let days =
            calendar.dateComponents([.day], from: calendar.startOfDay(for: date), to: calendar.startOfDay(for: now)).day ?? 0
        let time = moment(text).components(separatedBy: " à ").last ?? ""
        switch (minutes, days) {
        case (..<1, _): return "à l'instant"
        case (..<60, 0): return "il y a \(minutes) min"
        case (_, 0): return "il y a \(minutes / 60) h"
        case (_, 1): return "hier à \(time)"
        case (_, 2...6): return "il y a \(days) jours"
        default: return "le \(moment(text))"
        }
    }

    /// Today on this laptop, as a date is typed in a form (`04/12/2026`).
    static func today() -> String { date(LocalTime.day()) }

    /// A field's label, after its group's for the fields of a group ("AME : état des droits").
    func label(field: String, of type: String) -> String {
        let label = labels.label(field: field, of: type)
        guard let group = labels.fields[type]?[field]?.group, let groupLabel = labels.groups[group] else { return label }
        return "\(groupLabel) : \(label.prefix(1).lowercased() + label.dropFirst())"
    }

    /// One stored value of `field` of a record of `type`, as a person reads it.
    func value(_ text: String, field: FieldSchema, type: String) -> String {
        switch field.kind {
        case .date: Self.date(text)
        case .boolean: labels.booleans[text == "yes" ? "true" : "false"] ?? text
        case .enumeration, .enumSet: labels.label(value: text, field: field.name, of: type)
        // A reference names a record by its id, which the app never shows.
        case .reference: labels.booleans["true"] ?? text
        default: text
        }
    }

    /// Every value of a field, a set's elements joined.
    func values(_ texts: [String], field: FieldSchema, type: String) -> String {
        texts.map { value($0, field: field, type: type) }.joined(separator: ", ")
    }
}

import Foundation
import RelaisCore
import RelaisStore

/// Plain-text renderings for people; `--json` prints the same values for programs.
enum TextFormat {
    static func personFile(_ file: PersonFile) -> String {
        var text = "Person \(file.id)\n"
        if !file.mergedFrom.isEmpty { text += "  (duplicates merged in: \(file.mergedFrom.joined(separator: ", ")))\n" }
        if !file.careTeams.isEmpty { text += "  (care teams: \(file.careTeams.joined(separator: ", ")))\n" }
        if file.incomplete { text += "  ⚠ INCOMPLETE: some of this file has not reached this device yet; sync with the hub\n" }
        if file.newer {
            text += "  ⚠ NEWER DATA: this file holds data a newer version of Relais shows; update Relais to see it\n"
        }
        text += fields(file.fields, indent: "  ")
        for linked in file.linked { text += record(linked) }
        return text
    }

    static func record(_ record: RecordView) -> String {
        guard !record.damaged else { return "Record \(record.id)  ⚠ DAMAGED: cannot be read; run 'relais check'\n" }
        let newer = record.newer ? "  ⚠ holds data a newer version of Relais shows" : ""
        let type = record.type.prefix(1).uppercased() + String(record.type.dropFirst().map { $0 == "_" ? " " : $0 })
        return "\(type) \(record.id)\(newer)\n" + fields(record.fields, indent: "  ")
    }

    private static func fields(_ fields: [FieldView], indent: String) -> String {
        let width = (fields.map(\.name.count).max() ?? 0) + 2
        var text = ""
        for field in fields {
            let name = field.name.padding(toLength: width, withPad: " ", startingAt: 0)
            var value = field.values.map(visible).joined(separator: ", ")
            if field.unreadable { value += " [some values are unreadable: damaged or tampered data]" }
            if field.inConflict { value += "   ⚠ CONFLICT, settle with 'relais conflicts resolve'" }
            text += "\(indent)\(name)\(value)\n"
            for candidate in field.candidates {
                text +=
                    "\(indent)\(String(repeating: " ", count: width))  - \(candidate.value.map(visible) ?? "(cleared)")"
                    + "  by \(candidate.device) at \(candidate.writtenAt)\n"
            }
        }
        return text
    }

    static func summaries(_ persons: [PersonSummary]) -> String {
        guard !persons.isEmpty else { return "No person found.\n" }
        return persons.map { person in
            let name = [person.familyName, person.givenNames].compactMap(\.self).map(visible).joined(separator: ", ")
            let birth = person.birthDate.map { "  born \(visible($0))" } ?? ""
            let conflict = person.inConflict ? "  ⚠ conflict" : ""
            guard !person.damaged else { return "\(person.id)  ⚠ DAMAGED: this file cannot be read; run 'relais check'\n" }
            return "\(person.id)  \(name.isEmpty ? "(no name)" : name)\(birth)\(conflict)\n"
        }.joined()
    }

    static func conflicts(_ conflicts: [ConflictView]) -> String {
        guard !conflicts.isEmpty else { return "No conflict.\n" }
        return conflicts.map { conflict in
            "\(conflict.type) \(conflict.record)  \(conflict.field):\n"
                + conflict.candidates.map { "  - \($0.value.map(visible) ?? "(cleared)")  by \($0.device) at \($0.writtenAt)\n" }
                .joined()
        }.joined()
    }

    static func changeLog(_ log: ChangeLogView) -> String {
        var text = "Device \(log.device)\nVersion vector: "
        text += log.vector.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ") + "\n"
        if log.pending > 0 { text += "\(log.pending) change(s) waiting for their predecessors\n" }
        for device in log.skewedDevices {
            text +=
                "⚠ device \(device.device) has a clock \(device.aheadSeconds) s ahead (seen \(device.seenAt)); its clock is not followed\n"
        }
        for change in log.changes {
            let redacted = change.redacted > 0 ? ", \(change.redacted) redacted (erased person)" : ""
            text += "\(change.origin)#\(change.sequence)  \(change.writtenAt)  \(change.operations) operation(s)\(redacted)\n"
        }
        return text
    }

    /// `text` as it may be printed to a terminal: control characters (escape sequences, carriage
    /// returns, line breaks) and bidirectional overrides, which a synced value could use to rewrite
    /// what a teammate's terminal shows, are written as `\u{…}`.
    static func visible(_ text: String) -> String {
        var shown = ""
        for scalar in text.unicodeScalars {
            let isBidiControl =
                (0x200E...0x200F).contains(scalar.value) || (0x202A...0x202E).contains(scalar.value)
                || (0x2066...0x2069).contains(scalar.value)
            if scalar.properties.generalCategory == .control || isBidiControl {
                shown += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    static func schema(_ schema: Schema) -> String {
        var text = "Record schema version \(schema.version)\n"
        for type in schema.recordTypes {
            let kind = type.isOrganisation ? " (of the whole team)" : type.linkedTo.map { " (linked to a \($0))" } ?? ""
            text += "\n\(type.name)\(kind)\(type.since.map { ", since version \($0)" } ?? "")\n"
            for field in type.fields {
                var notes = field.since.flatMap { type.since == nil ? ", since version \($0)" : nil } ?? ""
                if let deprecated = field.deprecated {
                    notes += ", no longer written since version \(deprecated)" + (field.replacedBy.map { ": see \($0)" } ?? "")
                }
                text += "  \(field.name): \(describe(field)) [\(field.sensitivity.rawValue)]\(notes)\n"
            }
        }
        text += "\nwritten by Relais itself\n"
        for field in schema.systemFields { text += "  \(field.token): \(field.meaning)\n" }
        return text
    }

    private static func describe(_ field: FieldSchema) -> String {
        switch field.kind {
        case .text: field.format == .time ? "time of day (14:30 or 14h30)" : "text"
        case .date: "date (YYYY-MM-DD, YYYY-MM or YYYY)"
        case .boolean: "yes/no"
        case .integer: "whole number \(field.minimum ?? 0)–\(field.maximum ?? 0)"
        case .reference: "id of a \(field.target ?? "record")"
        case .enumeration: "one of " + (field.values ?? []).joined(separator: ", ")
        case .enumSet: "any of " + (field.values ?? []).joined(separator: ", ")
        }
    }
}

import Foundation
import RelaisCore
import RelaisStore

/// Input: one mode byte, then either a schema document (JSON) to decode and validate (even
/// modes), or a `FIELD=VALUE` assignment for the record type the mode names (odd modes).
enum SchemaTarget {
    static func run(_ input: [UInt8]) -> FuzzOutcome {
        guard let mode = input.first else { return .rejected }
        let rest = Data(input.dropFirst())
        if mode & 1 == 0 {
            guard let schema = try? JSONDecoder().decode(Schema.self, from: rest), (try? schema.validate()) != nil else {
                return .rejected
            }
            return .accepted
        }
        let types = Schema.bundled.recordTypes
        let type = types[Int(mode >> 1) % types.count].name
        guard let text = String(data: rest, encoding: .utf8),
            (try? Schema.bundled.parseAssignment(text, type: type)) != nil
        else { return .rejected }
        return .accepted
    }

    static func seeds() -> [[UInt8]] {
        let types = Schema.bundled.recordTypes
        var seeds = [[0] + Array((try? JSONEncoder().encode(Schema.bundled)) ?? Data())]
        for (index, type) in types.enumerated() {
            for field in type.fields {
                seeds.append([UInt8(index << 1 | 1)] + Array("\(field.name)=\(example(of: field))".utf8))
            }
        }
        return seeds
    }

    /// A value a person could type for `field`.
    private static func example(of field: FieldSchema) -> String {
        switch field.kind {
        case .text: "Mme Dubois, 3 rue des Lilas"
        case .date: "2026-11-02"
        case .boolean: "yes"
        case .integer: String(field.minimum ?? 0)
        case .enumeration: field.values?.first ?? ""
        case .enumSet: (field.values ?? []).prefix(2).joined(separator: ", ")
        case .reference: String(repeating: "0f", count: 16)
        }
    }
}

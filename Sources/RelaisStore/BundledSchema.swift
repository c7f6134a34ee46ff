import Foundation
import RelaisCore

extension Schema {
    /// The record schema shipped with this program (`Schema/records.v2.json`).
    /// - Precondition: the bundled file decodes and validates; a broken build must not start.
    public static let bundled: Schema = {
        let schema: Schema = BundledData.decode("records.v2")
        do {
            try schema.validate()
        } catch {
            preconditionFailure("the bundled record schema is invalid: \(error)")
        }
        return schema
    }()
}

extension SchemaLabels {
    /// The French labels of the bundled schema (`Schema/records.v2.fr.json`), for the app.
    /// - Precondition: they name every code of the schema and no other.
    public static let french: SchemaLabels = {
        let labels: SchemaLabels = BundledData.decode("records.v2.fr")
        let mismatches = labels.mismatches(with: .bundled)
        guard mismatches.isEmpty else {
            preconditionFailure("the bundled French labels do not match the schema: \(mismatches.joined(separator: ", "))")
        }
        return labels
    }()
}

private enum BundledData {
    static func decode<Value: Decodable>(_ name: String) -> Value {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json"), let data = try? Data(contentsOf: url) else {
            preconditionFailure("the bundled \(name).json is missing")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: data)
        } catch {
            preconditionFailure("the bundled \(name).json does not decode: \(error)")
        }
    }
}

import Foundation
import RelaisCore

extension Schema {
    /// The record schema shipped with this program (`Schema/records.v1.json`).
    /// - Precondition: the bundled file decodes and validates; a broken build must not start.
    public static let bundled: Schema = {
        guard let url = Bundle.module.url(forResource: "records.v1", withExtension: "json"),
            let data = try? Data(contentsOf: url)
        else { preconditionFailure("the bundled record schema is missing") }
        do {
            let schema = try JSONDecoder().decode(Schema.self, from: data)
            try schema.validate()
            return schema
        } catch {
            preconditionFailure("the bundled record schema is invalid: \(error)")
        }
    }()
}

import Foundation
import RelaisCore

extension Schema {
    /// The record schema of version 1, as nodes not yet updated still ship it: kept as it was
    /// released, so that mixed-version tests show what such a node does with newer data.
    public static let version1: Schema = {
        guard let url = Bundle.module.url(forResource: "records.v1", withExtension: "json", subdirectory: "Fixtures"),
            let data = try? Data(contentsOf: url), let schema = try? JSONDecoder().decode(Schema.self, from: data)
        else { preconditionFailure("the version 1 schema fixture is missing or broken") }
        return schema
    }()
}

import RelaisCore
@testable import RelaisStore
import Testing

/// A second implementation learns every token it must know from `relais schema --json`.
@Suite struct SystemFieldTests {
    @Test func theSchemaNamesEveryTokenTheStoreWrites() {
        let tokens = Set(Schema.bundled.systemFields.map(\.token))
        #expect(tokens == ["record.\(PersonCipher.typeField)", "person.\(PersonCipher.mergedIntoField)"])
    }
}

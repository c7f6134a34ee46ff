import RelaisCrypto
import RelaisStore
import Testing

/// An invitation code is read out by an admin and typed by someone else: the app shows it in groups
/// of four, and `join` must take it back in that form.
@Suite struct InviteTokenTests {
    let token = "0123456789abcdef-00112233445566778899aabbccddeeff"

    @Test func theCodeTypedInGroupsAndCapitalsIsTheSameToken() throws {
        let typed = "0123 4567 89AB CDEF - 0011 2233 4455 6677\t8899 aabb ccdd eeff\n"
        let (id, key) = try Replica.parseToken(token)
        let (typedID, typedKey) = try Replica.parseToken(typed)
        #expect(typedID == id)
        #expect(typedKey.withUnsafeBytes { Array($0) } == key.withUnsafeBytes { Array($0) })
    }

    @Test func aCodeWithADigitMissingIsRefused() {
        #expect(throws: StoreError.self) {
            try Replica.parseToken("0123 4567 89ab cde - 0011 2233 4455 6677 8899 aabb ccdd eeff")
        }
    }
}

import CSodium
import RelaisCore

/// Randomness for ids, salts and keys, from the operating system through libsodium.
public enum RandomBytes {
    public static func make(count: Int) -> [UInt8] {
        Sodium.ensureReady()
        var bytes = [UInt8](repeating: 0, count: count)
        randombytes_buf(&bytes, count)
        return bytes
    }

    public static func identifier() -> Identifier128 {
        Identifier128(bytes: make(count: 16))
    }
}

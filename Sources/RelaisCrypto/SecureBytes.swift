import CSodium

/// Secret bytes in sodium-guarded memory: guard pages, locked out of swap, zeroed when freed.
///
/// Keys live only here; they are copied into ordinary arrays never, and into libsodium calls
/// through `withUnsafeBytes` only.
public final class SecureBytes: @unchecked Sendable {
    private let pointer: UnsafeMutableRawPointer
    public let count: Int

    /// - Precondition: `count > 0`.
    public init(count: Int) {
        precondition(count > 0, "secure memory needs at least one byte")
        Sodium.ensureReady()
        guard let pointer = sodium_malloc(count) else { fatalError("out of secure memory") }
        self.pointer = pointer
        self.count = count
        sodium_memzero(pointer, count)
    }

    /// Copies `bytes`, then wipes the caller's buffer so the secret exists in one place only.
    public convenience init(consuming bytes: inout [UInt8]) {
        self.init(count: bytes.count)
        bytes.withUnsafeMutableBytes { source in
            pointer.copyMemory(from: source.baseAddress!, byteCount: count)
            sodium_memzero(source.baseAddress, source.count)
        }
    }

    /// Fresh random bytes, as for a new key.
    public static func random(count: Int) -> SecureBytes {
        let secret = SecureBytes(count: count)
        randombytes_buf(secret.pointer, count)
        return secret
    }

    deinit {
        sodium_free(pointer)
    }

    public func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The bytes as libsodium's C signatures take them.
    func withBytePointer<Result>(_ body: (UnsafePointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(pointer.assumingMemoryBound(to: UInt8.self))
    }

    func withMutableBytePointer<Result>(_ body: (UnsafeMutablePointer<UInt8>) throws -> Result) rethrows -> Result {
        try body(pointer.assumingMemoryBound(to: UInt8.self))
    }

    /// Constant-time comparison.
    public func isEqual(to other: SecureBytes) -> Bool {
        count == other.count && sodium_memcmp(pointer, other.pointer, count) == 0
    }
}

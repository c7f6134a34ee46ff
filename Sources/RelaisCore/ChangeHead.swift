/// Which change a node holds under one (origin, sequence): the first bytes of its signature.
/// Two nodes holding different changes under one number (a device restored from a backup that
/// signed again, or a hostile one) see it by comparing heads, though their vectors agree.
public struct ChangeHead: Hashable, Sendable {
    /// Bytes of a head: the first 16 of the change's signature.
    public static let bytes = 16

    /// The origin whose last change this is.
    public let origin: DeviceID
    /// The number of that change.
    public let sequence: UInt64
    /// The first `bytes` of its signature: two changes under one number differ here.
    public let head: [UInt8]

    /// The head of the change numbered `sequence` of `origin`.
    public init(origin: DeviceID, sequence: UInt64, head: [UInt8]) {
        self.origin = origin
        self.sequence = sequence
        self.head = head
    }

    /// The head of `change`.
    public init(of change: Change) {
        self.init(origin: change.origin, sequence: change.sequence, head: Array(change.signature.prefix(Self.bytes)))
    }
}

/// Which change a node holds under one (origin, sequence): the first bytes of its signature.
/// Two nodes holding different changes under one number (a device restored from a backup that
/// signed again, or a hostile one) see it by comparing heads, though their vectors agree.
public struct ChangeHead: Hashable, Sendable {
    public static let bytes = 16

    public let origin: DeviceID
    public let sequence: UInt64
    public let head: [UInt8]

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

/// Summarises a replica: for each origin, the highest sequence number below which every change
/// of that origin has been applied.
public struct VersionVector: Hashable, Sendable {
    /// The highest change number held of each origin, without gap; origins absent are at 0.
    public private(set) var entries: [DeviceID: UInt64]

    /// A vector of `entries`; zero entries are dropped.
    public init(_ entries: [DeviceID: UInt64] = [:]) {
        self.entries = entries.filter { $0.value > 0 }
    }

    /// The highest change number of `origin` held, 0 for none.
    public subscript(origin: DeviceID) -> UInt64 {
        entries[origin] ?? 0
    }

    /// Whether the change `(origin, sequence)` is already covered.
    public func contains(origin: DeviceID, sequence: UInt64) -> Bool {
        self[origin] >= sequence
    }

    /// Raises the entry of `origin` to `sequence` if it is lower.
    public mutating func raise(_ origin: DeviceID, to sequence: UInt64) {
        if sequence > self[origin] { entries[origin] = sequence }
    }

    /// Origins in a stable order, so that encodings and printouts are deterministic.
    public var sortedEntries: [(origin: DeviceID, sequence: UInt64)] {
        entries.sorted { $0.key < $1.key }.map { (origin: $0.key, sequence: $0.value) }
    }
}

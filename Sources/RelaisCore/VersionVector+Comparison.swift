extension VersionVector {
    /// Whether every change covered by `other` is covered by `self`.
    public func dominates(_ other: VersionVector) -> Bool {
        other.entries.allSatisfy { self[$0.key] >= $0.value }
    }

    /// The pointwise maximum: what a replica covers after learning both.
    public func merging(_ other: VersionVector) -> VersionVector {
        var result = self
        for (origin, sequence) in other.entries { result.raise(origin, to: sequence) }
        return result
    }

    /// For each origin, the sequence numbers `self` holds and `other` lacks.
    public func missing(from other: VersionVector) -> [(origin: DeviceID, after: UInt64, through: UInt64)] {
        sortedEntries.compactMap { entry in
            let theirs = other[entry.origin]
            return entry.sequence > theirs ? (entry.origin, theirs, entry.sequence) : nil
        }
    }
}

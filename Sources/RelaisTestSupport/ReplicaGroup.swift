import RelaisCore
import RelaisStore

/// Several in-memory replicas of one team that trust each other's keys, and ways to deliver
/// changes between them in any order, with duplicates.
public final class ReplicaGroup {
    public let replicas: [Replica]
    public let clocks: [ManualWallClock]

    /// - Parameters:
    ///   - clockOffsets: milliseconds each replica's wall clock is off by (wrong laptop dates).
    ///   - schemas: the record schema of each replica (an older one: a node not yet updated);
    ///     the bundled one for the others.
    public init(count: Int, clockOffsets: [Int64] = [], schemas: [Schema] = []) throws {
        let first = Keyring.generate(deviceName: "replica-0")
        let keyrings = [first] + (1..<count).map { Keyring.generate(deviceName: "replica-\($0)", sharingTeamKeyOf: first) }
        clocks = (0..<count).map { index in
            let offset = index < clockOffsets.count ? clockOffsets[index] : 0
            return ManualWallClock(milliseconds: UInt64(1_790_000_000_000 + offset))
        }
        replicas = try zip(keyrings, clocks).enumerated().map { index, pair in
            try Replica.inMemory(
                keyring: pair.0, wallClock: pair.1.read, schema: index < schemas.count ? schemas[index] : .bundled)
        }
        for replica in replicas {
            for keyring in keyrings { try replica.trust(device: keyring.device, signingKey: keyring.signingPublicKey) }
        }
    }

    /// Delivers every change `source` holds to `target`, shuffled, some twice.
    public func deliverAll(from source: Int, to target: Int, using generator: inout SeededGenerator) throws {
        try deliver(try replicas[source].changes(missingFrom: VersionVector()), to: target, fraction: 1, using: &generator)
    }

    /// Delivers a random part of what `source` holds to `target`, shuffled, some twice.
    public func deliverSome(from source: Int, to target: Int, using generator: inout SeededGenerator) throws {
        let fraction = Double.random(in: 0.2...1, using: &generator)
        try deliver(try replicas[source].changes(missingFrom: VersionVector()), to: target, fraction: fraction, using: &generator)
    }

    private func deliver(_ changes: [Change], to target: Int, fraction: Double, using generator: inout SeededGenerator) throws {
        var batch = changes.filter { _ in Double.random(in: 0..<1, using: &generator) < fraction }
        batch += batch.filter { _ in Bool.random(using: &generator) }
        batch.shuffle(using: &generator)
        for change in batch { try replicas[target].apply(remote: change) }
    }

    /// Every replica receives everything from every other in random order with duplicates, then
    /// what it still lacks, until all agree.
    public func converge(using generator: inout SeededGenerator) throws {
        for source in replicas.indices {
            for target in replicas.indices where target != source {
                try deliverAll(from: source, to: target, using: &generator)
            }
        }
        for _ in 0..<2 {
            for source in replicas.indices {
                for target in replicas.indices where target != source {
                    let missing = try replicas[source].changes(missingFrom: replicas[target].versionVector)
                    try deliver(missing, to: target, fraction: 1, using: &generator)
                }
            }
        }
    }
}

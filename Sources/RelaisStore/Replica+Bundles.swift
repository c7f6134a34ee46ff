import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// What `bundle import` did.
public struct BundleImport: Codable, Sendable {
    public let changes: Int
    public let applied: Int
    public let alreadyHeld: Int
    public let waiting: Int
    public let refused: [String]
}

extension Replica {
    private static let bundleMagic = Array("RELAISBD".utf8)
    private static let bundleFormat: UInt8 = 2

    /// Remembers the vector a device said it holds, to prepare bundles for it.
    public func rememberVector(_ vector: VersionVector, of device: DeviceID) throws(StoreError) {
        try write { db in
            try PeerLedger.remember(vector, of: device, db)
            // A hub may now hold what a purge had to keep.
            try SQLiteReplicaStorage(db).finishPurges()
        }
    }

    /// The vector `device` last said it holds; empty if it never met this node.
    public func knownVector(of device: DeviceID) throws(StoreError) -> VersionVector {
        try read { db in try PeerLedger.vector(of: device, db) ?? VersionVector() }
    }

    /// Seals the changes `vector` lacks into a file for the team: readable only with the team key,
    /// each change still signed by its origin, redacted for `reader` as a session would (SPEC.md §14).
    /// - Returns: the number of changes written.
    public func exportBundle(missingFrom vector: VersionVector, for reader: ScopeReader, to path: String) throws(StoreError)
        -> Int
    {
        guard let team = try teamState else { throw .invalidWrite("bundles are for a team: join one first") }
        let batch = try self.batch(missingFrom: vector, for: reader)
        let header = bundleHeader(team: team.team, epoch: keyring.currentEpoch)
        try FileAccess.writeAtomically(
            header + AEAD.seal(Self.bundleContent(of: batch), key: keyring.currentTeamKey, associatedData: header), to: path)
        return batch.changes.count
    }

    /// What a bundle seals: a `u32` count, then each change length-prefixed; then the closures of
    /// the pruned devices among their origins, likewise.
    public static func bundleContent(of batch: ChangeBatch) -> [UInt8] {
        var content = BinaryWriter()
        content.write(UInt32(batch.changes.count))
        for change in batch.changes { content.writeLengthPrefixed(change.encoded) }
        content.write(UInt32(batch.closures.count))
        for closure in batch.closures { content.writeLengthPrefixed(closure.encoded) }
        return content.bytes
    }

    /// The changes and closures of an opened bundle's content, every one decoded before any is applied.
    public static func bundleChanges(decoding content: [UInt8]) throws(DecodingError) -> ChangeBatch {
        var reader = BinaryReader(content)
        let count = try reader.readCount(limit: Limits.bundleChangesMax, itemBytesMin: 4)
        let changes = try (0..<count).map { _ throws(DecodingError) in
            try Change(decoding: try reader.readLengthPrefixed(limit: RelaisCore.Limits.changeBytesMax))
        }
        let closures = try (0..<(try reader.readCount(limit: count, itemBytesMin: OriginClosure.encodedBytes))).map {
            _ throws(DecodingError) in
            try OriginClosure(decoding: try reader.readLengthPrefixed(limit: OriginClosure.encodedBytes))
        }
        try reader.expectEnd()
        return ChangeBatch(changes, closures: closures)
    }

    /// Opens a bundle and applies its changes with the same checks as a session.
    /// - Throws: `StoreError.invalidWrite` for a file that is not a bundle of this team, or fails to open.
    public func importBundle(from path: String) throws(StoreError) -> BundleImport {
        try importBatch(try openBundle(try FileAccess.read(path), named: path))
    }

    /// The changes and closures a bundle file holds, once it opens under a team key of this device.
    /// - Throws: `StoreError.invalidWrite` naming `path` for anything else.
    public func openBundle(_ bytes: [UInt8], named path: String) throws(StoreError) -> ChangeBatch {
        guard let team = try teamState else { throw .invalidWrite("bundles are for a team: join one first") }
        let headerBytes = Self.bundleMagic.count + 1 + 16 + 4
        guard bytes.count > headerBytes, Array(bytes.prefix(Self.bundleMagic.count)) == Self.bundleMagic,
            bytes[Self.bundleMagic.count] == Self.bundleFormat
        else { throw .invalidWrite("\(path) is not a Relais bundle") }
        var reader = BinaryReader(Array(bytes[(Self.bundleMagic.count + 1)..<headerBytes]))
        let batch: ChangeBatch
        do {
            guard TeamID(try reader.readIdentifier()) == team.team else {
                throw StoreError.invalidWrite("\(path) is a bundle of another team")
            }
            let epoch = try reader.readUInt32()
            guard let key = keyring.teamKeys[epoch] else {
                throw StoreError.invalidWrite("\(path) was sealed with a team key this device does not hold")
            }
            let header = Array(bytes.prefix(headerBytes))
            guard let content = try? AEAD.open(Array(bytes.dropFirst(headerBytes)), key: key, associatedData: header) else {
                throw StoreError.invalidWrite("\(path) is damaged or was altered; nothing was imported")
            }
            batch = try Self.bundleChanges(decoding: content)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .invalidWrite("\(path) is malformed: \(error)")
        }
        return batch
    }

    /// Applies an opened bundle's changes with the same checks as a session.
    public func importBatch(_ batch: ChangeBatch) throws(StoreError) -> BundleImport {
        try adoptClosures(batch.closures)
        let changes = batch.changes
        var counts = (applied: 0, held: 0, waiting: 0)
        var refused: [String] = []
        for change in changes {
            do {
                switch try apply(remote: change) {
                case .applied: counts.applied += 1
                case .alreadyApplied: counts.held += 1
                case .pending: counts.waiting += 1
                case .voided: refused.append("\(change.origin)#\(change.sequence): written after its author's revocation")
                case .equivocation:
                    refused.append("\(change.origin)#\(change.sequence): another change already holds this number (kept aside)")
                case .refused(let refusal): refused.append("\(change.origin)#\(change.sequence): \(refusal)")
                }
            } catch {
                refused.append("\(change.origin)#\(change.sequence): \(error)")
            }
        }
        return BundleImport(
            changes: changes.count, applied: counts.applied, alreadyHeld: counts.held, waiting: counts.waiting, refused: refused)
    }

    private func bundleHeader(team: TeamID, epoch: UInt32) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(Self.bundleMagic)
        writer.write(Self.bundleFormat)
        writer.write(team.value)
        writer.write(epoch)
        return writer.bytes
    }
}

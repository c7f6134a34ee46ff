import RelaisCore
import RelaisCrypto

/// Bundles: the changes a peer lacks, sealed under the team key in a file carried by hand (a USB
/// stick) where no session can run, and applied on arrival with a session's checks.
struct BundleFiles {
    let log: ChangeLog
    let keys: KeyringStore
    let team: TeamService

    /// Seals the changes `vector` lacks, redacted for `reader`, into `path`; returns their number.
    func export(missingFrom vector: VersionVector, for reader: ScopeReader, to path: String) throws(StoreError) -> Int {
        let keyring = keys.keyring
        let header = BundleFormat.header(team: try teamID(), epoch: keyring.currentEpoch)
        let batch = try log.batch(missingFrom: vector, for: reader, changesMax: .max, bytesMax: .max)
        try FileAccess.writeAtomically(
            header + AEAD.seal(BundleFormat.content(of: batch), key: keyring.currentTeamKey, associatedData: header), to: path)
        return batch.changes.count
    }

    /// The changes and closures a bundle file holds, once it opens under a team key of this device.
    /// - Throws: `StoreError.invalidWrite` naming `path` for anything else.
    func open(_ bytes: [UInt8], named path: String) throws(StoreError) -> ChangeBatch {
        let team = try teamID()
        let magic = BundleFormat.magic
        guard bytes.count > BundleFormat.headerBytes, Array(bytes.prefix(magic.count)) == magic,
            bytes[magic.count] == BundleFormat.version
        else { throw .invalidWrite("\(path) is not a Relais bundle") }
        var reader = BinaryReader(Array(bytes[(magic.count + 1)..<BundleFormat.headerBytes]))
        do {
            guard TeamID(try reader.readIdentifier()) == team else {
                throw StoreError.invalidWrite("\(path) is a bundle of another team")
            }
            guard let key = keys.keyring.teamKeys[try reader.readUInt32()] else {
                throw StoreError.invalidWrite("\(path) was sealed with a team key this device does not hold")
            }
            let header = Array(bytes.prefix(BundleFormat.headerBytes))
            guard let content = try? AEAD.open(Array(bytes.dropFirst(BundleFormat.headerBytes)), key: key, associatedData: header)
            else {
                throw StoreError.invalidWrite("\(path) is damaged or was altered; nothing was imported")
            }
            return try BundleFormat.batch(decoding: content)
        } catch let error as StoreError {
            throw error
        } catch {
            throw .invalidWrite("\(path) is malformed: \(error)")
        }
    }

    /// Applies an opened bundle's changes with the same checks as a session, one at a time: a
    /// change refused does not hold back the others.
    func apply(_ batch: ChangeBatch) throws(StoreError) -> BundleImport {
        try log.adoptClosures(batch.closures)
        var counts = (applied: 0, held: 0, waiting: 0)
        var refused: [String] = []
        for change in batch.changes {
            let name = "\(change.origin)#\(change.sequence)"
            do {
                switch try log.apply(remote: [change])[0] {
                case .applied: counts.applied += 1
                case .alreadyApplied: counts.held += 1
                case .pending: counts.waiting += 1
                case .voided: refused.append("\(name): written after its author's revocation")
                case .equivocation: refused.append("\(name): another change already holds this number (kept aside)")
                case .refused(let refusal): refused.append("\(name): \(refusal)")
                }
            } catch {
                refused.append("\(name): \(error)")
            }
        }
        return BundleImport(
            changes: batch.changes.count, applied: counts.applied, alreadyHeld: counts.held, waiting: counts.waiting,
            refused: refused)
    }

    private func teamID() throws(StoreError) -> TeamID {
        guard let state = try team.teamState else { throw .invalidWrite("bundles are for a team: join one first") }
        return state.team
    }
}

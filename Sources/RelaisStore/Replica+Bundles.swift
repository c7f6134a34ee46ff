import RelaisCore

/// What `bundle import` did.
public struct BundleImport: Codable, Sendable {
    public let changes: Int
    public let applied: Int
    public let alreadyHeld: Int
    public let waiting: Int
    public let refused: [String]
}

/// Bundles (`BundleFiles`), as the CLI and the tests call them on the replica.
extension Replica {
    /// Seals the changes `vector` lacks into a file for the team: readable only with the team key,
    /// each change still signed by its origin, redacted for `reader` as a session would (SPEC.md §14).
    /// - Returns: the number of changes written.
    public func exportBundle(missingFrom vector: VersionVector, for reader: ScopeReader, to path: String) throws(StoreError)
        -> Int
    {
        try bundles.export(missingFrom: vector, for: reader, to: path)
    }

    /// Opens a bundle and applies its changes with the same checks as a session.
    /// - Throws: `StoreError.invalidWrite` for a file that is not a bundle of this team, or fails to open.
    public func importBundle(from path: String) throws(StoreError) -> BundleImport {
        try bundles.apply(try bundles.open(try FileAccess.read(path), named: path))
    }

    /// The changes and closures a bundle file holds, once it opens under a team key of this device.
    /// - Throws: `StoreError.invalidWrite` naming `path` for anything else.
    public func openBundle(_ bytes: [UInt8], named path: String) throws(StoreError) -> ChangeBatch {
        try bundles.open(bytes, named: path)
    }

    /// Applies an opened bundle's changes with the same checks as a session.
    public func importBatch(_ batch: ChangeBatch) throws(StoreError) -> BundleImport { try bundles.apply(batch) }
}

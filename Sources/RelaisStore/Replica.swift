import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// One device's encrypted replica: the SQLite database, the unlocked keyring and the schema.
///
/// Every local write becomes one signed change applied through the same `ChangeApplier` as
/// changes from peers, inside one SQLite transaction: a write is saved whole or not at all.
public final class Replica {
    public private(set) var keyring: Keyring
    /// Where the keyring is sealed and with what, to re-seal it when the team changes it.
    var keyringFile: (path: String, unlock: KeyringUnlock)?
    /// The sealed keyring as this replica last read or wrote it: another process (the CLI beside
    /// a daemon) may have replaced it since.
    private var keyringSeal: [UInt8] = []
    public let schema: Schema
    let database: any DatabaseWriter
    let wallClock: () -> WallTime
    /// Where new record and team ids come from: random, or a seeded source in simulations that
    /// must replay exactly.
    let makeIdentifier: () -> Identifier128
    /// Unwrapped person keys, kept while the replica is open so each is unwrapped once.
    var personKeys: [RecordID: SecureBytes] = [:]

    init(
        database: any DatabaseWriter, keyring: Keyring, keyringFile: (path: String, unlock: KeyringUnlock)? = nil, schema: Schema,
        wallClock: @escaping () -> WallTime, makeIdentifier: @escaping () -> Identifier128 = RandomBytes.identifier
    ) throws(StoreError) {
        self.makeIdentifier = makeIdentifier
        self.database = database
        self.keyring = keyring
        self.keyringFile = keyringFile
        self.keyringSeal = (try? keyringFile.map { try FileAccess.read($0.path) }) ?? []
        self.schema = schema
        self.wallClock = wallClock
        do {
            try StoreMigrations.migrate(database)
            try database.write { db in
                try db.execute(
                    sql: "INSERT OR IGNORE INTO devices (id, signing_key) VALUES (?, ?)",
                    arguments: [keyring.device.blob, Data(keyring.signingPublicKey)])
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }

    /// Creates a data folder with a new device keyring sealed under `unlock`.
    /// - Throws: `StoreError.alreadyInitialised` when the folder already holds a replica.
    public static func create(folder: String, deviceName: String, unlock: KeyringUnlock) throws(StoreError) -> Replica {
        let paths = DataFolder(folder)
        guard DeviceCertificate.isValidName(deviceName) else {
            throw .deviceNameRefused
        }
        try FileAccess.checkReadable(folder: folder)
        guard !FileAccess.exists(paths.keyring) else { throw .alreadyInitialised(folder) }
        guard !paths.holdsDatabase else { throw .keyringMissing(folder) }
        try FileAccess.createPrivateDirectory(folder)
        let keyring = Keyring.generate(deviceName: deviceName)
        try KeyringFile.write(keyring, to: paths.keyring, unlock: unlock)
        return try Replica(
            database: openDatabase(paths.database), keyring: keyring, keyringFile: (paths.keyring, unlock), schema: .bundled,
            wallClock: systemWallTime)
    }

    /// Opens an existing data folder.
    /// - Throws: `StoreError.notInitialised`, or `StoreError.wrongPassphrase` leaving every file as it was.
    public static func open(folder: String, unlock: KeyringUnlock) throws(StoreError) -> Replica {
        let paths = DataFolder(folder)
        try FileAccess.checkReadable(folder: folder)
        guard !FileAccess.exists(paths.revokedMarker) else { throw .deviceRevoked(folder) }
        guard FileAccess.exists(paths.keyring) else {
            throw paths.holdsDatabase ? .keyringMissing(folder) : .notInitialised(folder)
        }
        // SQLite may hold a young database in its write-ahead log only.
        guard paths.holdsDatabase else { throw .replicaMissing(folder) }
        let keyring = try KeyringFile.read(from: paths.keyring, unlock: unlock)
        let replica = try Replica(
            database: openDatabase(paths.database), keyring: keyring, keyringFile: (paths.keyring, unlock), schema: .bundled,
            wallClock: systemWallTime)
        try replica.checkFileIdentity(of: paths.database)
        try replica.checkHighWater()
        return replica
    }

    /// A replica whose database lives in memory, for tests and simulations.
    public static func inMemory(
        keyring: Keyring, wallClock: @escaping () -> WallTime = systemWallTime,
        makeIdentifier: @escaping () -> Identifier128 = RandomBytes.identifier
    ) throws(StoreError) -> Replica {
        do {
            return try Replica(
                database: DatabaseQueue(configuration: configuration), keyring: keyring, schema: .bundled, wallClock: wallClock,
                makeIdentifier: makeIdentifier)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }

    /// A copy of this replica's database in memory, with the same keyring: harnesses start
    /// every input from one prepared state.
    public func inMemoryCopy() throws(StoreError) -> Replica {
        do {
            let copy = try DatabaseQueue(configuration: Self.configuration)
            try database.backup(to: copy)
            return try Replica(
                database: copy, keyring: keyring, schema: schema, wallClock: wallClock, makeIdentifier: makeIdentifier)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }

    /// The system clock, moved by `RELAIS_CLOCK_OFFSET_SECONDS` when set: drills and tests of what
    /// weeks offline do to certificates, without waiting weeks. (A laptop's clock is its user's to
    /// set anyway; peers bound how far ahead they follow it.)
    public static func systemWallTime() -> WallTime {
        let offset = Double((try? clockOffset.get()) ?? 0) * 1_000
        return WallTime(milliseconds: UInt64(max(0, Date().timeIntervalSince1970 * 1_000 + offset)))
    }

    /// The offset `RELAIS_CLOCK_OFFSET_SECONDS` names, 0 when unset; a value that is not a whole
    /// number of seconds is an error the CLI reports before doing anything.
    public static let clockOffset: Result<Int64, StoreError> = {
        guard let text = ProcessInfo.processInfo.environment["RELAIS_CLOCK_OFFSET_SECONDS"] else { return .success(0) }
        guard let seconds = Int64(text), abs(seconds) < 100 * 365 * 86_400 else {
            return .failure(
                .invalidWrite("RELAIS_CLOCK_OFFSET_SECONDS must be a whole number of seconds, not '\(text.prefix(40))'"))
        }
        return .success(seconds)
    }()

    /// Secure deletion overwrites freed pages, so an erased person's ciphertext does not linger
    /// in the file; temporary tables stay in memory, never in a plaintext temp file.
    private static var configuration: Configuration {
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(Limits.busyTimeout.components.seconds))
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA secure_delete = ON; PRAGMA temp_store = MEMORY;")
        }
        return configuration
    }

    private static func openDatabase(_ path: String) throws(StoreError) -> any DatabaseWriter {
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            chmod(path, 0o600)
            return pool
        } catch {
            throw StoreError(database: error)
        }
    }

    /// Overwrites and deletes the keyring file, leaving a marker: the replica can never be opened
    /// again, and its data, sealed under keys that no longer exist anywhere on this disk, is unreadable.
    func destroyKeyring() {
        guard let keyringFile else { return }
        if let size = try? FileAccess.read(keyringFile.path).count {
            try? FileAccess.writeAtomically(RandomBytes.make(count: size), to: keyringFile.path)
        }
        try? FileManager.default.removeItem(atPath: keyringFile.path)
        let marker = (keyringFile.path as NSString).deletingLastPathComponent + "/REVOKED"
        try? FileAccess.writeAtomically(Array("revoked by the team admin\n".utf8), to: marker)
    }

    /// Re-seals the keyring under a new passphrase or key file; nothing else changes.
    /// - Throws: `StoreError.invalidWrite` for a replica that has no keyring file.
    public func changeUnlock(to unlock: KeyringUnlock) throws(StoreError) {
        guard let keyringFile else { throw .invalidWrite("this replica has no keyring file") }
        try KeyringFile.write(keyring, to: keyringFile.path, unlock: unlock)
        self.keyringFile = (keyringFile.path, unlock)
        keyringSeal = try FileAccess.read(keyringFile.path)
    }

    /// Replaces the keyring in memory and, for a replica on disk, re-seals it.
    /// - Throws: `StoreError.keyringDamaged` when another process replaced the keyring since it
    ///   was read here: writing this one over it would lose that change.
    func replaceKeyring(_ new: Keyring) throws(StoreError) {
        if let keyringFile {
            guard try FileAccess.read(keyringFile.path) == keyringSeal else {
                throw .keyringDamaged("the keyring was changed by another process; open the replica again")
            }
            try KeyringFile.write(new, to: keyringFile.path, unlock: keyringFile.unlock)
            keyringSeal = try FileAccess.read(keyringFile.path)
        }
        keyring = new
    }

    /// Reads the keyring again if another process replaced it (a team key rotation or a team
    /// joined by the CLI while the daemon runs); a daemon calls it before each session.
    public func reloadKeyringIfChanged() throws(StoreError) {
        guard let keyringFile else { return }
        let sealed = try FileAccess.read(keyringFile.path)
        guard sealed != keyringSeal else { return }
        keyring = try KeyringFile.read(from: keyringFile.path, unlock: keyringFile.unlock)
        keyringSeal = sealed
    }

    /// Makes the WAL empty, so nothing an erasure removed stays in it.
    public func checkpoint() throws(StoreError) {
        do {
            try database.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
        } catch {
            throw StoreError(database: error)
        }
    }

    /// Lets this replica verify changes signed by `device`.
    public func trust(device: DeviceID, signingKey: [UInt8]) throws(StoreError) {
        try write { db in
            try db.execute(
                sql: """
                    INSERT INTO devices (id, signing_key) VALUES (?, ?)
                    ON CONFLICT (id) DO UPDATE SET signing_key = excluded.signing_key
                    """,
                arguments: [device.blob, Data(signingKey)])
        }
    }

    /// Runs `body` in one write transaction, turning database failures into `StoreError`.
    func write<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result {
        do {
            return try database.write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }

    func read<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result {
        do {
            return try database.read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }
}

/// Where a replica keeps its files inside its data folder.
struct DataFolder {
    let keyring: String
    let database: String
    /// Left when a revoked device destroyed its keyring, so that it says why it no longer opens.
    let revokedMarker: String
    /// When `relais backup` last copied the folder (milliseconds since 1970, as text).
    let lastBackup: String

    /// Whether a database is there: the file, or its write-ahead log, has content.
    var holdsDatabase: Bool { FileAccess.hasContent(database) || FileAccess.hasContent(database + "-wal") }

    init(_ folder: String) {
        keyring = folder + "/keyring"
        database = folder + "/replica.sqlite"
        revokedMarker = folder + "/REVOKED"
        lastBackup = folder + "/last-backup"
    }
}

extension Replica {
    /// SQLite's own consistency check of the database file: "ok", or what is wrong.
    public func integrityCheck() throws(StoreError) -> [String] {
        do {
            return try database.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw StoreError(database: error)
        }
    }
}

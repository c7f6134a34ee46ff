import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// One device's encrypted replica: the SQLite database, the unlocked keyring and the schema, and
/// the facade over the services that share them (`ChangeLog`, `PersonKeys`, `DerivedIndexes`,
/// `RecordReader`, `RecordWrites`, `PersonViews`, `ActivityReports` with its `FileProjections`,
/// `TeamService`, `KeyringStore`, `BundleFiles`).
///
/// Every local write becomes one signed change applied through the same `ChangeApplier` as
/// changes from peers, inside one SQLite transaction: a write is saved whole or not at all.
public final class Replica {
    /// The keyring, in memory and in its file.
    let keys: KeyringStore
    public var keyring: Keyring { keys.keyring }
    public let schema: Schema
    let database: any DatabaseWriter
    let wallClock: () -> WallTime
    /// Where new record and team ids come from: random, or a seeded source in simulations that
    /// must replay exactly.
    let makeIdentifier: () -> Identifier128
    let personKeys: PersonKeys
    let records: RecordReader
    let indexes: DerivedIndexes
    let log: ChangeLog
    /// The read models of persons, for tasks that read while another writes (the web app).
    public let views: PersonViews
    /// The activity report and the closed months' figures, read beside the writer like `views`.
    public let reports: ActivityReports
    let writes: RecordWrites
    let team: TeamService
    let bundles: BundleFiles

    init(
        database: any DatabaseWriter, keyring: Keyring, keyringFile: (path: String, unlock: KeyringUnlock)? = nil, schema: Schema,
        wallClock: @escaping () -> WallTime, makeIdentifier: @escaping () -> Identifier128 = RandomBytes.identifier
    ) throws(StoreError) {
        self.makeIdentifier = makeIdentifier
        self.database = database
        let keys = KeyringStore(keyring, file: keyringFile)
        self.keys = keys
        personKeys = PersonKeys(keys)
        records = RecordReader(personKeys: personKeys)
        indexes = DerivedIndexes(records: records, keys: keys)
        views = PersonViews(database: database, schema: schema, records: records, indexes: indexes)
        let projections = FileProjections(database: database, views: views, keys: keys, wanted: MonthTally.fields)
        log = ChangeLog(database: database, keys: keys, wallClock: wallClock, followers: [personKeys, indexes, projections])
        reports = ActivityReports(database: database, views: views, keys: keys, projections: projections)
        writes = RecordWrites(log: log, schema: schema, records: records, keys: keys, makeIdentifier: makeIdentifier)
        team = TeamService(
            database: database, keys: keys, log: log, personKeys: personKeys, wallClock: wallClock, makeIdentifier: makeIdentifier
        )
        bundles = BundleFiles(log: log, keys: keys, team: team)
        self.schema = schema
        self.wallClock = wallClock
        do {
            try StoreMigrations.migrate(database)
            try database.write { db in
                try indexes.listOrganisationRecordsOnce(db)
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
    public static func create(
        folder: String, deviceName: String, unlock: KeyringUnlock, wallClock: @escaping () -> WallTime
    ) throws(StoreError) -> Replica {
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
            wallClock: wallClock)
    }

    /// Opens an existing data folder.
    /// - Throws: `StoreError.notInitialised`, or `StoreError.wrongPassphrase` leaving every file as it was.
    public static func open(folder: String, unlock: KeyringUnlock, wallClock: @escaping () -> WallTime) throws(StoreError)
        -> Replica
    {
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
            wallClock: wallClock)
        try replica.checkFileIdentity(of: paths.database)
        try replica.checkHighWater()
        return replica
    }

    /// A replica whose database lives in memory, for tests and simulations.
    /// - Parameter schema: the record schema it reads and writes by; an older one stands for a
    ///   node not yet updated (mixed-version tests).
    public static func inMemory(
        keyring: Keyring, wallClock: @escaping () -> WallTime,
        makeIdentifier: @escaping () -> Identifier128 = RandomBytes.identifier, schema: Schema = .bundled
    ) throws(StoreError) -> Replica {
        do {
            return try Replica(
                database: DatabaseQueue(configuration: configuration), keyring: keyring, schema: schema, wallClock: wallClock,
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

    /// Re-seals the keyring under a new passphrase or key file; nothing else changes.
    /// - Throws: `StoreError.invalidWrite` for a replica that has no keyring file.
    public func changeUnlock(to unlock: KeyringUnlock) throws(StoreError) { try keys.changeUnlock(to: unlock) }

    /// Reads the keyring again if another process replaced it (a team key rotation or a team
    /// joined by the CLI while the daemon runs); a daemon calls it before each session.
    public func reloadKeyringIfChanged() throws(StoreError) { try keys.reloadIfChanged() }

    /// Whether this device signed more than the database holds of it: the database went back in
    /// time, and the replica must take a new identity before signing again.
    private func checkHighWater() throws(StoreError) {
        guard let signed = keys.lastSigned(), try versionVector[keyring.device] < signed else { return }
        try write { db in
            if try TeamState.stored(db) != nil { try ReplicaMeta.markMustChangeIdentity(db) }
        }
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
    func write<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result { try database.writing(body) }

    func read<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result { try database.reading(body) }
}

/// Where a replica keeps its files inside its data folder.
struct DataFolder {
    let keyring: String
    let database: String
    /// Left when a revoked device destroyed its keyring, so that it says why it no longer opens.
    let revokedMarker: String
    /// When `relais backup` last copied the folder (milliseconds since 1970, as text).
    let lastBackup: String
    /// The passphrase the app asks for when the keyring opens with a key file (`AppLogin`).
    let appLogin: String

    /// Whether a database is there: the file, or its write-ahead log, has content.
    var holdsDatabase: Bool { FileAccess.hasContent(database) || FileAccess.hasContent(database + "-wal") }

    init(_ folder: String) {
        keyring = folder + "/keyring"
        database = folder + "/replica.sqlite"
        revokedMarker = folder + "/REVOKED"
        lastBackup = folder + "/last-backup"
        appLogin = folder + "/app-login"
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

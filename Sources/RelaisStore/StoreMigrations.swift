import GRDB

/// The replica's tables. Append-only: a shipped migration is never edited (GRDB's advice).
///
/// No table or column name says what a value means: field identities are opaque tokens and every
/// value is sealed, so the schema of the file reveals nothing about anyone's health.
enum StoreMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
                    CREATE TABLE devices (id BLOB PRIMARY KEY, signing_key BLOB NOT NULL);
                    CREATE TABLE vector (origin BLOB PRIMARY KEY, sequence INTEGER NOT NULL);
                    CREATE TABLE changes (
                        origin BLOB NOT NULL, sequence INTEGER NOT NULL, timestamp INTEGER NOT NULL,
                        body BLOB NOT NULL, PRIMARY KEY (origin, sequence)) WITHOUT ROWID;
                    CREATE TABLE change_persons (
                        person BLOB NOT NULL, origin BLOB NOT NULL, sequence INTEGER NOT NULL,
                        PRIMARY KEY (person, origin, sequence)) WITHOUT ROWID;
                    CREATE TABLE pending (
                        origin BLOB NOT NULL, sequence INTEGER NOT NULL, timestamp INTEGER NOT NULL,
                        body BLOB NOT NULL, PRIMARY KEY (origin, sequence)) WITHOUT ROWID;
                    CREATE TABLE records (
                        id BLOB PRIMARY KEY, person BLOB NOT NULL, sealed_type BLOB NOT NULL,
                        creation BLOB NOT NULL, deleted INTEGER NOT NULL) WITHOUT ROWID;
                    CREATE INDEX records_by_person ON records (person);
                    CREATE TABLE registers (
                        record BLOB NOT NULL, field INTEGER NOT NULL, entries INTEGER NOT NULL,
                        state BLOB NOT NULL, PRIMARY KEY (record, field)) WITHOUT ROWID;
                    CREATE TABLE elements (
                        record BLOB NOT NULL, field INTEGER NOT NULL, state BLOB NOT NULL,
                        PRIMARY KEY (record, field)) WITHOUT ROWID;
                    CREATE TABLE person_keys (
                        person BLOB NOT NULL, epoch INTEGER NOT NULL, wrapped BLOB NOT NULL,
                        PRIMARY KEY (person, epoch)) WITHOUT ROWID;
                    CREATE TABLE erased (person BLOB PRIMARY KEY) WITHOUT ROWID;
                    CREATE TABLE merge_links (duplicate BLOB PRIMARY KEY, kept BLOB NOT NULL) WITHOUT ROWID;
                    CREATE TABLE search_tokens (
                        token BLOB NOT NULL, person BLOB NOT NULL, PRIMARY KEY (token, person)) WITHOUT ROWID;
                    CREATE INDEX search_tokens_by_person ON search_tokens (person);
                    CREATE TABLE clock_skew (
                        device BLOB PRIMARY KEY, ahead_ms INTEGER NOT NULL, seen_at_ms INTEGER NOT NULL);
                    """)
        }
        migrator.registerMigration("v2-team") { db in
            try db.execute(
                sql: """
                    CREATE TABLE team (
                        singleton INTEGER PRIMARY KEY CHECK (singleton = 1), team BLOB NOT NULL, roster BLOB NOT NULL,
                        roster_version INTEGER NOT NULL, admin_key BLOB NOT NULL, certificate BLOB NOT NULL);
                    CREATE TABLE invites (
                        token_id BLOB PRIMARY KEY, sealed_key BLOB NOT NULL, role INTEGER NOT NULL, name TEXT NOT NULL,
                        expires_ms INTEGER NOT NULL, used_by BLOB) WITHOUT ROWID;
                    CREATE TABLE peers (
                        address TEXT PRIMARY KEY, device BLOB, last_attempt_ms INTEGER NOT NULL DEFAULT 0,
                        last_success_ms INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '',
                        changes_sent INTEGER NOT NULL DEFAULT 0, changes_received INTEGER NOT NULL DEFAULT 0);
                    """)
        }
        migrator.registerMigration("v3-peer-vectors") { db in
            try db.execute(sql: "CREATE TABLE peer_vectors (device BLOB PRIMARY KEY, vector BLOB NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v4-device-revocations") { db in
            // Beside the signing key, so verifying a change reads one row instead of the roster.
            try db.execute(sql: "ALTER TABLE devices ADD COLUMN revoked_at_ms INTEGER")
        }
        migrator.registerMigration("v5-voided") { db in
            // What changes voided because their author was revoked erased or created (ChangeApplier.void).
            try db.execute(sql: "CREATE TABLE voided_erasures (person BLOB PRIMARY KEY) WITHOUT ROWID")
            try db.execute(sql: "CREATE TABLE voided_records (record BLOB PRIMARY KEY) WITHOUT ROWID")
        }
        migrator.registerMigration("v6-scopes") { db in
            // Care-team scopes of persons, and which persons the replica holds (SPEC.md §14).
            try db.execute(sql: "CREATE TABLE scopes (person BLOB PRIMARY KEY, state BLOB NOT NULL) WITHOUT ROWID")
            try db.execute(sql: "CREATE TABLE holdings (person BLOB PRIMARY KEY, holding INTEGER NOT NULL) WITHOUT ROWID")
            // Persons purged while some of their changes had reached no hub yet (kept until one has).
            try db.execute(sql: "CREATE TABLE unfinished_purges (person BLOB PRIMARY KEY) WITHOUT ROWID")
        }
        migrator.registerMigration("v7-equivocations") { db in
            // Numbers under which an origin signed two changes (a device restored from a backup, or
            // a hostile one): seen in a peer's heads, or received whole (then kept, as evidence).
            try db.execute(
                sql: """
                    CREATE TABLE equivocations (
                        origin BLOB NOT NULL, sequence INTEGER NOT NULL, seen_at_ms INTEGER NOT NULL, peer BLOB, body BLOB,
                        PRIMARY KEY (origin, sequence)) WITHOUT ROWID
                    """)
        }
        migrator.registerMigration("v8-revocation-bounds") { db in
            // A revocation voids the device's changes after a sequence, not a time (SPEC.md §10).
            try db.execute(sql: "ALTER TABLE devices ADD COLUMN revoked_through INTEGER")
            // Which changes erased each person, so that one only void changes erased comes back.
            try db.execute(
                sql: """
                    CREATE TABLE erasures (
                        person BLOB NOT NULL, origin BLOB NOT NULL, sequence INTEGER NOT NULL,
                        PRIMARY KEY (person, origin, sequence)) WITHOUT ROWID
                    """)
            // Erasures from before are kept for good: which change made them is not known.
            try db.execute(sql: "INSERT INTO erasures SELECT person, zeroblob(16), 0 FROM erased")
        }
        migrator.registerMigration("v9-closures") { db in
            // Devices pruned from the roster: the admin's closure of each, relayed with its changes.
            try db.execute(sql: "CREATE TABLE closures (device BLOB PRIMARY KEY, body BLOB NOT NULL) WITHOUT ROWID")
        }
        migrator.registerMigration("v10-damaged-changes") { db in
            // Stored changes `relais repair` found damaged and set aside, with the persons they
            // touch: those await a peer's copy (a fill) before their files are rebuilt. One no
            // peer holds is kept under the zero person: lost, but its number accounted for.
            try db.execute(
                sql: """
                    CREATE TABLE damaged_changes (
                        origin BLOB NOT NULL, sequence INTEGER NOT NULL, person BLOB NOT NULL,
                        PRIMARY KEY (origin, sequence, person)) WITHOUT ROWID
                    """)
            try db.execute(sql: "CREATE INDEX damaged_changes_by_person ON damaged_changes (person)")
        }
        migrator.registerMigration("v11-organisation-records") { db in
            // A record of the whole organisation (a partner of the directory...) is kept like a
            // person, under a key of its own; this lists the ones that are no person, so that
            // lists of persons leave them out. Their types are sealed: the list is made when the
            // keys are unlocked (`Replica.init`), as an older replica may already hold some.
            try db.execute(sql: "CREATE TABLE organisation_records (id BLOB PRIMARY KEY) WITHOUT ROWID")
            try db.execute(sql: "INSERT INTO meta (key, value) VALUES ('organisation_records_pending', x'01')")
        }
        migrator.registerMigration("v12-closed-months") { db in
            try db.execute(
                sql: """
                    CREATE TABLE closed_months (month TEXT PRIMARY KEY, closed_on TEXT NOT NULL, figures BLOB NOT NULL)
                        WITHOUT ROWID
                    """)
        }
        migrator.registerMigration("v13-file-projections") { db in
            // `FileProjections`: the report's fields of each file, sealed; the members each was
            // read from, to forget it when one is written; how many times each file was rebuilt.
            try db.execute(
                sql: """
                    CREATE TABLE file_projections (root BLOB PRIMARY KEY, spec BLOB NOT NULL, sealed BLOB NOT NULL)
                        WITHOUT ROWID;
                    CREATE TABLE projection_members (
                        member BLOB NOT NULL, root BLOB NOT NULL, PRIMARY KEY (member, root)) WITHOUT ROWID;
                    CREATE INDEX projection_members_by_root ON projection_members (root);
                    CREATE TABLE projection_versions (person BLOB PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
                    """)
        }
        return migrator
    }

    /// Brings the database to the current migration, then checks its table definitions.
    /// - Throws: `StoreError.replicaDamaged` when its record of migrations names one that does
    ///   not exist, or a migration finds what it makes already there.
    static func migrate(_ database: any DatabaseWriter) throws {
        let known = Set(migrator.migrations)
        let applied: Set<String>
        do {
            applied = try database.read { try migrator.appliedIdentifiers($0) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR {
            throw StoreError.replicaDamaged("its record of migrations is damaged")
        }
        guard applied.isSubset(of: known) else { throw StoreError.replicaDamaged("its record of migrations is damaged") }
        do {
            try migrator.migrate(database)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_ERROR && !applied.isEmpty {
            throw StoreError.replicaDamaged("its record of migrations is damaged")
        }
        try database.read(checkDefinitions)
    }

    /// The tables and indexes the migrations make, as SQLite describes them.
    private static func definitions(_ db: Database) throws -> [String] {
        try String.fetchAll(
            db,
            sql: "SELECT type || ' ' || name || ' ' || tbl_name || ' ' || ifnull(sql, '') FROM sqlite_master ORDER BY type, name")
    }

    private static let expectedDefinitions: Result<[String], any Error> = Result {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return try queue.read(definitions)
    }

    /// A migrated database whose table definitions differ from the migrations' is damaged: a
    /// renamed column would otherwise fail in the middle of a read.
    private static func checkDefinitions(_ db: Database) throws {
        guard try definitions(db) == expectedDefinitions.get() else {
            throw StoreError.replicaDamaged("its table definitions are damaged")
        }
    }
}

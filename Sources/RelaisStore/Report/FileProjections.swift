import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// The activity report's fields of each person's file, kept between reports (`file_projections`)
/// sealed under a key only this device derives, like the closed months' figures. Reading 10^5
/// files from their records means unwrapping 10^5 persons' keys and opening a million values:
/// half a minute. A report reads the files kept here and reads from the records only the files
/// written since, then keeps those.
///
/// A kept file is forgotten inside the transaction of any write to one of its members (a
/// change, a rebuilt file, an erasure) or to a merge link into it, and every file when a scope
/// moves: what is kept here never outlives what it was read from, and an erased person's
/// values leave this table in the erasure's own transaction. A person's version is the number of
/// changes stored for them (`change_persons`, which only grows), plus a count of the rebuilds of
/// their file (`projection_versions`, with one row for every person counting scope moves): a
/// write costs no more than a lookup when nothing was kept. A file read while a write went on is
/// kept only if its members and their versions are still those it was read with, and a kept file
/// opens only with the members and versions its file has when it is read.
struct FileProjections: ChangeFollower, Sendable {
    let database: any DatabaseWriter
    let views: PersonViews
    let keys: KeyringStore
    private let schemas: [String: [FieldSchema]]
    /// Which fields, read how: a kept file read with other fields or another schema is read anew.
    /// Bytes, not `Data`: LeakSanitizer reports the storage of a `Data` held for the replica's
    /// whole life as leaked, which fails `make fuzz`.
    private let spec: [UInt8]
    /// The `projection_versions` row that every scope move bumps: it stands for every person.
    private static let everyone = Data()

    /// A file read from the records in a reader's snapshot, to keep if still current.
    struct Fresh {
        let root: RecordID
        let members: [RecordID]
        let versions: [Int64]
        let file: PersonFile
    }

    init(database: any DatabaseWriter, views: PersonViews, keys: KeyringStore, wanted: [String: Set<String>]) {
        (self.database, self.views, self.keys) = (database, views, keys)
        schemas = views.fieldSchemas(wanted)
        var described = Array("relais.file-projections.v1".utf8)
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for (type, fields) in schemas.sorted(by: { $0.key < $1.key }) {
            described += Array("|\(type)|".utf8) + Array((try? encoder.encode(fields)) ?? Data())
        }
        spec = Hash.blake2b(described, outputBytes: 16)
    }

    /// Every person's file as `PersonViews.files(reading:)` reads it with these fields, in the
    /// same order, from one snapshot.
    func files() throws(StoreError) -> [PersonFile] {
        let (files, fresh) = try read()
        keep(fresh)
        return files
    }

    /// The files, and those of them read from the records (to `keep`).
    func read() throws(StoreError) -> ([PersonFile], [Fresh]) {
        let key = self.key
        return try database.reading { db in
            let groups = try views.records.mergeGroups(db)
            var kept: [Data: Data] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT root, sealed FROM file_projections WHERE spec = ?", arguments: [Data(spec)])
            while let row = try rows.next() { kept[row[0]] = row[1] }
            var written: [Data: Int64] = [:]
            let versionRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT person, count(*) FROM change_persons GROUP BY person
                    UNION ALL SELECT person, version FROM projection_versions
                    """)
            while let row = try versionRows.next() { written[row[0], default: 0] += row[1] as Int64 }
            func versions(of members: [RecordID]) -> [Int64] {
                ([Self.everyone] + members.map(\.blob)).map { written[$0] ?? 0 }
            }
            let scan = try FileScan(schemas: schemas, records: views.records, db)
            var files: [PersonFile] = []
            var fresh: [Fresh] = []
            for root in try views.personRoots(groups: groups, db) {
                let members = [root] + groups.duplicates(of: root)
                if let sealed = kept[root.blob],
                    let file = open(sealed, root: root, members: members, versions: versions(of: members), key: key)
                {
                    files.append(file)
                } else if let scanned = try? scan.file(of: root, groups: groups) {
                    files.append(scanned.file)
                    guard scanned.isWhole else { continue }
                    fresh.append(
                        Fresh(root: root, members: members, versions: versions(of: members), file: scanned.file))
                }
            }
            return (files, fresh)
        }
    }

    /// Reads from the records the files no row keeps (after an upgrade, a repair, a scope move,
    /// or writes since the last report), of the first `limit` persons without one in id order
    /// after `cursor`, and keeps the whole ones. Nothing is counted here: this only spares the
    /// next report the reading.
    /// - Returns: where to go on from, nil once every person was looked at; how many files were
    ///   read and kept.
    func keepUnkept(after cursor: RecordID?, limit: Int) throws(StoreError) -> (next: RecordID?, read: Int, kept: Int) {
        let (roots, read, fresh) = try database.reading { db in
            let groups = try views.records.mergeGroups(db)
            let roots = try Data.fetchAll(
                db,
                sql: """
                    SELECT id FROM records WHERE id = person AND deleted = 0 AND id > ?
                    AND id NOT IN (SELECT id FROM organisation_records)
                    AND id NOT IN (SELECT root FROM file_projections WHERE spec = ?)
                    ORDER BY id LIMIT ?
                    """, arguments: [cursor?.blob ?? Data(), Data(spec), limit]
            ).map { try RecordID(blob: $0) }
            let scan = try FileScan(schemas: schemas, records: views.records, db)
            var (read, fresh) = (0, [Fresh]())
            // A duplicate is read with the file it was merged into, and never kept alone.
            for root in roots where !groups.isMergedAway(root) {
                read += 1
                let members = [root] + groups.duplicates(of: root)
                guard let scanned = try? scan.file(of: root, groups: groups), scanned.isWhole else { continue }
                fresh.append(Fresh(root: root, members: members, versions: try versions(of: members, db), file: scanned.file))
            }
            return (roots, read, fresh)
        }
        return (roots.count == limit ? roots.last : nil, read, keep(fresh))
    }

    /// Forgets the files of the persons the write touched, and of the files they were merged into.
    func follow(_ applied: AppliedChanges, _ db: Database) throws {
        if applied.scopeMoved {
            try db.execute(sql: "DELETE FROM file_projections; DELETE FROM projection_members")
            try bump(Self.everyone, db)
        }
        // A rebuilt file may differ with no change stored for its person.
        for person in applied.rebuilt { try bump(person.blob, db) }
        var touched = applied.rebuilt
        for change in applied.changes {
            for case .operation(let operation) in change.slots { touched.insert(operation.person) }
        }
        let mergedInto = try db.cachedStatement(sql: "SELECT kept FROM merge_links WHERE duplicate = ?")
        for person in touched {
            try forget(person.blob, db)
            if let kept = try Data.fetchOne(mergedInto, arguments: [person.blob]) { try forget(kept, db) }
        }
    }

    /// Keeps the files still current, a batch per transaction so that the writer of sync is never
    /// held for long. A failure is no failure of the report, which has its files already: the
    /// next report reads them from the records again.
    /// - Returns: how many were kept.
    @discardableResult
    func keep(_ fresh: [Fresh]) -> Int {
        let key = self.key
        var kept = 0
        for start in stride(from: 0, to: fresh.count, by: Limits.keptFilesBatch) {
            let batch = fresh[start..<min(start + Limits.keptFilesBatch, fresh.count)]
            let sealed = batch.map { seal($0.file, root: $0.root, members: $0.members, versions: $0.versions, key: key) }
            kept += (try? store(batch, sealed)) ?? 0
        }
        return kept
    }

    /// Writes the rows of the files still current, in one transaction; returns how many.
    private func store(_ batch: ArraySlice<Fresh>, _ sealed: [[UInt8]]) throws(StoreError) -> Int {
        try database.writing { db in
            var written = 0
            let groups = try views.records.mergeGroups(db)
            for (projection, sealed) in zip(batch, sealed) where try isCurrent(projection, groups, db) {
                let root = projection.root.blob
                try db.cachedStatement(sql: "INSERT OR REPLACE INTO file_projections (root, spec, sealed) VALUES (?, ?, ?)")
                    .execute(arguments: [root, Data(spec), Data(sealed)])
                try db.cachedStatement(sql: "DELETE FROM projection_members WHERE root = ?").execute(arguments: [root])
                let member = try db.cachedStatement(sql: "INSERT INTO projection_members (member, root) VALUES (?, ?)")
                for person in projection.members { try member.execute(arguments: [person.blob, root]) }
                written += 1
            }
            return written
        }
    }

    /// Whether the file's members and their versions are still those it was read with.
    private func isCurrent(_ projection: Fresh, _ groups: MergeGroups, _ db: Database) throws -> Bool {
        guard [projection.root] + groups.duplicates(of: projection.root) == projection.members else { return false }
        return try versions(of: projection.members, db) == projection.versions
    }

    /// The scope moves, then the version of each of `members`.
    private func versions(of members: [RecordID], _ db: Database) throws -> [Int64] {
        let changes = try db.cachedStatement(sql: "SELECT count(*) FROM change_persons WHERE person = ?")
        let rebuilds = try db.cachedStatement(sql: "SELECT version FROM projection_versions WHERE person = ?")
        return try ([Self.everyone] + members.map(\.blob)).map { person in
            try Int64.fetchOne(changes, arguments: [person])! + (Int64.fetchOne(rebuilds, arguments: [person]) ?? 0)
        }
    }

    private func bump(_ person: Data, _ db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO projection_versions (person, version) VALUES (?, 1)
                ON CONFLICT (person) DO UPDATE SET version = version + 1
                """
        ).execute(arguments: [person])
    }

    private func forget(_ person: Data, _ db: Database) throws {
        let roots = try Data.fetchAll(
            db.cachedStatement(sql: "SELECT root FROM projection_members WHERE member = ?"), arguments: [person])
        for root in roots {
            try db.cachedStatement(sql: "DELETE FROM file_projections WHERE root = ?").execute(arguments: [root])
            try db.cachedStatement(sql: "DELETE FROM projection_members WHERE root = ?").execute(arguments: [root])
        }
    }

    private func seal(_ file: PersonFile, root: RecordID, members: [RecordID], versions: [Int64], key: SecureBytes)
        -> [UInt8]
    {
        AEAD.seal(file.encoded, key: key, associatedData: associatedData(root, members, versions))
    }

    /// The kept file, or nil when it does not open: damaged, moved to another row, or read from
    /// other members or versions than its file has now. That last check does not rely on the
    /// members' rows (`projection_members`) that let a write forget the file, which damage could
    /// lose. The file is then read from the records, and kept anew.
    private func open(_ sealed: Data, root: RecordID, members: [RecordID], versions: [Int64], key: SecureBytes)
        -> PersonFile?
    {
        let associatedData = associatedData(root, members, versions)
        guard let plain = try? AEAD.open(Array(sealed), key: key, associatedData: associatedData) else { return nil }
        return try? PersonFile(decoding: plain)
    }

    private func associatedData(_ root: RecordID, _ members: [RecordID], _ versions: [Int64]) -> [UInt8] {
        var writer = BinaryWriter()
        writer.writeFixed(root.blob)
        writer.writeFixed(spec)
        for member in members { writer.writeFixed(member.blob) }
        for version in versions { writer.write(UInt64(bitPattern: version)) }
        return writer.bytes
    }

    private var key: SecureBytes {
        Hash.deriveKey(fromSecret: keys.keyring.searchKey, salt: Array("relais.file-projections.v1".utf8))
    }
}

import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// State derived from persons' records, kept in step with every write that touches it: the
/// search index (`search_tokens`: keyed hashes of name prefixes, never the names), the merge
/// links (`merge_links`) and which records of the whole organisation are no person
/// (`organisation_records`). The only code that writes those tables.
struct DerivedIndexes: ChangeFollower, Sendable {
    static let nameFields = ["family_name", "given_names", "aliases"]

    let records: RecordReader
    let keys: KeyringStore

    /// Refreshes the persons the write touched: a write to a name field or the merge link, a newly
    /// readable key, a scope that may bring a person back, a rebuilt file.
    func follow(_ applied: AppliedChanges, _ db: Database) throws {
        var touched = applied.rebuilt
        for operation in applied.personOperations {
            switch operation.body {
            case .personKey, .setScope, .createRecord: touched.insert(operation.person)
            case .setRegister(let field, _, _) where try indexes(field, of: operation.person, db):
                touched.insert(operation.person)
            default: break
            }
        }
        try refresh(touched, db)
    }

    /// Rebuilds the entries of `persons` from their records.
    func refresh(_ persons: Set<RecordID>, _ db: Database) throws {
        let storage = SQLiteReplicaStorage(db)
        for person in persons where try !storage.isErased(person) {
            guard try storage.record(person) != nil else { continue }
            do {
                try refreshOrganisationRecord(of: person, db)
                try refreshMergeLink(of: person, db)
                try refreshSearchTokens(of: person, db)
            } catch StoreError.unreadable {
                // The person's key is wrapped for an epoch this device does not hold yet; the
                // change carrying the key touches the person again and refreshes it then.
                continue
            }
        }
    }

    /// Persons with a name word starting with `prefix` (cut to the indexed length): candidates,
    /// which the caller confirms against the names themselves.
    func persons(withWordStarting prefix: String, _ db: Database) throws -> Set<RecordID> {
        let token = searchToken(String(prefix.prefix(Limits.searchPrefixCharactersMax)))
        let persons = try Data.fetchAll(db, sql: "SELECT person FROM search_tokens WHERE token = ?", arguments: [Data(token)])
        return try Set(persons.map { try RecordID(blob: $0) })
    }

    /// Every word of every live value of the person's name fields, conflicting spellings included.
    func nameWords(of person: RecordID, _ db: Database) throws -> [String] {
        var words: [String] = []
        for field in Self.nameFields {
            for candidate in try records.readRegister(person, person: person, type: "person", field: field, db).candidates {
                if case .text(let text)? = candidate.value { words += NameNormalizer.words(text) }
            }
        }
        return words
    }

    /// Whether `field` is one this state reads: a name field or the merge link.
    private func indexes(_ field: FieldToken, of person: RecordID, _ db: Database) throws -> Bool {
        guard let cipher = try? records.personKeys.cipher(for: person, db) else { return false }
        return (Self.nameFields + [PersonCipher.mergedIntoField]).contains { cipher.token(type: "person", field: $0) == field }
    }

    /// Lists every record of the organisation this replica holds and can read; once, when a
    /// replica from before such records is first opened.
    func listOrganisationRecordsOnce(_ db: Database) throws {
        let key = "organisation_records_pending"
        guard try Data.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) != nil else { return }
        let holders = try Data.fetchAll(db, sql: "SELECT id FROM records WHERE id = person").map { try RecordID(blob: $0) }
        for holder in holders {
            do { try refreshOrganisationRecord(of: holder, db) } catch StoreError.unreadable { continue }
        }
        try db.execute(sql: "DELETE FROM meta WHERE key = ?", arguments: [key])
    }

    private func refreshOrganisationRecord(of holder: RecordID, _ db: Database) throws {
        guard let record = try SQLiteReplicaStorage(db).record(holder),
            try records.recordType(of: record, db) != "person"
        else { return }
        try db.cachedStatement(sql: "INSERT OR IGNORE INTO organisation_records (id) VALUES (?)").execute(arguments: [holder.blob]
        )
    }

    private func refreshMergeLink(of person: RecordID, _ db: Database) throws {
        let cipher = try records.personKeys.cipher(for: person, db)
        let token = cipher.token(type: "person", field: PersonCipher.mergedIntoField)
        let register = try SQLiteReplicaStorage(db).register(record: person, field: token)
        try db.cachedStatement(sql: "DELETE FROM merge_links WHERE duplicate = ?").execute(arguments: [person.blob])
        guard let winner = register.winner, let sealed = winner.sealedValue,
            case .reference(let kept) = try? cipher.open(sealed, record: person, field: token, dot: winner.dot)
        else { return }
        try db.cachedStatement(sql: "INSERT INTO merge_links (duplicate, kept) VALUES (?, ?)").execute(
            arguments: [person.blob, kept.blob])
    }

    private func refreshSearchTokens(of person: RecordID, _ db: Database) throws {
        try db.cachedStatement(sql: "DELETE FROM search_tokens WHERE person = ?").execute(arguments: [person.blob])
        var tokens: Set<[UInt8]> = []
        for word in try nameWords(of: person, db) {
            let characters = Array(word.prefix(Limits.searchPrefixCharactersMax))
            for length in 1...characters.count { tokens.insert(searchToken(String(characters[..<length]))) }
        }
        let insert = try db.cachedStatement(sql: "INSERT INTO search_tokens (token, person) VALUES (?, ?)")
        for token in tokens { try insert.execute(arguments: [Data(token), person.blob]) }
    }

    private func searchToken(_ prefix: String) -> [UInt8] {
        Hash.keyed(Array("relais.search.v1|\(prefix)".utf8), key: keys.keyring.searchKey, outputBytes: 16)
    }
}

import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// One operation on a record, as `relais history` shows it.
public struct HistoryEntry: Codable, Hashable, Sendable {
    public let writtenAt: String
    public let device: String
    public let change: String
    /// `created`, `set`, `cleared`, `added`, `removed`, `deleted`, `merged into`, `unmerged`.
    public let action: String
    public let field: String?
    public let value: String?
    /// Whether the change's signature verifies against its author's key.
    public let isSignatureValid: Bool
}

extension PersonViews {
    /// Every operation on a record, oldest first, each change checked against its author's key.
    /// - Throws: `StoreError.noRecord`, `.erased`.
    public func history(of id: String) throws(StoreError) -> [HistoryEntry] {
        try database.reading { db in
            let record = try records.resolveRecord(id, db)
            let type = try records.recordType(of: record, db)
            let cipher = try records.personKeys.cipher(for: record.person, db)
            var fields: [FieldToken: String] = [:]
            for field in try schema.recordType(type).fields { fields[cipher.token(type: type, field: field.name)] = field.name }
            let mergeToken = cipher.token(type: "person", field: PersonCipher.mergedIntoField)
            let keys = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT id, signing_key FROM devices").map {
                    (try DeviceID(blob: $0.value("id")), try $0.bytes("signing_key"))
                })
            let bodies = try Data.fetchAll(
                db,
                sql: """
                    SELECT c.body FROM changes c JOIN change_persons p ON p.origin = c.origin AND p.sequence = c.sequence
                    WHERE p.person = ? ORDER BY c.timestamp, c.origin, c.sequence
                    """, arguments: [record.person.blob])
            var entries: [HistoryEntry] = []
            for body in bodies {
                let change = try Change(decoding: [UInt8](body))
                let isValid =
                    keys[change.origin].map {
                        SigningKey.isValid(
                            signature: change.signature,
                            message: change.signingBytes(digest: Change.operationDigest), publicKey: $0)
                    } ?? false
                for (index, slot) in change.slots.enumerated() {
                    guard case .operation(let operation) = slot, operation.record == record.id else { continue }
                    let dot = Dot(origin: change.origin, sequence: change.sequence, index: UInt32(index))
                    guard
                        let (action, field, value) = describe(
                            operation.body, dot: dot, record: record.id, cipher: cipher, fields: fields, mergeToken: mergeToken)
                    else { continue }
                    entries.append(
                        HistoryEntry(
                            writtenAt: RegisterReading.format(change.timestamp), device: change.origin.description,
                            change: "\(change.origin)#\(change.sequence)", action: action, field: field, value: value,
                            isSignatureValid: isValid))
                }
            }
            return entries
        }
    }

    private func describe(
        _ body: RelaisCore.Operation.Body, dot: Dot, record: RecordID, cipher: PersonCipher, fields: [FieldToken: String],
        mergeToken: FieldToken
    ) -> (String, String?, String?)? {
        func open(_ sealed: [UInt8], _ token: FieldToken) -> String {
            (try? cipher.open(sealed, record: record, field: token, dot: dot).description) ?? "[unreadable]"
        }
        switch body {
        case .createRecord: return ("created", nil, nil)
        case .setRegister(let token, _, let sealed) where token == mergeToken:
            return sealed.map { ("merged into", nil, open($0, token)) } ?? ("unmerged", nil, nil)
        case .setRegister(let token, _, let sealed):
            return sealed.map { ("set", fields[token], open($0, token)) } ?? ("cleared", fields[token], nil)
        case .addElement(let token, let sealed): return ("added", fields[token], open(sealed, token))
        case .removeElements(let token, let dots): return ("removed", fields[token], "\(dots.count) element(s)")
        case .deleteRecord: return ("deleted", nil, nil)
        case .setScope(_, let teams):
            return (
                "moved to", "care teams",
                teams.isEmpty ? "the whole organisation" : teams.sorted().map(\.name).joined(separator: ", ")
            )
        case .erasePerson, .personKey: return nil
        }
    }
}

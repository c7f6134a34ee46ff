import Foundation
import GRDB
import RelaisCrypto

/// What SQLite and libsodium alone can do on this machine: `count` XChaCha20-Poly1305-sealed
/// 200-byte blobs inserted with one prepared statement in one transaction, on disk.
/// - Returns: inserts per second.
func sqliteBaseline(count: Int, folder: String) throws -> Double {
    let database = try DatabaseQueue(path: folder + "/baseline.sqlite")
    try database.write { db in try db.execute(sql: "CREATE TABLE blobs (id INTEGER PRIMARY KEY, data BLOB NOT NULL)") }
    let key = SecureBytes.random(count: AEAD.keyBytes)
    let plaintext = [UInt8](repeating: 0x42, count: 200)
    return try Double(count)
        / seconds {
            try database.write { db in
                let insert = try db.makeStatement(sql: "INSERT INTO blobs (data) VALUES (?)")
                for _ in 0..<count { try insert.execute(arguments: [Data(AEAD.seal(plaintext, key: key, associatedData: []))]) }
            }
        }
}

import GRDB

extension StoreError {
    /// A database failure in words: SQLite's message without the statement it ran, which says
    /// nothing to a user (and may name tables).
    init(database error: any Error) {
        guard let error = error as? DatabaseError else {
            self = .database("\(error)")
            return
        }
        switch error.resultCode {
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .replicaDamaged("SQLite cannot read its structure")
        case .SQLITE_FULL: self = .io("the disk is full; nothing was changed: free some space and try again")
        case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_CANTOPEN, .SQLITE_AUTH:
            self = .io(
                "the replica cannot be opened for writing (\(error.message ?? "permission denied")): check the data folder's owner and permissions"
            )
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            self = .io("the replica is busy (another relais process is writing); try again")
        default: self = .database(error.message ?? "\(error.resultCode)")
        }
    }
}

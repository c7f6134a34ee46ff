import Foundation
import RelaisCore

// SQLite keeps identifiers as 16-byte blobs: compact, and no plaintext-looking text.

extension Identifier128 {
    var blob: Data { Data(bytes) }

    /// - Throws: `StoreError.database` when a stored id does not have 16 bytes.
    init(blob: Data) throws(StoreError) {
        guard blob.count == 16 else { throw .replicaDamaged("a stored identifier has \(blob.count) bytes") }
        self.init(bytes: blob)
    }
}

extension RecordID {
    var blob: Data { value.blob }
    init(blob: Data) throws(StoreError) { self.init(try Identifier128(blob: blob)) }
}

extension DeviceID {
    var blob: Data { value.blob }
    init(blob: Data) throws(StoreError) { self.init(try Identifier128(blob: blob)) }
}

extension FieldToken {
    /// SQLite integers are signed; the token keeps its bits.
    var column: Int64 { Int64(bitPattern: rawValue) }
}

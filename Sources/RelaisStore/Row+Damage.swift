import Foundation
import GRDB

extension Row {
    /// The column's value; a damaged file may hold another type there (or lack the column), which
    /// GRDB's subscript would stop the process for: this throws instead, and the read says so.
    func value<Value: DatabaseValueConvertible>(_ column: String) throws(StoreError) -> Value {
        do {
            return try decode(Value.self, forColumn: column)
        } catch {
            throw .replicaDamaged("a stored value has the wrong type")
        }
    }
}

extension Row {
    /// A blob column's bytes (`value`).
    func bytes(_ column: String) throws(StoreError) -> [UInt8] { [UInt8](try value(column) as Data) }
}

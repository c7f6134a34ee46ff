import GRDB

extension DatabaseReader {
    /// Runs `body` in a read transaction, turning database failures into `StoreError`.
    func reading<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result {
        do {
            return try read(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }
}

extension DatabaseWriter {
    /// Runs `body` in one write transaction, turning database failures into `StoreError`.
    func writing<Result>(_ body: (Database) throws -> Result) throws(StoreError) -> Result {
        do {
            return try write(body)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(database: error)
        }
    }
}

import Foundation
import GRDB
import RelaisCore
import RelaisCrypto

/// The activity report over what this node holds, and the figures of the months closed on it
/// (`closed_months`): counts with no record identifier, sealed under a key only this device
/// derives, kept when a person counted is later erased at their request. Closing is one way: a
/// closed month is never counted again from the records. The files counted are read through
/// `FileProjections`, which keeps them between reports.
public struct ActivityReports: Sendable {
    let database: any DatabaseWriter
    let views: PersonViews
    let keys: KeyringStore
    let projections: FileProjections

    /// The indicators from `from` to `to` (`YYYY-MM`, inclusive), closed months as they were closed.
    public func report(from: String, to: String, grouping: ActivityReport.Grouping) throws(StoreError) -> ActivityReport {
        let (persons, teamRecords) = try records()
        return ActivityReport(
            persons: persons, teamRecords: teamRecords, from: from, to: to, grouping: grouping, closed: try closedFigures())
    }

    /// Reads from the records, and keeps, every file no report has kept yet, a batch at a time,
    /// so that the next report opens kept files only: the daemon runs this after it starts and
    /// after writes, for a first report on a replica reads every file (half a minute on a hub).
    /// Stops between batches once the task is cancelled.
    /// - Returns: how many files were read, and how many of them kept (a file whose keys are not
    ///   all held is read again by each report, and here each time).
    public func keepFiles() async throws(StoreError) -> (read: Int, kept: Int) {
        try await keepFiles(batch: Limits.keptFilesBatch)
    }

    /// - Parameter size: files read per transaction.
    func keepFiles(batch size: Int) async throws(StoreError) -> (read: Int, kept: Int) {
        var (cursor, read, kept): (RecordID?, Int, Int) = (nil, 0, 0)
        while !Task.isCancelled {
            let batch = try projections.keepUnkept(after: cursor, limit: size)
            (read, kept) = (read + batch.read, kept + batch.kept)
            guard let next = batch.next else { break }
            cursor = next
            await Task.yield()
        }
        return (read, kept)
    }

    /// Keeps `month`'s figures as they are now.
    /// - Parameter now: the month has to be over by then.
    /// - Throws: `StoreError.invalidWrite` for a month not over, or closed already.
    public func close(_ month: String, now: WallTime) throws(StoreError) -> ActivityReport {
        let today = LocalTime.day(Date(timeIntervalSince1970: Double(now.milliseconds) / 1_000))
        guard month < String(today.prefix(7)) else {
            throw .invalidWrite("\(month) is not over yet: a month is closed once it has ended and every team has synced")
        }
        if let closed = try closed().first(where: { $0.month == month }) {
            throw .invalidWrite("\(month) was closed on \(closed.on); its figures stay as they were")
        }
        let (persons, teamRecords) = try records()
        let figures = ActivityReport.figures(persons: persons, teamRecords: teamRecords, month: month)
        let sealed: [UInt8]
        do {
            sealed = AEAD.seal(Array(try JSONEncoder().encode(figures)), key: key, associatedData: Array(month.utf8))
        } catch {
            throw .invalidWrite("\(error)")
        }
        try database.writing { db in
            try db.execute(
                sql: "INSERT INTO closed_months (month, closed_on, figures) VALUES (?, ?, ?)",
                arguments: [month, today, Data(sealed)])
        }
        return ActivityReport(
            persons: [], teamRecords: [], from: month, to: month, grouping: .month, closed: [month: figures])
    }

    /// The months closed on this node, and the day each was.
    public func closed() throws(StoreError) -> [(month: String, on: String)] {
        try database.reading { db in
            try Row.fetchAll(db, sql: "SELECT month, closed_on FROM closed_months ORDER BY month").map { ($0[0], $0[1]) }
        }
    }

    private func closedFigures() throws(StoreError) -> [String: MonthFigures] {
        let rows = try database.reading { db in
            try Row.fetchAll(db, sql: "SELECT month, figures FROM closed_months").map { ($0[0] as String, $0[1] as Data) }
        }
        var figures: [String: MonthFigures] = [:]
        let key = self.key
        for (month, sealed) in rows {
            do {
                let plain = try AEAD.open(Array(sealed), key: key, associatedData: Array(month.utf8))
                figures[month] = try JSONDecoder().decode(MonthFigures.self, from: Data(plain))
            } catch {
                throw .replicaDamaged("the figures kept for the closed month \(month) cannot be read")
            }
        }
        return figures
    }

    private func records() throws(StoreError) -> ([PersonFile], [RecordView]) {
        var teamRecords: [RecordView] = []
        for type in views.schema.organisationTypes { teamRecords += try views.organisationRecords(type: type.name) }
        return (try projections.files(), teamRecords)
    }

    private var key: SecureBytes {
        Hash.deriveKey(fromSecret: keys.keyring.searchKey, salt: Array("relais.closed-months.v1".utf8))
    }
}

import RelaisCore

/// The programme's activity (`ActivityReports`), as the CLI and the tests read it.
extension Replica {
    /// The indicators from `from` to `to` (`YYYY-MM`, inclusive), closed months as they were closed.
    public func activityReport(from: String, to: String, grouping: ActivityReport.Grouping) throws(StoreError)
        -> ActivityReport
    {
        try reports.report(from: from, to: to, grouping: grouping)
    }

    /// Keeps `month`'s figures as they are now, whatever is later erased.
    /// - Throws: `StoreError.invalidWrite` for a month not over, or closed already.
    public func closeMonth(_ month: String) throws(StoreError) -> ActivityReport {
        try reports.close(month, now: wallClock())
    }
}

import ArgumentParser
import Foundation
import RelaisApp
import RelaisCore
import RelaisStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The programme's activity over a period, as docs/INDICATORS.md defines it.",
        subcommands: [ReportShow.self, ReportExplain.self, ReportClose.self, ReportMerge.self], defaultSubcommand: ReportShow.self
    )
}

struct ReportPeriod: ParsableArguments {
    @OptionGroup var options: DataOptions
    @Option(help: "The first month, YYYY-MM.") var from: String
    @Option(help: "The last month, YYYY-MM (inclusive).") var to: String
    @Option(help: "Break figures down by month, team or place.") var by: ActivityReport.Grouping = .month

    func validate() throws {
        for month in [from, to] where PartialDate(parsing: month).map({ $0.month == 0 || $0.day != 0 }) ?? true {
            throw ValidationError("'\(month)' is not a month: write YYYY-MM, such as 2026-03")
        }
        guard from <= to else { throw ValidationError("--from \(from) comes after --to \(to)") }
    }

    /// The report, and the name of the device it was computed on.
    func report() throws -> (ActivityReport, device: String) {
        let replica = try options.openReplica()
        return (try replica.activityReport(from: from, to: to, grouping: by), replica.keyring.deviceName)
    }
}

extension ActivityReport.Grouping: ExpressibleByArgument {}

struct ReportShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Print the indicators (the default), counts from 1 to 4 shown as '< 5' so that they may leave the node.")

    @OptionGroup var period: ReportPeriod
    @OptionGroup var output: ReportOutput
    @Flag(help: "Show small counts as they are: for the coordinator's own check, never to send.") var noSuppression = false

    func run() throws {
        let (computed, device) = try period.report()
        let report = PublishedReport(computed, suppressing: !noSuppression)
        try output.print(report, source: device)
        if noSuppression {
            FileHandle.standardError.write(
                Data("relais: small counts are not hidden: these figures must not leave the hub\n".utf8))
        }
    }
}

struct ReportMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Combine the JSON reports of several hubs into one regional report.")

    @Argument(help: "Reports written by 'relais report --format json'.") var files: [String]
    @OptionGroup var output: ReportOutput

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give the JSON reports to merge") }
        var reports: [PublishedReport] = []
        for file in files {
            guard let data = FileManager.default.contents(atPath: file) else {
                throw CommandError(description: "cannot read \(file)")
            }
            do {
                reports.append(try JSONDecoder().decode(PublishedReport.self, from: data))
            } catch {
                throw CommandError(description: "\(file) is not a report written by 'relais report --format json'")
            }
        }
        try output.print(try PublishedReport.merge(reports), source: "\(files.count) hubs")
    }
}

struct ReportOutput: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv, html }

    @Option(help: "text, json, csv, or html (French, with charts, to print on A4).") var format: Format = .text

    /// - Parameter source: where the figures come from, as the HTML report names it.
    func print(_ report: PublishedReport, source: String) throws {
        switch format {
        case .html:
            Swift.print(ActivityReportPage.document(report, device: source), terminator: "")
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Swift.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .csv:
            let groups = Set(report.indicators.flatMap(\.groups.keys)).sorted()
            // A merged report says, in a last column, which sums leave hidden figures out.
            let merged = report.indicators.contains { $0.hiddenParts != nil }
            Swift.print(
                (["indicator", "total"] + groups + ["conflicts"] + (merged ? ["hidden_left_out"] : [])).joined(separator: ","))
            for indicator in report.indicators {
                let cells =
                    [indicator.code, indicator.value.description] + groups.map { indicator.groups[$0]?.description ?? "" }
                    + [indicator.conflicts.description]
                let leftOut = Self.leftOut(indicator).map { "\($0.key) \($0.count)" }.joined(separator: "; ")
                Swift.print((cells + (merged ? [leftOut] : [])).joined(separator: ","))
            }
        case .text:
            Swift.print("Activity from \(report.from) to \(report.to), by \(report.grouping.rawValue)")
            func plus(_ count: Int?) -> String { count.map { "  (plus \($0) hidden figures of 1 to 4)" } ?? "" }
            for indicator in report.indicators {
                var line = "\(indicator.code): \(indicator.value)" + plus(indicator.hiddenParts.flatMap { $0 > 0 ? $0 : nil })
                if indicator.conflicts != .number(0) {
                    line += "  (\(indicator.conflicts) records with a value in conflict: the shown value is counted)"
                }
                Swift.print(line)
                for (key, value) in indicator.kinds.sorted(by: { $0.key < $1.key }) {
                    Swift.print("    \(key): \(value)" + plus(indicator.hiddenInKinds?[key]))
                }
                for (key, value) in indicator.groups.sorted(by: { $0.key < $1.key }) {
                    Swift.print("  \(key): \(value)" + plus(indicator.hiddenInGroups?[key]))
                }
            }
        }
    }

    /// The figures of a merged report's indicator whose sums leave hidden figures out: the total first.
    private static func leftOut(_ indicator: PublishedReport.Indicator) -> [(key: String, count: Int)] {
        let total = (indicator.hiddenParts ?? 0) > 0 ? [(key: "total", count: indicator.hiddenParts ?? 0)] : []
        let cells = [indicator.hiddenInGroups, indicator.hiddenInKinds].flatMap { ($0 ?? [:]).sorted { $0.key < $1.key } }
        return total + cells.map { (key: $0.key, count: $0.value) }
    }
}

struct ReportExplain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "List the records an indicator counts (on this node only: ids of personal records).")

    @OptionGroup var period: ReportPeriod
    @Argument(help: "The indicator's code, as 'relais report' prints it.") var indicator: String

    func run() throws {
        let (report, _) = try period.report()
        guard let found = report.indicator(indicator) else {
            throw CommandError(
                description:
                    "no indicator '\(indicator)'; the indicators are: \(report.indicators.map(\.code).joined(separator: ", "))")
        }
        print("\(found.code): \(PublishedReport.Cell.number(found.value)), from \(found.basis) records")
        for record in found.records { print(record) }
        if found.records.count < found.basis {
            print(
                "\(found.basis - found.records.count) of them counted in closed months (\(report.closedMonths.joined(separator: ", "))),"
                    + " which keep counts only")
        }
    }
}

struct ReportClose: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close",
        abstract:
            "Keep a month's figures as they are now (counts, no personal data), so that a person erased later still counts in it.",
        discussion: "Close a month once it has ended and every team has synced: later records of it no longer count.")

    @OptionGroup var options: DataOptions
    @Argument(help: "The month, YYYY-MM.") var month: String

    func validate() throws {
        guard let date = PartialDate(parsing: month), date.month != 0, date.day == 0 else {
            throw ValidationError("'\(month)' is not a month: write YYYY-MM, such as 2026-03")
        }
    }

    func run() throws {
        let report = try options.openReplica().closeMonth(month)
        let counted = ["visits", "file_active", "collective_sessions"].compactMap { code in
            report.indicator(code).map { "\($0.code) \(PublishedReport.Cell.number($0.value))" }
        }
        print("Closed \(month): its figures are kept as they are now (\(counted.joined(separator: ", "))).")
    }
}

import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The programme's activity over a period, as docs/INDICATORS.md defines it.",
        subcommands: [ReportShow.self, ReportExplain.self, ReportMerge.self], defaultSubcommand: ReportShow.self)
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

    func report() throws -> ActivityReport {
        let replica = try options.openReplica()
        var teamRecords: [RecordView] = []
        for type in replica.schema.organisationTypes { teamRecords += try replica.organisationRecords(type: type.name) }
        return ActivityReport(persons: try replica.snapshot(), teamRecords: teamRecords, from: from, to: to, grouping: by)
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
        let report = PublishedReport(try period.report(), suppressing: !noSuppression)
        try output.print(report)
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
        try output.print(try PublishedReport.merge(reports))
    }
}

struct ReportOutput: ParsableArguments {
    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @Option(help: "text, json or csv.") var format: Format = .text

    func print(_ report: PublishedReport) throws {
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            Swift.print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .csv:
            let groups = Set(report.indicators.flatMap(\.groups.keys)).sorted()
            Swift.print((["indicator", "total"] + groups + ["conflicts"]).joined(separator: ","))
            for indicator in report.indicators {
                let cells =
                    [indicator.code, indicator.value.description] + groups.map { indicator.groups[$0]?.description ?? "" }
                Swift.print((cells + [indicator.conflicts.description]).joined(separator: ","))
            }
        case .text:
            Swift.print("Activity from \(report.from) to \(report.to), by \(report.grouping.rawValue)")
            for indicator in report.indicators {
                var line = "\(indicator.code): \(indicator.value)"
                if let parts = indicator.hiddenParts, parts > 0 { line += "  (plus \(parts) hidden figures of 1 to 4)" }
                if indicator.conflicts != .number(0) {
                    line += "  (\(indicator.conflicts) records with a value in conflict: the shown value is counted)"
                }
                Swift.print(line)
                for (key, value) in indicator.kinds.sorted(by: { $0.key < $1.key }) { Swift.print("    \(key): \(value)") }
                for (key, value) in indicator.groups.sorted(by: { $0.key < $1.key }) { Swift.print("  \(key): \(value)") }
            }
        }
    }
}

struct ReportExplain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain", abstract: "List the records an indicator counts (on this node only: ids of personal records).")

    @OptionGroup var period: ReportPeriod
    @Argument(help: "The indicator's code, as 'relais report' prints it.") var indicator: String

    func run() throws {
        let report = try period.report()
        guard let found = report.indicator(indicator) else {
            throw CommandError(
                description:
                    "no indicator '\(indicator)'; the indicators are: \(report.indicators.map(\.code).joined(separator: ", "))")
        }
        print("\(found.code): \(PublishedReport.Cell.number(found.value)), from \(found.records.count) records")
        for record in found.records { print(record) }
    }
}

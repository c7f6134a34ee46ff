import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "The programme's activity over a period, as docs/INDICATORS.md defines it.",
        subcommands: [ReportShow.self, ReportExplain.self], defaultSubcommand: ReportShow.self)
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
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Print the indicators (the default).")

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, json, csv }

    @OptionGroup var period: ReportPeriod
    @Option(help: "text, json or csv.") var format: Format = .text

    func run() throws {
        let report = try period.report()
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        case .csv:
            let groups = Set(report.indicators.flatMap(\.groups.keys)).sorted()
            print((["indicator", "total"] + groups + ["conflicts"]).joined(separator: ","))
            for indicator in report.indicators {
                let cells =
                    [indicator.code, Self.number(indicator.value)] + groups.map { indicator.groups[$0].map(Self.number) ?? "" }
                print((cells + [String(indicator.conflicts)]).joined(separator: ","))
            }
        case .text:
            print("Activity from \(report.from) to \(report.to), by \(report.grouping.rawValue)")
            for indicator in report.indicators {
                var line = "\(indicator.code): \(Self.number(indicator.value))"
                if indicator.conflicts > 0 {
                    line += "  (\(indicator.conflicts) records with a value in conflict: the shown value is counted)"
                }
                print(line)
                for (key, value) in indicator.kinds.sorted(by: { $0.key < $1.key }) { print("    \(key): \(Self.number(value))") }
                for (key, value) in indicator.groups.sorted(by: { $0.key < $1.key }) { print("  \(key): \(Self.number(value))") }
            }
        }
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
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
        print("\(found.code): \(ReportShow.number(found.value)), from \(found.records.count) records")
        for record in found.records { print(record) }
    }
}

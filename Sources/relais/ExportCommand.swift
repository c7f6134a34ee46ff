import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write what this node holds in a standard format, for another system.",
        subcommands: [ExportCSV.self])
}

struct ExportCSV: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "csv",
        abstract: "Write one CSV file per record type into a new folder, for the coordinator's spreadsheet.")

    enum Language: String, ExpressibleByArgument, CaseIterable { case fr, en }

    @OptionGroup var options: DataOptions
    @Option(help: "The folder to create (not inside the data folder).") var out: String
    @Option(
        help:
            "Column names in French (the app's words; cells separated by ';', as French spreadsheets expect) or English (the schema's codes; ',')."
    )
    var headers: Language = .fr
    @Flag(help: "Write the schema's codes (open, followed) rather than the French labels.") var codes = false
    @Flag(help: "Replace the files of an existing folder.") var force = false

    func run() throws {
        try OutputFile.check(out, dataFolder: options.data, force: force)
        let replica = try options.openReplica()
        let persons = try replica.snapshot()
        var teamRecords: [RecordView] = []
        for type in replica.schema.organisationTypes { teamRecords += try replica.organisationRecords(type: type.name) }
        let labels = SchemaLabels.french
        let tables = CSVTables(
            schema: replica.schema, headers: headers == .fr ? labels : nil, values: codes ? nil : labels,
            separator: headers == .fr ? ";" : ","
        )
        .tables(persons: persons, teamRecords: teamRecords)
        do {
            try FileManager.default.createDirectory(
                atPath: out, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            for (name, text) in tables {
                let path = out + "/" + name
                try? FileManager.default.removeItem(atPath: path)
                guard
                    FileManager.default.createFile(
                        atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600])
                else { throw CommandError(description: "cannot write \(path)") }
            }
        }
        let rows = tables.reduce(0) { $0 + $1.text.split(separator: "\r\n").count - 1 }
        print("\(tables.count) files, \(rows) rows written to \(out)")
        FileHandle.standardError.write(
            Data(
                "relais: these files hold personal data in clear: keep them off shared drives and e-mail, and delete them once used\n"
                    .utf8))
    }
}

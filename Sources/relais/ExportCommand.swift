import ArgumentParser
import Foundation
import RelaisCore
import RelaisStore

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write what this node holds in a standard format, for another system.",
        subcommands: [ExportCSV.self, ExportFHIR.self])
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
        } catch {
            throw CommandError(description: "cannot create the folder \(out): it is a file, or its parent is not writable")
        }
        for (name, text) in tables {
            let path = out + "/" + name
            try? FileManager.default.removeItem(atPath: path)
            try OutputFile.writeOwnerOnly(Data(text.utf8), to: path)
        }
        let rows = tables.reduce(0) { $0 + $1.text.split(separator: "\r\n").count - 1 }
        print("\(tables.count) files, \(rows) rows written to \(out)")
        FileHandle.standardError.write(
            Data(
                "relais: these files hold personal data in clear: keep them off shared drives and e-mail, and delete them once used\n"
                    .utf8))
    }
}

struct ExportFHIR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir",
        abstract: "Write a FHIR R4 Bundle (collection) of the persons whose consent covers sharing, and of the directory.")

    @OptionGroup var options: DataOptions
    @Option(help: "The JSON file to write (not inside the data folder).") var out: String
    @Option(help: "Only this person (id or prefix).") var person: String?
    @Option(
        help: ArgumentHelp(
            "Export --person although their consent does not cover sharing, for this reason (kept on their file).",
            valueName: "REASON"))
    var withConsentOverride: String?
    @Flag(help: "Replace an existing file.") var force = false

    func run() throws {
        try OutputFile.check(out, dataFolder: options.data, force: force)
        if withConsentOverride != nil && person == nil {
            throw CommandError(description: "--with-consent-override applies to one person: give --person ID")
        }
        if let reason = withConsentOverride, reason.trimmingCharacters(in: .whitespaces).isEmpty {
            throw CommandError(description: "--with-consent-override needs the reason, in words")
        }
        let replica = try options.openReplica()
        var handedOver: PersonFile?
        if let person {
            let file = try replica.personFile(person)
            if file.consentCoversSharing {
                handedOver = file
            } else if let reason = withConsentOverride {
                // Kept on the file, signed and synced like the rest: who handed what over, when and why.
                let disclosure = try FieldInput.assignments(
                    set: ["date=\(LocalTime.day(Date()))", "what=export FHIR", "reason=\(reason)"], type: "disclosure",
                    schema: replica.schema, usage: "")
                try replica.addLinkedRecord(type: "disclosure", person: file.id, disclosure)
                handedOver = try replica.personFile(file.id)
            }
        }
        let writer = try FHIRBundleWriter(path: out, bundle: FHIRBundle(labels: .french))
        var (written, left) = (0, 0)
        do {
            if let handedOver {
                writer.add(handedOver)
                written = 1
            } else if person != nil {
                left = 1
            } else {
                try replica.views.forEachFile(reading: FHIRBundle.fields(replica.schema)) { file in
                    guard file.consentCoversSharing else { return left += 1 }
                    writer.add(file)
                    written += 1
                }
            }
            try writer.finish(partners: try replica.organisationRecords(type: "partner"))
        } catch {
            writer.abandon()
            throw error
        }
        print(
            "\(written) \(written == 1 ? "person" : "persons") written to \(out)"
                + (left > 0 ? "; \(left) left out: their consent does not cover sharing" : ""))
        FileHandle.standardError.write(
            Data("relais: this file holds personal data in clear: hand it over by a secure channel, then delete it\n".utf8))
    }
}

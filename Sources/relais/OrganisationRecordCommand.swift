import ArgumentParser
import RelaisCore
import RelaisStore

/// A record type of the whole organisation; one generic command serves the directory's partners,
/// collective sessions and requests from professionals.
enum Partner: LinkedRecordKind { static var name: String { "partner" } }
enum CollectiveSession: LinkedRecordKind { static var name: String { "collective_session" } }
enum ProfessionalRequest: LinkedRecordKind { static var name: String { "professional_request" } }

struct OrganisationRecordCommand<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Kind.command, abstract: "Add, update, list, show and delete the team's \(Kind.command)s.",
            subcommands: [
                OrganisationRecordAdd<Kind>.self, LinkedRecordUpdate<Kind>.self, OrganisationRecordList<Kind>.self,
                OrganisationRecordShow<Kind>.self, LinkedRecordDelete<Kind>.self,
            ])
    }
}

struct OrganisationRecordAdd<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: "Add a \(Kind.command) for the whole team; print its id.")
    }
    @OptionGroup var options: DataOptions
    @Option(name: .customLong("set"), help: "FIELD=VALUE") var assignments: [String] = []

    func run() throws {
        let replica = try options.openReplica()
        let values = try FieldInput.assignments(
            set: assignments, type: Kind.name, schema: replica.schema, usage: "give at least one --set FIELD=VALUE")
        print(try replica.addOrganisationRecord(type: Kind.name, values).hex)
    }
}

struct OrganisationRecordList<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List the team's \(Kind.command)s.")
    }
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let replica = try options.openReplica()
        let records = try replica.organisationRecords(type: Kind.name)
        let newer = try replica.newerOrganisationRecords()
        try output.print(records) {
            (records.isEmpty ? "No \(Kind.command).\n" : records.map(TextFormat.record).joined())
                + (newer > 0 ? "(\(newer) more records of the team only a newer version of Relais shows)\n" : "")
        }
    }
}

struct OrganisationRecordShow<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: "Show one \(Kind.command).")
    }
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The record's id, or its first 6 or more hex digits.") var id: String

    func run() throws {
        let record = try options.openReplica().organisationRecord(id, type: Kind.name)
        try output.print(record) { TextFormat.record(record) }
    }
}

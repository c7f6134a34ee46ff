import ArgumentParser
import RelaisCore
import RelaisStore

/// A record type linked to a person; one generic command serves visits, referrals, appointments,
/// rights and programme episodes, household links and consents to share.
protocol LinkedRecordKind {
    static var name: String { get }
}

extension LinkedRecordKind {
    /// Whether the type's records belong to the whole team rather than to a person's file.
    static var isOrganisation: Bool { Schema.bundled.organisationTypes.contains { $0.name == name } }

    /// The subcommand's name: the type's, with dashes (`rights-episode`).
    static var command: String { String(name.map { $0 == "_" ? "-" : $0 }) }
}

enum Visit: LinkedRecordKind { static var name: String { "visit" } }
enum Referral: LinkedRecordKind { static var name: String { "referral" } }
enum Appointment: LinkedRecordKind { static var name: String { "appointment" } }
enum RightsEpisode: LinkedRecordKind { static var name: String { "rights_episode" } }
enum ProgrammeEpisode: LinkedRecordKind { static var name: String { "programme_episode" } }
enum HouseholdLink: LinkedRecordKind { static var name: String { "household_link" } }
enum ConsentShare: LinkedRecordKind { static var name: String { "consent_share" } }

struct LinkedRecordCommand<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Kind.command, abstract: "Add, update, list and delete a person's \(Kind.command)s.",
            subcommands: [
                LinkedRecordAdd<Kind>.self, LinkedRecordUpdate<Kind>.self, LinkedRecordList<Kind>.self,
                LinkedRecordDelete<Kind>.self,
            ])
    }
}

struct LinkedRecordAdd<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "add", abstract: "Add a \(Kind.name) to a person's file; print its id.")
    }
    @OptionGroup var options: DataOptions
    @Option(help: "The person's id.") var person: String
    @Option(name: .customLong("set"), help: "FIELD=VALUE") var assignments: [String] = []

    func run() throws {
        let replica = try options.openReplica()
        let values = try FieldInput.assignments(
            set: assignments, type: Kind.name, schema: replica.schema, usage: "give at least one --set FIELD=VALUE")
        print(try replica.addLinkedRecord(type: Kind.name, person: person, values).hex)
    }
}

struct LinkedRecordUpdate<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "update", abstract: "Correct or complete a \(Kind.command) written before.")
    }
    @OptionGroup var options: DataOptions
    @Argument(help: "The record's id.") var id: String
    @Option(name: .customLong("set"), help: "FIELD=VALUE") var assignments: [String] = []
    @Option(name: .customLong("unset"), help: "FIELD to clear.") var cleared: [String] = []

    func run() throws {
        let replica = try options.openReplica()
        let values = try FieldInput.assignments(
            set: assignments, unset: cleared, type: Kind.name, schema: replica.schema,
            usage: "give at least one --set FIELD=VALUE or --unset FIELD")
        if Kind.isOrganisation {
            try replica.updateOrganisationRecord(id, type: Kind.name, values)
        } else {
            try replica.updateLinkedRecord(id, type: Kind.name, values)
        }
        print("Updated.")
    }
}

struct LinkedRecordList<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: "List a person's \(Kind.name)s.")
    }
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Option(help: "The person's id.") var person: String

    func run() throws {
        let records = try options.openReplica().linkedRecords(of: person, type: Kind.name)
        try output.print(records) { records.isEmpty ? "No \(Kind.name).\n" : records.map(TextFormat.record).joined() }
    }
}

struct LinkedRecordDelete<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "delete", abstract: "Delete a \(Kind.command) recorded by mistake.")
    }
    @OptionGroup var options: DataOptions
    @Argument(help: "The record's id.") var id: String

    func run() throws {
        let replica = try options.openReplica()
        if Kind.isOrganisation {
            try replica.deleteOrganisationRecord(id, type: Kind.name)
        } else {
            try replica.deleteLinkedRecord(id, type: Kind.name)
        }
        print("Deleted.")
    }
}

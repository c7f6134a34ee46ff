import ArgumentParser
import RelaisCore
import RelaisStore

/// A record type linked to a person; one generic command serves visits, referrals and appointments.
protocol LinkedRecordKind {
    static var name: String { get }
}

enum Visit: LinkedRecordKind { static var name: String { "visit" } }
enum Referral: LinkedRecordKind { static var name: String { "referral" } }
enum Appointment: LinkedRecordKind { static var name: String { "appointment" } }

struct LinkedRecordCommand<Kind: LinkedRecordKind>: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: Kind.name, abstract: "Add, update, list and delete a person's \(Kind.name)s.",
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
        CommandConfiguration(commandName: "update", abstract: "Correct or complete a \(Kind.name) written before.")
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
        try replica.updateLinkedRecord(id, type: Kind.name, values)
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
        CommandConfiguration(commandName: "delete", abstract: "Delete a \(Kind.name) recorded by mistake.")
    }
    @OptionGroup var options: DataOptions
    @Argument(help: "The record's id.") var id: String

    func run() throws {
        try options.openReplica().deleteLinkedRecord(id, type: Kind.name)
        print("Deleted.")
    }
}

import ArgumentParser
import RelaisStore

struct ConflictsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conflicts", abstract: "List fields that offline edits left in conflict, and settle them.",
        subcommands: [ConflictsList.self, ConflictsResolve.self], defaultSubcommand: ConflictsList.self)
}

struct ConflictsList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every field in conflict.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let conflicts = try options.openReplica().conflicts()
        try output.print(conflicts) { TextFormat.conflicts(conflicts) }
    }
}

struct ConflictsResolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve", abstract: "Settle a field with the right value, superseding every competing one.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The record's id.") var record: String
    @Argument(help: "The field.") var field: String
    @Option(help: "The value that is right.") var value: String

    func run() throws {
        let replica = try options.openReplica()
        let values = try FieldInput.assignments(
            set: ["\(field)=\(value)"], type: replica.recordType(of: record), schema: replica.schema, usage: "")
        try replica.resolveConflict(record: record, values[0])
        print("Resolved.")
    }
}

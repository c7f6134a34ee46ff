import Foundation
import ArgumentParser
import RelaisCore
import RelaisStore

struct PersonCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "person", abstract: "Add, edit, find, merge and erase the persons followed.",
        subcommands: [
            PersonAdd.self, PersonUpdate.self, PersonShow.self, PersonList.self, PersonSearch.self, PersonMerge.self,
            PersonUnmerge.self, PersonMove.self, PersonErase.self,
        ])
}

struct PersonAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a person; print the new id.")
    @OptionGroup var options: DataOptions
    @Option(name: .customLong("set"), help: "FIELD=VALUE; sets take comma-separated values (languages=ar,fr).")
    var assignments: [String] = []
    /// None given: this device's own care teams.
    @OptionGroup var careTeams: CareTeamOptions

    func run() throws {
        let replica = try options.openReplica()
        let values = try FieldInput.assignments(
            set: assignments, type: "person", schema: replica.schema, usage: "give at least one --set FIELD=VALUE")
        print(try replica.addPerson(values, careTeams: careTeams.given ? careTeams.teams : nil).hex)
    }
}

struct PersonMove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Give a person's file to other care teams; devices that lose it purge it once a hub holds their changes.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The person's id (or at least 6 of its first digits).") var id: String
    @OptionGroup var careTeams: CareTeamOptions

    func validate() throws { try careTeams.require() }

    func run() throws {
        let teams = careTeams.teams
        try options.openReplica().movePerson(id, to: teams)
        print(
            teams.isEmpty ? "Moved to the whole organisation." : "Moved to \(teams.sorted().map(\.name).joined(separator: ", "))."
        )
    }
}

/// `--care-team NAME`, repeatable, or `--care-team all` alone for the whole organisation; checked
/// before anything is opened.
struct CareTeamOptions: ParsableArguments {
    @Option(name: .customLong("care-team"), help: "A care team (repeatable); 'all' alone: the whole organisation.")
    var values: [String] = []

    var given: Bool { !values.isEmpty }

    /// Empty: the whole organisation.
    var teams: Set<CareTeam> { values == ["all"] ? [] : Set(values.compactMap { try? CareTeam($0) }) }

    func validate() throws {
        guard values == ["all"] || !values.contains("all") else {
            throw ValidationError("'--care-team all' means the whole organisation: give it alone")
        }
        for value in values where value != "all" {
            do { _ = try CareTeam(value) } catch { throw ValidationError("\(error)") }
        }
    }

    func require() throws {
        guard given else { throw ValidationError("give at least one --care-team NAME (or --care-team all)") }
    }
}

struct PersonUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Set or clear fields of a person.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The person's id (or at least 6 of its first digits).") var id: String
    @Option(name: .customLong("set"), help: "FIELD=VALUE") var assignments: [String] = []
    @Option(name: .customLong("unset"), help: "A field to clear.") var cleared: [String] = []

    func run() throws {
        let replica = try options.openReplica()
        let values = try FieldInput.assignments(
            set: assignments, unset: cleared, type: "person", schema: replica.schema,
            usage: "give at least one --set FIELD=VALUE or --unset FIELD")
        try replica.updatePerson(id, values)
        print("Saved.")
    }
}

struct PersonShow: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a person's file, conflicts and linked records.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The person's id (or at least 6 of its first digits).") var id: String

    func run() throws {
        let file = try options.openReplica().personFile(id)
        try output.print(file) { TextFormat.personFile(file) }
    }
}

struct PersonList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every person.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let persons = try options.openReplica().listPersons()
        try output.print(persons) { TextFormat.summaries(persons) }
    }
}

struct PersonSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Find persons by the beginning of their names, ignoring accents and case.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "Words the names start with, as in 'elo dia'.") var query: String

    func run() throws {
        let persons = try options.openReplica().searchPersons(query)
        try output.print(persons) { TextFormat.summaries(persons) }
    }
}

struct PersonMerge: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge", abstract: "Show a duplicate person's fields and records under the kept person (reversible).")
    @OptionGroup var options: DataOptions
    @Argument(help: "The person to keep.") var keep: String
    @Argument(help: "The duplicate.") var duplicate: String

    func run() throws {
        try options.openReplica().merge(keep: keep, duplicate: duplicate)
        print("Merged: the duplicate now appears under the kept person. 'relais person unmerge' undoes it.")
    }
}

struct PersonUnmerge: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "unmerge", abstract: "Separate a merged duplicate again.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The duplicate.") var duplicate: String

    func run() throws {
        try options.openReplica().unmerge(duplicate)
        print("Unmerged.")
    }
}

struct PersonErase: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase", abstract: "Erase a person at their request: data, key and history, for good, on every replica.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The person's id.") var id: String
    @Flag(help: "Do not ask for confirmation (asked only on a terminal).") var yes = false

    func run() throws {
        let replica = try options.openReplica()
        if !yes && isatty(STDIN_FILENO) == 1 {
            let file = try replica.personFile(id)
            let name = ["family_name", "given_names"].compactMap { field in
                file.fields.value(of: field).map(TextFormat.visible)
            }.joined(separator: " ")
            FileHandle.standardError.write(
                Data(
                    "Erase \(name.isEmpty ? "this person" : name) (\(file.id)) for good, on every device? This cannot be undone. Type 'erase' to confirm: "
                        .utf8))
            guard readLine()?.trimmingCharacters(in: .whitespaces) == "erase" else {
                throw CommandError(description: "not confirmed; nothing was erased")
            }
        }
        let erased = try replica.erase(id)
        print("Erased \(erased.count) file(s): \(erased.map(\.hex).joined(separator: ", ")).")
    }
}

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
    @Option(
        name: .customLong("care-team"),
        help: "A care team that follows the person (repeatable); default: this device's own. 'all': the whole organisation.")
    var careTeams: [String] = []

    func run() throws {
        let teams = try careTeams.isEmpty ? nil : CareTeamOption.parse(careTeams)
        print(try options.openReplica().addPerson(assignments, careTeams: teams).hex)
    }
}

struct PersonMove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Give a person's file to other care teams; devices that lose it purge it once a hub holds their changes.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The person's id (or at least 6 of its first digits).") var id: String
    @Option(
        name: .customLong("care-team"), help: "A care team that follows the person from now on (repeatable); 'all': everyone.")
    var careTeams: [String] = []

    func validate() throws {
        guard !careTeams.isEmpty else { throw ValidationError("give at least one --care-team NAME (or --care-team all)") }
    }

    func run() throws {
        let teams = try CareTeamOption.parse(careTeams)
        try options.openReplica().movePerson(id, to: teams)
        print(
            teams.isEmpty ? "Moved to the whole organisation." : "Moved to \(teams.sorted().map(\.name).joined(separator: ", "))."
        )
    }
}

/// `--care-team` values: names, or `all` alone for the whole organisation.
enum CareTeamOption {
    static func parse(_ values: [String]) throws -> Set<CareTeam> {
        if values == ["all"] { return [] }
        do {
            return Set(try values.map { try CareTeam($0) })
        } catch {
            throw ValidationError("\(error) ('all' alone means the whole organisation)")
        }
    }
}

struct PersonUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Set or clear fields of a person.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The person's id (or at least 6 of its first digits).") var id: String
    @Option(name: .customLong("set"), help: "FIELD=VALUE") var assignments: [String] = []
    @Option(name: .customLong("unset"), help: "A field to clear.") var cleared: [String] = []

    func run() throws {
        try options.openReplica().updatePerson(id, set: assignments, unset: cleared)
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

    func run() throws {
        let erased = try options.openReplica().erase(id)
        print("Erased \(erased.count) file(s): \(erased.map(\.hex).joined(separator: ", ")).")
    }
}

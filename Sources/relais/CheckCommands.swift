import ArgumentParser
import RelaisStore

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the whole replica and say what is damaged, if anything.",
        discussion: """
            Checks SQLite's structure, every change against its author's signature, that every
            encrypted value opens, and every person's file against a rebuild from its changes.
            Changes nothing. Exit code 1 when something is damaged: then run 'relais repair'.
            """)
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try options.openReplica().check()
        try output.print(report) { Self.text(report) }
        guard report.isSound else {
            let mendable = report.damages.allSatisfy(\.repairable)
            throw CommandFailure(
                description: "\(report.damages.count) problem(s) found; "
                    + (mendable
                        ? "run 'relais repair --data \(options.data)'"
                        : "restore the folder from its backup ('relais restore'), or run 'relais repair' to mend what it can"))
        }
    }

    static func text(_ report: CheckReport) -> String {
        var text = "Checked \(report.changes) change(s), \(report.persons) person(s), \(report.values) value(s).\n"
        guard !report.isSound else { return text + "Nothing is damaged.\n" }
        let shown = report.damages.prefix(50)
        text += shown.map { "⚠ \($0.what)\($0.repairable ? "" : " (repair cannot mend this)")\n" }.joined()
        if report.damages.count > shown.count {
            text += "… and \(report.damages.count - shown.count) more ('--json' lists all)\n"
        }
        return text
    }
}

struct RepairCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repair",
        abstract: "Mend what 'relais check' found: rebuild files from their changes, fetch damaged changes from a peer.",
        discussion: """
            Rebuilds every person's file and the indexes from the stored changes. A damaged change
            is set aside and its persons' files wait for a peer's copy, fetched at the next
            'relais sync' (changes are signed, so any peer's copy is as good). Back up the folder
            first if you can ('relais backup').
            """)
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let report = try options.openReplica().repair()
        try output.print(report) {
            var text = "Rebuilt \(report.personsRebuilt) person file(s) from their changes.\n"
            if report.heldChangesDropped > 0 {
                text += "Dropped \(report.heldChangesDropped) damaged change(s) that were waiting; peers send them again.\n"
            }
            if report.changesToFetch > 0 {
                text +=
                    "⚠ \(report.changesToFetch) damaged change(s) set aside: their persons' files are marked incomplete until 'relais sync' fetches a peer's copy.\n"
            }
            if report.changesLost > 0 {
                text +=
                    "⚠ \(report.changesLost) damaged change(s) had reached no other device: what they recorded is lost; check the persons marked incomplete and enter it again.\n"
            }
            return text + CheckCommand.text(report.after)
        }
        guard report.after.isSound else {
            throw CommandFailure(
                description:
                    "\(report.after.damages.count) problem(s) remain that repair cannot mend: restore the folder from its backup ('relais restore')"
            )
        }
    }
}

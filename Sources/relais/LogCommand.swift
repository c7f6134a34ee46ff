import ArgumentParser
import RelaisStore

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "List the changes this replica holds and its version vector.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let log = try options.openReplica().changeLog()
        try output.print(log) { TextFormat.changeLog(log) }
    }
}

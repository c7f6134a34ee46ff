import ArgumentParser
import RelaisStore

struct HistoryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history", abstract: "Show who changed a record, what and when, checked against the authors' signatures.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions
    @Argument(help: "The record's id (or at least 6 of its first digits).") var id: String

    func run() throws {
        let entries = try options.openReplica().history(of: id)
        try output.print(entries) {
            entries.map { entry in
                let what = [entry.action, entry.field, entry.value.map { "= \(TextFormat.visible($0))" }].compactMap(\.self)
                    .joined(separator: " ")
                return "\(entry.writtenAt)  \(entry.device)  \(what)\(entry.isSignatureValid ? "" : "  ⚠ SIGNATURE INVALID")\n"
            }.joined()
        }
    }
}

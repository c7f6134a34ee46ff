import ArgumentParser
import RelaisCore
import RelaisStore

struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the record types, their fields and allowed values.")
    @OptionGroup var output: OutputOptions

    func run() throws {
        try output.print(Schema.bundled) { TextFormat.schema(Schema.bundled) }
    }
}

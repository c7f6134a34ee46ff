import ArgumentParser
import Foundation
import RelaisDaemon
import RelaisStore

@main
struct Relais: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "relais",
        abstract: "Keep the files of the people a team follows, encrypted, usable offline.",
        discussion: "Exit codes: 0 success, 1 failure, 2 bad input or wrong passphrase.",
        subcommands: [
            InitCommand.self, PersonCommand.self, LinkedRecordCommand<Visit>.self, LinkedRecordCommand<Referral>.self,
            LinkedRecordCommand<Appointment>.self, LinkedRecordCommand<RightsEpisode>.self,
            LinkedRecordCommand<ProgrammeEpisode>.self, LinkedRecordCommand<HouseholdLink>.self,
            LinkedRecordCommand<ConsentShare>.self, OrganisationRecordCommand<Partner>.self,
            OrganisationRecordCommand<CollectiveSession>.self, OrganisationRecordCommand<ProfessionalRequest>.self,
            ConflictsCommand.self, ExportCommand.self, ReportCommand.self, LogCommand.self, SchemaCommand.self,
            TeamCommand.self, AdminCommand.self, JoinCommand.self, ServeCommand.self, SyncCommand.self, StatusCommand.self,
            BundleCommand.self, PassphraseCommand.self, HistoryCommand.self, RotateDeviceKeyCommand.self,
            BackupCommand.self, RestoreCommand.self, CheckCommand.self, RepairCommand.self, DemoCaseloadCommand.self,
        ])

    /// Maps every failure to one line on standard error and a documented exit code.
    static func main() async {
        do {
            var command = try parseAsRoot()
            _ = try SystemClock.offset.get()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as StoreError {
            fail(error.description, code: error.isBadInput ? 2 : 1)
        } catch let error as DaemonError {
            fail(error.description, code: error.isBadInput ? 2 : 1)
        } catch let error as CommandError {
            fail(error.description, code: 2)
        } catch let error as CommandFailure {
            fail(error.description, code: 1)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            fail(oneLine(for: error), code: 2)
        }
    }

    /// ArgumentParser's message without its usage lines, and where to find the usage.
    private static func oneLine(for error: any Error) -> String {
        let full = fullMessage(for: error)
        var message = message(for: error).split(separator: "\n").first.map(String.init) ?? full
        if message.hasPrefix("Error: ") { message.removeFirst("Error: ".count) }
        guard let range = full.range(of: #"See '[^']+' for more information"#, options: .regularExpression) else {
            return message
        }
        let help = full[range].dropFirst("See ".count).dropLast(" for more information".count)
        return "\(message) (see \(help))"
    }

    private static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("relais: \(message)\n".utf8))
        Foundation.exit(code)
    }
}

/// Bad input noticed by the CLI itself.
struct CommandError: Error, CustomStringConvertible {
    let description: String
}

/// A command that ran but found what it was asked about wrong (exit code 1).
struct CommandFailure: Error, CustomStringConvertible {
    let description: String
}

import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// The `relais` executable as a mediator uses it: real processes, real files.
@Suite struct CommandLineTests {
    let cli = CLIWorkspace()
    var data: String { cli.path("data") }

    @Test func aMediatorsDayFromInitToErasure() throws {
        _ = try cli.run(["init", "--data", data, "--name", "laptop-a"])
        let person = try cli.run([
            "person", "add", "--data", data, "--set", "family_name=Diallo", "--set", "given_names=Élodie", "--set",
            "languages=ar,fr",
        ])
        #expect(person.count == 32)
        let visit = try cli.run([
            "visit", "add", "--data", data, "--person", String(person.prefix(8)), "--set", "date=2026-11-20", "--set",
            "kind=home_visit", "--set", "note=first visit",
        ])
        #expect(visit.count == 32)
        _ = try cli.run(["referral", "add", "--data", data, "--person", person, "--set", "to=pass", "--set", "status=proposed"])
        _ = try cli.run([
            "appointment", "add", "--data", data, "--person", person, "--set", "date=2026-12-01", "--set", "outcome=held",
        ])

        let shown =
            try JSONSerialization.jsonObject(with: Data(try cli.run(["person", "show", "--data", data, person, "--json"]).utf8))
            as! [String: Any]
        #expect(shown["id"] as? String == person)
        #expect((shown["linked"] as? [[String: Any]])?.count == 3)
        let fields = shown["fields"] as! [[String: Any]]
        #expect(fields.first { $0["name"] as? String == "languages" }?["values"] as? [String] == ["ar", "fr"])

        #expect(try cli.run(["person", "search", "--data", data, "elo"]).contains(person))
        let visits =
            try JSONSerialization.jsonObject(
                with: Data(try cli.run(["visit", "list", "--data", data, "--person", person, "--json"]).utf8)) as! [[String: Any]]
        #expect(visits.count == 1)
        #expect(
            try cli.run(["visit", "update", "--data", data, visit, "--set", "note=second thoughts", "--unset", "kind"])
                == "Updated.")
        let corrected = try cli.run(["visit", "list", "--data", data, "--person", person])
        #expect(corrected.contains("second thoughts") && !corrected.contains("home_visit"), "\(corrected)")
        #expect(try cli.relais.run(["referral", "update", "--data", data, visit, "--set", "reason=x"]).status == 2)
        #expect(try cli.relais.run(["visit", "update", "--data", data, visit]).status == 2)
        #expect(try cli.run(["person", "list", "--data", data]).contains("Diallo"))
        #expect(try cli.run(["log", "--data", data]).contains("Version vector"))
        #expect(try cli.run(["conflicts", "--data", data]).contains("No conflict"))

        _ = try cli.run(["person", "erase", "--data", data, person])
        #expect(try cli.run(["person", "list", "--data", data]).contains("No person"))
        let afterErasure = try cli.relais.run(["person", "show", "--data", data, person])
        #expect(afterErasure.status == 2)
        #expect(afterErasure.error.contains("erased"))
    }

    @Test func badInputGetsOneClearLineAndExitCodeTwo() throws {
        _ = try cli.run(["init", "--data", data])
        let person = try cli.run(["person", "add", "--data", data, "--set", "family_name=Martin"])
        let cases: [([String], String)] = [
            (["person", "add", "--data", data, "--set", "hiv=yes"], "person has no field 'hiv'"),
            (["person", "add", "--data", data, "--set", "sex=robot"], "allowed values: female, male, other, unknown"),
            (["person", "update", "--data", data, person, "--set", "birth_date=31/12/1980"], "YYYY-MM-DD"),
            (["visit", "add", "--data", data, "--person", "0000000000", "--set", "kind=home_visit"], "no record matches"),
            (["person", "show", "--data", data, "zz"], "is not a record id: give the id, or at least its first 6 characters"),
            (["person", "list"], "--data"),
            (["init", "--data", data], "already holds a replica"),
            // Regression: 150 accented characters are 300 bytes, more than a certificate can hold.
            (
                ["init", "--data", cli.path("other"), "--name", String(repeating: "é", count: 150)],
                "device name must have 1 to 200 bytes"
            ),
        ]
        for (arguments, message) in cases {
            let result = try cli.relais.run(arguments)
            #expect(result.status == 2, "\(arguments) exited \(result.status)")
            #expect(result.error.contains(message), "\(arguments): \(result.error)")
            #expect(!result.error.contains("Fatal error"))
        }
        #expect(try cli.run(["person", "list", "--data", data, "--json"]).contains("Martin"))
    }

    @Test func aWrongPassphraseExitsWithTwoAndChangesNothing() throws {
        _ = try cli.run(["init", "--data", data])
        _ = try cli.run(["person", "add", "--data", data, "--set", "family_name=Martin"])
        let before = cli.folder.allFiles().map { "\($0.path):\($0.bytes.count)" }.sorted()
        let result = try RelaisProcess(passphrase: "not the passphrase").run(["person", "list", "--data", data])
        #expect(result.status == 2)
        #expect(result.error == "relais: wrong passphrase or key file; nothing was changed\n")
        #expect(cli.folder.allFiles().map { "\($0.path):\($0.bytes.count)" }.sorted() == before)
        let noPassphrase = try RelaisProcess(passphrase: nil).run(["person", "list", "--data", data])
        #expect(noPassphrase.status == 2)
        #expect(noPassphrase.error.contains("no passphrase"))
    }

    @Test func aServerUnlocksWithAKeyFile() throws {
        let keyFile = cli.folder.path + "/hub.key"
        let unattended = RelaisProcess(passphrase: nil)
        #expect(try unattended.run(["init", "--data", data, "--key-file", keyFile]).status == 0)
        #expect(
            try unattended.run(["person", "add", "--data", data, "--key-file", keyFile, "--set", "family_name=Hub"]).status == 0)
        #expect(try unattended.run(["person", "list", "--data", data, "--key-file", keyFile]).output.contains("Hub"))
        // Its app asks for a passphrase of its own; a laptop's app asks for the keyring's.
        var environment = ProcessInfo.processInfo.environment
        environment["RELAIS_PASSPHRASE"] = nil
        environment["RELAIS_NEW_PASSPHRASE"] = "accueil du lundi"
        let admin = RelaisProcess(environment: environment)
        let set = try admin.run(["passphrase", "app", "--data", data, "--key-file", keyFile])
        #expect(set.status == 0 && FileManager.default.fileExists(atPath: data + "/app-login"), "\(set.error)")
        #expect(try cli.relais.run(["init", "--data", cli.path("laptop")]).status == 0)
        var laptop = environment
        laptop["RELAIS_PASSPHRASE"] = "test passphrase"
        let refused = try RelaisProcess(environment: laptop).run(["passphrase", "app", "--data", cli.path("laptop")])
        #expect(refused.status != 0 && refused.error.contains("opens with a passphrase"), "\(refused.error)")
    }

    /// A passphrase file saved with Windows line endings holds the same passphrase.
    @Test func aPassphraseFileWithWindowsLineEndingsOpensTheReplica() throws {
        let (unix, windows) = (cli.path("unix.txt"), cli.path("windows.txt"))
        try Data("le bon mot\n".utf8).write(to: URL(fileURLWithPath: unix))
        try Data("le bon mot\r\n".utf8).write(to: URL(fileURLWithPath: windows))
        let process = RelaisProcess(passphrase: nil)
        #expect(try process.run(["init", "--data", data, "--passphrase-file", unix]).status == 0)
        let opened = try process.run(["person", "list", "--data", data, "--passphrase-file", windows])
        #expect(opened.status == 0, "\(opened.error)")
    }

    /// A key file beside the keyring it seals would hand a thief of the folder both.
    @Test func aNewKeyFileIsRefusedInsideTheDataFolder() throws {
        let inside = try RelaisProcess(passphrase: nil).run(["init", "--data", data, "--key-file", data + "/hub.key"])
        #expect(inside.status != 0 && inside.error.contains("is inside the data folder"), "\(inside.error)")
        #expect(!FileManager.default.fileExists(atPath: data), "nothing was created")
    }

    @Test func schemaListsTypesFieldsAndValues() throws {
        let text = try cli.run(["schema"])
        #expect(text.contains("chronic_conditions"))
        let json = try JSONSerialization.jsonObject(with: Data(try cli.run(["schema", "--json"]).utf8)) as! [String: Any]
        #expect((json["record_types"] as? [Any])?.count == 12)
        #expect(json["version"] as? Int == 2)
    }

    /// The directory is the team's: a partner added on the command line is listed, and a
    /// referral can point to it; a reference to anything else is refused, nothing written.
    @Test func partnersAreTeamRecordsThatReferralsPointTo() throws {
        _ = try cli.run(["init", "--data", data])
        let partner = try cli.run(["partner", "add", "--data", data, "--set", "name=CeGIDD de La Grave", "--set", "kind=cegidd"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try cli.run(["partner", "list", "--data", data]).contains("CeGIDD de La Grave"))
        #expect(try !cli.run(["person", "list", "--data", data]).contains(partner))
        let person = try cli.run(["person", "add", "--data", data, "--set", "family_name=Rus"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        _ = try cli.run(["referral", "add", "--data", data, "--person", person, "--set", "partner=\(partner)"])
        let wrong = try RelaisProcess().run(["referral", "add", "--data", data, "--person", person, "--set", "partner=\(person)"])
        #expect(wrong.status != 0 && wrong.error.contains("no partner"), "\(wrong.error)")
        let show = try RelaisProcess().run(["person", "show", "--data", data, partner])
        #expect(show.status != 0 && show.error.contains("is not a person"), "\(show.error)")
        #expect(try cli.run(["person", "show", "--data", data, person]).components(separatedBy: "Referral ").count == 2)
    }
}

@Suite struct PassphraseChangeTests {
    let cli = CLIWorkspace()

    @Test func theNewPassphraseOpensAndTheOldOneNoLonger() throws {
        let data = cli.path("data")
        _ = try cli.run(["init", "--data", data])
        _ = try cli.run(["person", "add", "--data", data, "--set", "family_name=Kept"])
        var environment = cli.relais.environment
        environment["RELAIS_NEW_PASSPHRASE"] = "a brand new passphrase"
        let changed = try RelaisProcess(environment: environment).run(["passphrase", "change", "--data", data])
        #expect(changed.status == 0, "\(changed.error)")
        let old = try cli.relais.run(["person", "list", "--data", data])
        #expect(old.status == 2)
        let new = try RelaisProcess(passphrase: "a brand new passphrase").run(["person", "list", "--data", data])
        #expect(new.output.contains("Kept"))
    }
}

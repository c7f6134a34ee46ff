import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// `relais export csv`: the coordinator's spreadsheet, owner-only, in French by default, with
/// nothing a spreadsheet would run.
@Suite struct ExportCSVTests {
    let cli = CLIWorkspace()
    var data: String { cli.path("data") }

    private func table(_ folder: String, _ name: String) throws -> [String] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: folder + "/" + name))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF], "\(name) starts with the byte-order mark")
        return String(decoding: bytes.dropFirst(3), as: UTF8.self).components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test func everyRecordTypeIsATableThatJoinsByID() throws {
        _ = try cli.run(["init", "--data", data])
        let person = try cli.run(["person", "add", "--data", data, "--set", "family_name=Benali", "--set", "given_names=Samia"])
        let sneaky = try cli.run(["person", "add", "--data", data, "--set", "family_name==1+2", "--set", "given_names=Ali; Jo"])
        let visit = try cli.run([
            "visit", "add", "--data", data, "--person", person, "--set", "date=2026-11-03", "--set", "kind=accompaniment",
            "--set", "actions=care,vaccination",
        ])
        let partner = try cli.run(["partner", "add", "--data", data, "--set", "name=PASS de Purpan", "--set", "kind=pass"])

        let french = cli.path("export-fr")
        let result = try RelaisProcess().run(["export", "csv", "--data", data, "--out", french])
        #expect(result.status == 0, "\(result.error)")
        #expect(result.error.contains("personal data in clear"))
        #expect(result.error.split(separator: "\n").count == 1, "one line: \(result.error)")
        let persons = try table(french, "person.csv")
        #expect(persons[0].hasPrefix("identifiant;Nom;Prénom(s);"))
        #expect(persons.contains { $0.hasPrefix("\(person);Benali;Samia;") })
        #expect(persons.contains { $0.hasPrefix("\(sneaky);\"'=1+2\";\"Ali; Jo\";") }, "\(persons)")
        let visits = try table(french, "visit.csv")
        #expect(visits.count == 2)
        #expect(visits[1].hasPrefix("\(visit);\(person);2026-11-03;"))
        #expect(visits[1].contains("Accompagnement physique") && visits[1].contains("Soins, Vaccination"), "\(visits[1])")
        #expect(try table(french, "partner.csv")[1].hasPrefix("\(partner);PASS de Purpan;PASS;"))
        let names = try FileManager.default.contentsOfDirectory(atPath: french).sorted()
        #expect(names.count == 12 && names.contains("household_link.csv") && names.contains("disclosure.csv"))
        for name in names {
            let mode = try FileManager.default.attributesOfItem(atPath: french + "/" + name)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(name)")
        }
        #expect(try FileManager.default.attributesOfItem(atPath: french)[.posixPermissions] as? Int == 0o700)

        let english = cli.path("export-en")
        _ = try cli.run(["export", "csv", "--data", data, "--out", english, "--headers", "en", "--codes"])
        let codes = try table(english, "visit.csv")
        #expect(codes[0].hasPrefix("id,person,date,place_kind,place_name,kind,"))
        #expect(codes[1].contains(",accompaniment,") && codes[1].contains("\"care, vaccination\""), "\(codes[1])")
    }

    @Test func anExportNeverLandsInTheDataFolderNorOverAnotherUnasked() throws {
        _ = try cli.run(["init", "--data", data])
        let inside = try RelaisProcess().run(["export", "csv", "--data", data, "--out", data + "/export"])
        #expect(inside.status != 0 && inside.error.contains("inside the data folder"), "\(inside.error)")
        let out = cli.path("export")
        _ = try cli.run(["export", "csv", "--data", data, "--out", out])
        let again = try RelaisProcess().run(["export", "csv", "--data", data, "--out", out])
        #expect(again.status != 0 && again.error.contains("--force"), "\(again.error)")
        #expect(try RelaisProcess().run(["export", "csv", "--data", data, "--out", out, "--force"]).status == 0)
    }
}

import Foundation
import RelaisCore
import RelaisDaemon
import RelaisHarness
import RelaisStore

/// Row 9: the hub's figures over a whole programme, as the coordinator gets them: `relais report`
/// (every indicator, by month, over a year) and `relais export fhir` of every person, each a
/// process on a replica of its own. It holds `persons` persons, each with a consent to share with
/// a partner of the directory, and `visits` visits over 2026 in two teams, interpreting in one in
/// four; one person in ten also has a right opened, a referral and a programme episode.
func programmeRows(folder: String, persons: Int, visits: Int, passphrase: String) async throws -> [BenchRow] {
    var secret = Array(passphrase.utf8)
    let data = folder + "/programme"
    var ids: [String] = []
    let seedSeconds = try seconds {
        let replica = try Replica.create(
            folder: data, deviceName: "programme", unlock: KeyringUnlock.passphrase(&secret), wallClock: SystemClock.now)
        let partner = try replica.addOrganisationRecord(type: "partner", set: ["name=PASS du CHU", "kind=pass"]).hex
        for index in 0..<persons {
            let person = try replica.addPerson([
                "family_name=Diallo\(index)", "given_names=Awa", "birth_date=\(1950 + index % 50)",
                "has_gp=\(index % 3 == 0 ? "yes" : "no")",
            ]).hex
            ids.append(person)
            try replica.addLinkedRecord(type: "consent_share", person: person, set: ["partner=\(partner)", "date=2026-01-05"])
            guard index % 10 == 0 else { continue }
            let month = String(format: "%02d", 1 + index % 12)
            try replica.addLinkedRecord(
                type: "rights_episode", person: person,
                set: ["scheme=ame", "state=open", "filed=2025-12-01", "opened=2026-\(month)-15", "expires=2027-\(month)-14"])
            try replica.addLinkedRecord(
                type: "referral", person: person,
                set: ["to=pass", "date=2026-\(month)-02", "status=\(index % 20 == 0 ? "followed" : "proposed")"])
            try replica.addLinkedRecord(
                type: "programme_episode", person: person,
                set: ["inclusion_date=2026-\(month)-01", "empowerment_entry=2"])
        }
        for index in 0..<visits {
            var fields = [
                "date=2026-\(String(format: "%02d", 1 + index % 12))-\(String(format: "%02d", 1 + index % 28))",
                "kind=interview", "care_team=\(index % 2 == 0 ? "nord" : "sud")", "place_kind=day_centre",
            ]
            if index % 4 == 0 { fields += ["interpreter_used=ar", "interpreter_mode=phone", "interpreter_minutes=30"] }
            try replica.addLinkedRecord(type: "visit", person: ids[index % persons], set: fields)
        }
    }
    print(String(format: "relais-bench: row 9's replica written in %.0f s", seedSeconds))
    let cli = RelaisProcess(passphrase: passphrase)
    func timed(_ arguments: [String]) throws -> (seconds: Double, output: String) {
        var result: RelaisProcess.Result?
        let elapsed = try seconds { result = try cli.run(arguments) }
        guard let result, result.status == 0 else {
            throw PageClient.Failure(description: "relais \(arguments.joined(separator: " ")): \(result?.error ?? "")")
        }
        return (elapsed, result.output)
    }
    func report() throws -> Double {
        let report = try timed(["report", "--data", data, "--from", "2026-01", "--to", "2026-12", "--format", "json"])
        guard report.output.contains("\"file_active\"") else {
            throw PageClient.Failure(description: "the report has no figures")
        }
        return report.seconds
    }
    // What the hub's daemon does after an upgrade or a sync (`ReportFilesService`): it reads from
    // the records the files no report has kept, and keeps them. The first report then opens kept
    // files, and so does every later one, with the files written since read from the records:
    // here a visit to one person in 100, before and after the daemon caught up with them.
    secret = Array(passphrase.utf8)
    let replica = try Replica.open(folder: data, unlock: KeyringUnlock.passphrase(&secret), wallClock: SystemClock.now)
    func keepFiles() async throws -> Double {
        try await secondsAwaiting { _ = try await replica.reports.keepFiles() }
    }
    let fill = try await keepFiles()
    let first = try report()
    let touched = persons / 100
    for person in stride(from: 0, to: persons, by: 100).map({ ids[$0] }) {
        try replica.addLinkedRecord(
            type: "visit", person: person, set: ["date=2026-12-01", "kind=interview", "care_team=nord", "place_kind=day_centre"])
    }
    let beforeCatchUp = try report()
    let catchUp = try await keepFiles()
    let afterCatchUp = try report()
    let bundle = folder + "/programme.fhir.json"
    let export = try timed(["export", "fhir", "--data", data, "--out", bundle])
    let size = (try FileManager.default.attributesOfItem(atPath: bundle)[.size] as? Int) ?? 0
    let scale = "\(persons) persons, \(visits) visits"
    return [
        BenchRow(
            "9. the daemon keeps every report file after an upgrade (\(scale)), in the background",
            relais: String(format: "%.1f s", fill), ratio: "—"),
        BenchRow(
            "9. relais report, every indicator by month over 2026, then",
            relais: String(format: "%.1f s", first), ratio: "goal < 10 s"),
        BenchRow(
            "9. relais report after \(touched) persons' visits added, before the daemon read them",
            relais: String(format: "%.1f s", beforeCatchUp), ratio: "goal < 10 s"),
        BenchRow(
            "9. the daemon reads them (\(String(format: "%.1f s", catchUp))), then relais report",
            relais: String(format: "%.1f s", afterCatchUp), ratio: "goal < 10 s"),
        BenchRow(
            "9. relais export fhir of every person (\(scale))",
            relais: String(format: "%.1f s, %d MB", export.seconds, size / 1_000_000), ratio: "goal < 60 s"),
    ]
}

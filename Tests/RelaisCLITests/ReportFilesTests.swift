import Foundation
import RelaisHarness
@testable import RelaisStore
import RelaisTestSupport
import Testing

/// The hub's daemon reads the report's files as laptops sync them, so that the coordinator's
/// next report opens them kept instead of reading every person's records.
@Suite struct ReportFilesTests {
    let cli = CLIWorkspace()

    @Test func theHubKeepsTheFilesALaptopSyncs() throws {
        let hub = try cli.startTeam(laptops: ["laptop"])
        let laptop = cli.path("laptop")
        for name in ["Benali", "Traoré", "Nguyen"] {
            let person = try cli.run(["person", "add", "--data", laptop, "--set", "family_name=\(name)"])
            _ = try cli.run(["visit", "add", "--data", laptop, "--person", person, "--set", "date=2026-01-05"])
        }
        _ = try cli.run(["sync", "--data", laptop, "--peer", hub.address])
        #expect(hub.logShows("report files kept", within: 30), "\(hub.log)")
        #expect(hub.stop() == 0)

        let replica = try Replica.open(
            folder: cli.path("hub"), unlock: Passphrases.unlock("test passphrase"), wallClock: TestClock.machine)
        let (files, fresh) = try replica.reports.projections.read()
        #expect(files.count == 3)
        #expect(fresh.isEmpty, "the report read no file from the records")
    }
}

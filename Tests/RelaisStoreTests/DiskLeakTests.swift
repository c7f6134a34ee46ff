import Foundation
import RelaisCore
import RelaisHarness
import RelaisStore
import RelaisTestSupport
import Testing

/// Writes persons, visits and notes with unique markers, then scans every byte of every file in
/// the data folder: no marker, no lower-case marker, no health field name may appear.
@Suite struct DiskLeakTests {
    let markers = ["Zorglubova", "Quixotemarker", "Xylophrenia", "Vrombissante", "Cegiddnote"]
    let healthFieldNames = [
        "chronic_conditions", "hiv", "hepatitis", "pregnancy", "screening_results", "care_refusals", "note", "diabetes",
    ]

    func writeSensitiveData(into replica: Replica) throws {
        let person = try replica.addPerson([
            "family_name=\(markers[0])", "given_names=\(markers[1])", "chronic_conditions=hiv,diabetes,hepatitis_c",
            "pregnancy=yes", "screening_results=\(markers[2]) positive", "care_refusals=refused \(markers[3])",
        ])
        try replica.addLinkedRecord(
            type: "visit", person: person.hex, set: ["date=2026-11-20", "kind=home_visit", "note=\(markers[4]) rapid HIV test"])
        try replica.addLinkedRecord(type: "referral", person: person.hex, set: ["to=cegidd", "status=proposed"])
        try replica.updatePerson(person.hex, set: ["family_name=\(markers[0])-Bis"], unset: [])
    }

    func expectNoLeak(in folder: TemporaryFolder, moment: String) {
        let files = folder.allFiles()
        #expect(files.count >= 2, "the scan found no files")
        for file in files {
            let content = String(decoding: file.bytes, as: UTF8.self)
            let lowered = content.lowercased()
            for marker in markers {
                #expect(!content.contains(marker), "\(moment): \(marker) in \(file.path)")
                #expect(!lowered.contains(marker.lowercased()), "\(moment): \(marker.lowercased()) in \(file.path)")
            }
            for name in healthFieldNames {
                // Random ciphertext holds any given 3 or 4 letters now and then: short names are
                // looked for in the forms a leak would take (a qualified name, a key, a JSON string).
                let forms = name.count >= 6 ? [name] : [".\(name)", "\(name)=", "\"\(name)\""]
                for form in forms {
                    #expect(!lowered.contains(form), "\(moment): field name \(name) in \(file.path)")
                }
            }
        }
    }

    @Test func noPlaintextWhileOpenAfterCheckpointAndAfterACrashLikeClose() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        var replica: Replica? = try Replica.create(
            folder: data, deviceName: "leak-test", unlock: Passphrases.unlock("pass"), wallClock: TestClock.machine)
        try writeSensitiveData(into: replica!)
        // Copying the files while the database is open, WAL and all, is what a crash leaves.
        let crashCopy = TemporaryFolder()
        for file in folder.allFiles() {
            _ = FileManager.default.createFile(
                atPath: crashCopy.path + "/" + (file.path as NSString).lastPathComponent, contents: Data(file.bytes))
        }
        expectNoLeak(in: crashCopy, moment: "crash-like copy")
        expectNoLeak(in: folder, moment: "while open")
        try replica!.checkpoint()
        expectNoLeak(in: folder, moment: "after checkpoint")
        replica = nil
        expectNoLeak(in: folder, moment: "after close")

        let reopened = try Replica.open(folder: data, unlock: Passphrases.unlock("pass"), wallClock: TestClock.machine)
        #expect(try reopened.searchPersons("zorg").count == 1)
    }

    @Test func theScanCanFail() throws {
        let folder = TemporaryFolder()
        _ = FileManager.default.createFile(atPath: folder.path + "/plain", contents: Data("…\(markers[0])… person.hiv=yes".utf8))
        withKnownIssue { expectNoLeak(in: folder, moment: "planted") }
    }
}

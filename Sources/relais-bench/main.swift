import Foundation
import RelaisCore
import RelaisCrypto
import RelaisDaemon
import RelaisStore
import RelaisHarness

// Measures what `make bench` reports, against SQLite and libsodium in the same run; prints the
// table and writes it to BENCHMARKS.md. Figures are measured, never estimated.
// RELAIS_BENCH_PERSONS sets the number of persons (default 100 000), RELAIS_BENCH_VISITS the number
// of visits (default three per person; the first 200 go to one person, for `person show`),
// RELAIS_BENCH_HISTORY the changes both replicas hold before row 4 (default 10^6: the hub writes
// more visits, the laptop syncs them). Row 8 (the app's pages) always holds 5 000 persons.
// RELAIS_BENCH_ONLY=9 measures row 9 alone (the report and the FHIR export) and prints it.

let persons = ProcessInfo.processInfo.environment["RELAIS_BENCH_PERSONS"].flatMap(Int.init) ?? 100_000
let visits = max(200, ProcessInfo.processInfo.environment["RELAIS_BENCH_VISITS"].flatMap(Int.init) ?? 3 * persons)
let history = ProcessInfo.processInfo.environment["RELAIS_BENCH_HISTORY"].flatMap(Int.init) ?? 1_000_000
// Row 6 shows the first person and row 4 writes to the others: at least two are needed.
guard persons >= 2, history >= 0 else {
    FileHandle.standardError.write(
        Data("relais-bench: RELAIS_BENCH_PERSONS must be at least 2 and RELAIS_BENCH_HISTORY at least 0\n".utf8))
    exit(2)
}
let folder = NSTemporaryDirectory() + "relais-bench-" + UUID().uuidString
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

func open(_ name: String) throws -> Replica {
    var passphrase = Array("benchmark passphrase".utf8)
    return try Replica.create(
        folder: folder + "/" + name, deviceName: name, unlock: KeyringUnlock.passphrase(&passphrase), wallClock: SystemClock.now)
}

if ProcessInfo.processInfo.environment["RELAIS_BENCH_ONLY"] == "9" {
    for row in try await programmeRows(folder: folder, persons: persons, visits: visits, passphrase: "benchmark passphrase") {
        print(row.markdown)
    }
    try? FileManager.default.removeItem(atPath: folder)
    exit(0)
}

var rows: [BenchRow] = []
let baseline = try sqliteBaseline(count: persons, folder: folder)
let baselineName = "SQLite, sealed 200-byte blobs"

// 1. Local writes, on a hub that created a team (so a laptop can then apply what it wrote).
let hub = try open("hub")
_ = try hub.createTeam()
let names = ["Diallo", "Nguyen", "Popescu", "Martin", "Ahmed", "Kovač", "Traoré", "Bernard", "Sow", "Haddad"]
let given = ["Élodie", "Aminata", "Ion", "Marie", "Karim", "Fatou", "Mihai", "Leila", "Omar", "Ana"]
var personIDs: [String] = []
let writeSeconds = try seconds {
    for index in 0..<persons {
        let id = try hub.addPerson([
            "family_name=\(names[index % 10])\(index)", "given_names=\(given[(index / 10) % 10])",
            "birth_date=\(1950 + index % 60)",
        ])
        personIDs.append(id.hex)
    }
}
let firstID = personIDs[0]
rows.append(
    BenchRow(
        "1. local writes: person add (3 fields; one signed, durable change each)", rate: Double(persons) / writeSeconds,
        unit: "changes/s", baselineRate: baseline, baselineName: baselineName))
let visitSeconds = try seconds {
    for day in 0..<visits {
        try hub.addLinkedRecord(
            type: "visit", person: day < 200 ? firstID : personIDs[day % persons],
            set: ["date=2026-0\(1 + day % 9)-1\(day % 10)", "kind=home_visit", "note=visit \(day)"])
    }
}
rows.append(
    BenchRow(
        "1. local writes: visit add", rate: Double(visits) / visitSeconds, unit: "changes/s", baselineRate: baseline,
        baselineName: baselineName))

/// A laptop enrolled by the hub.
@MainActor func enrolled(_ name: String) throws -> Replica {
    let laptop = try open(name)
    try laptop.join(hub.enrolDirectly(laptop.keyring))
    return laptop
}

// 2. Applying remote changes: a laptop enrolled by the hub verifies, checks and stores them.
let laptop = try enrolled("laptop")
let changes = try hub.changes(missingFrom: VersionVector())
// In batches of at most 512, one transaction each, as a session applies them.
let applySeconds = try seconds {
    for start in stride(from: 0, to: changes.count, by: 512) {
        try laptop.apply(remote: Array(changes[start..<min(start + 512, changes.count)]))
    }
}
rows.append(
    BenchRow(
        "2. applying remote changes (verify, check, store, index; 512 per transaction)",
        rate: Double(changes.count) / applySeconds,
        unit: "changes/s", baselineRate: baseline, baselineName: baselineName))

// 3 and 4. Initial and incremental sync between real processes over loopback.
let loopback = LoopbackSync(
    relais: (CommandLine.arguments[0] as NSString).deletingLastPathComponent + "/relais", passphrase: "benchmark passphrase")
let server = try DaemonProcess(data: folder + "/hub", passphrase: "benchmark passphrase", logFolder: folder)
let port = server.port
_ = try enrolled("newcomer")
let payload = changes.reduce(0) { $0 + $1.encoded.count }
let initial = try loopback.sync(folder + "/newcomer", port: port)
let wire = initial.bytesReceived + initial.bytesSent
rows.append(
    BenchRow(
        "3. initial sync of a new laptop: \(initial.changesReceived) changes (\(persons) persons, \(visits) visits)",
        relais: String(
            format: "%.1f s, %d bytes on the wire; peak memory: laptop %d MB, hub %d MB",
            Double(initial.durationMilliseconds) / 1_000, wire, initial.peakKilobytes / 1_024,
            server.peakResidentKilobytes / 1_024),
        baseline: "\(payload) bytes of signed changes",
        ratio: String(format: "%.3f× (goal ≤ 1.25×)", Double(wire) / Double(payload))))
// 4. Both replicas first grow to `history` changes: more visits (never to the first person, whose
// 200 are row 6's), synced to the laptop; the first session measured then has nothing to send.
@MainActor func held() throws -> Int { try hub.versionVector.entries.values.reduce(0) { $0 + Int($1) } }
let extraVisits = max(0, history - 1 - (try held()))
let growSeconds = try seconds {
    for day in 0..<extraVisits {
        try hub.addLinkedRecord(
            type: "visit", person: personIDs[1 + day % (persons - 1)],
            set: ["date=2025-0\(1 + day % 9)-\(10 + day % 18)", "kind=home_visit", "note=history \(day)"])
    }
}
let grown = try loopback.sync(folder + "/newcomer", port: port)
if extraVisits > 0 {
    print(
        String(
            format: "history: the hub wrote %d more visits in %.0f s; the laptop synced them in %.0f s", extraVisits,
            growSeconds, Double(grown.durationMilliseconds) / 1_000))
}
let idle = try loopback.sync(folder + "/newcomer", port: port)
_ = try hub.addPerson(["family_name=Incremental", "given_names=Change"])
let single = try loopback.sync(folder + "/newcomer", port: port)
let singleBytes = single.bytesSent + single.bytesReceived
let idleBytes = idle.bytesSent + idle.bytesReceived
rows.append(
    BenchRow(
        "4. incremental sync of 1 change over \(try held()) changes",
        relais:
            "\(singleBytes - idleBytes) bytes and \(single.durationMilliseconds - idle.durationMilliseconds) ms beyond a session with nothing to send",
        baseline: "session with nothing to send: \(idleBytes) bytes, \(idle.durationMilliseconds) ms",
        ratio: "goals: ≤ 2 048 bytes, ≤ 20 ms"))

// 5. A poor link: 1 000 new changes (a person and 999 visits) reach the laptop through a proxy that
// throttles each direction to 256 kbit/s and delays each by 150 ms (300 ms round trips).
let linkRate = 32_000
let roundTrip = 0.3
let remote = try hub.addPerson(["family_name=Poorlink", "given_names=Village"]).hex
for day in 0..<999 {
    try hub.addLinkedRecord(
        type: "visit", person: remote, set: ["date=2026-10-\(10 + day % 18)", "kind=home_visit", "note=poor link \(day)"])
}
let proxy = try FaultProxy(target: port, faults: .init(bytesPerSecond: linkRate, delay: .milliseconds(150)))
let poor = try loopback.sync(folder + "/newcomer", port: proxy.port)
// The link's own bound: the larger direction's bytes at the link rate, plus one round trip to open
// the connection and one to ask for the changes.
let lowerBound = Double(max(poor.bytesSent, poor.bytesReceived)) / Double(linkRate) + 2 * roundTrip
let poorSeconds = Double(poor.durationMilliseconds) / 1_000
rows.append(
    BenchRow(
        "5. \(poor.changesReceived) changes over 256 kbit/s with 300 ms round trips",
        relais: String(format: "%.1f s, %d bytes on the wire", poorSeconds, poor.bytesSent + poor.bytesReceived),
        baseline: String(format: "link bound %.1f s (bytes ÷ rate + 2 round trips)", lowerBound),
        ratio: String(format: "%.2f× (goal ≤ 1.3×)", poorSeconds / lowerBound)))
server.stop()

// 6. Search and show.
for query in ["traore99", "kovac12", "nguyen4 mihai", "zzz", "martin3"] {
    var found = 0
    let searchSeconds = try seconds { found = try hub.searchPersons(query).count }
    rows.append(
        BenchRow(
            "6. person search '\(query)' over \(persons) persons",
            relais: String(format: "%.1f ms, %d result(s)", searchSeconds * 1_000, found)))
}
let showSeconds = try seconds { for _ in 0..<5 { _ = try hub.personFile(firstID) } }
rows.append(BenchRow("6. person show with 200 visits", relais: String(format: "%.1f ms", showSeconds * 1_000 / 5)))

// 7. What libsodium itself does here.
let key = SecureBytes.random(count: AEAD.keyBytes)
let megabyte = [UInt8](repeating: 7, count: 1_024 * 1_024)
let aeadSeconds = seconds { for _ in 0..<64 { _ = AEAD.seal(megabyte, key: key, associatedData: []) } }
rows.append(BenchRow("7. XChaCha20-Poly1305 seal (libsodium)", relais: String(format: "%.0f MB/s", 64 / aeadSeconds)))
let signer = SigningKey.generate()
let message = [UInt8](repeating: 1, count: 200)
let signature = signer.sign(message)
var valid = 0
let verifySeconds = seconds {
    for _ in 0..<5_000 where SigningKey.isValid(signature: signature, message: message, publicKey: signer.publicKey) {
        valid += 1
    }
}
rows.append(BenchRow("7. Ed25519 verifications (libsodium)", relais: String(format: "%.0f /s", Double(valid) / verifySeconds)))

// 8. The app's pages, over a replica of their own.
rows += try appPageRows(folder: folder, passphrase: "benchmark passphrase")

// 9. The programme's report and FHIR export, over a replica of their own.
rows += try await programmeRows(folder: folder, persons: persons, visits: visits, passphrase: "benchmark passphrase")

let table = (["| measurement | Relais | baseline (same run) | ratio |", "| --- | --- | --- | --- |"] + rows.map(\.markdown))
    .joined(separator: "\n")
print(table)
let machine =
    ProcessInfo.processInfo.environment["RELAIS_BENCH_MACHINE"] ?? "\(ProcessInfo.processInfo.activeProcessorCount) cores"
// The notes (goals missed and the profiles that explain them) are written by people and kept.
let previous = (try? String(contentsOfFile: "BENCHMARKS.md", encoding: .utf8)) ?? ""
let notes = previous.range(of: "## Notes").map { String(previous[$0.lowerBound...]) } ?? "## Notes\n"
let document = """
    # Benchmarks

    The table is written by `make bench` (release build of `relais-bench`); the notes are not.

    - Machine: \(machine)
    - Date: \(Date().formatted(.iso8601))
    - Command: `make bench` with RELAIS_BENCH_PERSONS=\(persons) RELAIS_BENCH_VISITS=\(visits) RELAIS_BENCH_HISTORY=\(history)

    \(table)


    """
try (document + notes).write(toFile: "BENCHMARKS.md", atomically: true, encoding: .utf8)

import Foundation
import RelaisCore
import RelaisCrypto
import RelaisStore

// Measures what `make bench` reports; figures are printed as a Markdown table, never estimated.
// RELAIS_BENCH_PERSONS sets the number of persons (default 100 000).

let persons = ProcessInfo.processInfo.environment["RELAIS_BENCH_PERSONS"].flatMap(Int.init) ?? 100_000
let folder = NSTemporaryDirectory() + "relais-bench-" + UUID().uuidString
defer { try? FileManager.default.removeItem(atPath: folder) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let elapsed = ContinuousClock.now - start
    return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
}

func row(_ name: String, _ value: String) { print("| \(name) | \(value) |") }

var passphrase = Array("benchmark passphrase".utf8)
let replica = try Replica.create(folder: folder, deviceName: "bench", unlock: KeyringUnlock.passphrase(&passphrase))
let names = ["Diallo", "Nguyen", "Popescu", "Martin", "Ahmed", "Kovač", "Traoré", "Bernard", "Sow", "Haddad"]
let given = ["Élodie", "Aminata", "Ion", "Marie", "Karim", "Fatou", "Mihai", "Leila", "Omar", "Ana"]

print("| measurement | figure |")
print("| --- | --- |")
var firstID = ""
let writeSeconds = try seconds {
    for index in 0..<persons {
        let id = try replica.addPerson([
            "family_name=\(names[index % 10])\(index)", "given_names=\(given[(index / 10) % 10])",
            "birth_date=\(1950 + index % 60)",
        ])
        if index == 0 { firstID = id.hex }
    }
}
row(
    "local writes: person add (3 fields, one signed change each)",
    String(format: "%.0f changes/s (%d persons in %.1f s)", Double(persons) / writeSeconds, persons, writeSeconds))

let visitSeconds = try seconds {
    for day in 0..<200 {
        try replica.addLinkedRecord(
            type: "visit", person: firstID,
            set: ["date=2026-0\(1 + day % 9)-1\(day % 10)", "kind=home_visit", "note=visit \(day)"])
    }
}
row("local writes: visit add", String(format: "%.0f changes/s", 200 / visitSeconds))

for query in ["traore99", "kovac12", "nguyen4 mihai", "zzz", "martin3", "dia"] {
    var found = 0
    let searchSeconds = try seconds { found = try replica.searchPersons(query).count }
    row("person search '\(query)' over \(persons) persons", String(format: "%.1f ms, %d result(s)", searchSeconds * 1_000, found))
}

let showSeconds = try seconds { for _ in 0..<5 { _ = try replica.personFile(firstID) } }
row("person show with 200 visits", String(format: "%.1f ms", showSeconds * 1_000 / 5))

let key = SecureBytes.random(count: AEAD.keyBytes)
let megabyte = [UInt8](repeating: 7, count: 1_024 * 1_024)
let aeadSeconds = seconds { for _ in 0..<64 { _ = AEAD.seal(megabyte, key: key, associatedData: []) } }
row("baseline: XChaCha20-Poly1305 seal", String(format: "%.0f MB/s", 64 / aeadSeconds))

let signer = SigningKey.generate()
let message = [UInt8](repeating: 1, count: 200)
let signature = signer.sign(message)
var valid = 0
let verifySeconds = seconds {
    for _ in 0..<5_000 where SigningKey.isValid(signature: signature, message: message, publicKey: signer.publicKey) {
        valid += 1
    }
}
row("baseline: Ed25519 verifications", String(format: "%.0f /s", Double(valid) / verifySeconds))

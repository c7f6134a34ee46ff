import Foundation
import RelaisStore
import RelaisTestSupport
import Testing

/// A damaged keyring is told apart from a wrong passphrase: a mediator told the passphrase is
/// wrong would think they forgot it, and try again, instead of restoring the backup.
@Suite struct KeyringDamageTests {
    func outcome(_ data: String) throws -> String {
        do {
            _ = try Replica.open(folder: data, unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
            return "opened"
        } catch StoreError.keyringDamaged(let reason) {
            return reason.contains("relais restore") ? "damaged" : "damaged, without advice: \(reason)"
        } catch {
            return "\(error)"
        }
    }

    /// Every single-byte flip and every truncation of the keyring is reported as damage, with
    /// what to do; none as a wrong passphrase, none opens.
    @Test func everyFlipAndTruncationIsDamageNotAWrongPassphrase() throws {
        let folder = TemporaryFolder()
        let data = folder.path + "/data"
        _ = try Replica.create(folder: data, deviceName: "k", unlock: Passphrases.unlock("right"), wallClock: TestClock.machine)
        let path = data + "/keyring"
        let original = try Data(contentsOf: URL(fileURLWithPath: path))
        var outcomes: [String: Int] = [:]
        for index in original.indices {
            var flipped = original
            flipped[index] ^= 0x10
            try flipped.write(to: URL(fileURLWithPath: path))
            outcomes[try outcome(data), default: 0] += 1
        }
        for length in 0..<original.count {
            try original.prefix(length).write(to: URL(fileURLWithPath: path))
            outcomes[try outcome(data), default: 0] += 1
        }
        #expect(outcomes == ["damaged": 2 * original.count], "\(outcomes)")
        try original.write(to: URL(fileURLWithPath: path))
        #expect(try outcome(data) == "opened")
        #expect {
            _ = try Replica.open(folder: data, unlock: Passphrases.unlock("wrong"), wallClock: TestClock.machine)
        } throws: { error in
            guard let error = error as? StoreError, case .wrongPassphrase = error else { return false }
            return true
        }
    }
}

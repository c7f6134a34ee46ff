import Foundation
import RelaisHarness
import RelaisTestSupport
import Testing

/// Errors that point the right way: one line, the documented exit code, and advice that helps.
@Suite struct ErrorMessageTests {
    let cli = CLIWorkspace()
    var data: String { cli.path("data") }

    func expectOneLine(_ result: RelaisProcess.Result, status: Int32, containing message: String, _ what: String) {
        #expect(result.status == status, "\(what) exited \(result.status): \(result.error)")
        #expect(result.error.contains(message), "\(what): \(result.error)")
        #expect(result.error.split(separator: "\n").count == 1, "\(what) took more than one line: \(result.error)")
    }

    @Test func badInputIsOneLineThatSaysWhatIsAccepted() throws {
        _ = try cli.run(["init", "--data", data])
        _ = try cli.run(["team", "create", "--data", data, "--name", "equipe"])
        let person = try cli.run(["person", "add", "--data", data, "--set", "family_name=Martin"])
        let cases: [([String], String)] = [
            (["person", "list"], "Missing expected argument '--data <data>' (see 'relais person list --help')"),
            (["person", "list", "--data", data, "--bogus"], "Unknown option '--bogus'"),
            (["person", "add", "--data", data, "--set", "family_name=   "], "not blank"),
            (["person", "add", "--data", data, "--set", "birth_date=1700-01-01"], "between 1850 and 2200"),
            (["admin", "invite", "--data", data, "--role", "field", "--valid-hours", "-1"], "--valid-hours must be 1 to 720"),
            (["join", "--data", cli.path("nothere"), "--hub", "127.0.0.1:9", "--token", "x"], "run 'relais init"),
            (["conflicts", "resolve", "--data", data, person, "family_name", "--value", "Dupont"], "is not in conflict"),
        ]
        for (arguments, message) in cases {
            expectOneLine(try cli.relais.run(arguments), status: 2, containing: message, "\(arguments)")
        }
        #expect(try cli.run(["person", "show", "--data", data, person]).contains("Martin"), "nothing was overwritten")
    }

    /// A note at its length limit fits in one change whatever the script (a Tamil syllable is two
    /// code points, a health worker emoji with a skin tone five); one more is refused with the
    /// limit, in characters, never "too large for one change".
    @Test func aLongNoteInTamilOrEmojiIsBoundedInCharacters() throws {
        _ = try cli.run(["init", "--data", data])
        let person = try cli.run(["person", "add", "--data", data, "--set", "family_name=Raman"])
        for letter in ["தி", "👩🏽‍⚕️"] {
            let atLimit = String(repeating: letter, count: 10_000 / letter.unicodeScalars.count)
            let saved = try cli.relais.run(["visit", "add", "--data", data, "--person", person, "--set", "note=\(atLimit)"])
            #expect(saved.status == 0, "\(saved.error)")
            let over = try cli.relais.run([
                "visit", "add", "--data", data, "--person", person, "--set", "note=\(atLimit)\(letter)",
            ])
            expectOneLine(over, status: 2, containing: "1 to 10000 characters", "a note one '\(letter)' too long")
        }
    }

    /// A synced value cannot drive a teammate's terminal: escapes, carriage returns and
    /// right-to-left overrides are shown, not obeyed.
    @Test func controlCharactersAreEscapedOnOutput() throws {
        _ = try cli.run(["init", "--data", data])
        let person = try cli.run([
            "person", "add", "--data", data, "--set", "family_name=Faux\u{1B}[2J\rNom\u{202E}lanigiro", "--set",
            "given_names=Ana",
        ])
        for arguments in [["person", "list", "--data", data], ["person", "show", "--data", data, person]] {
            let shown = try cli.run(arguments)
            #expect(!shown.unicodeScalars.contains { [0x1B, 0x0D, 0x202E].contains($0.value) }, "\(arguments)")
            #expect(shown.contains(#"Faux\u{1B}[2J\u{D}Nom\u{202E}lanigiro"#), "\(arguments): \(shown)")
        }
    }

    @Test func configurationNumbersAndUnknownKeysAreNamed() throws {
        _ = try cli.run(["init", "--data", data])
        let cases: [(String, String)] = [
            (#"{"sync_interval_seconds": 1e300}"#, "sync_interval_seconds must be a whole number from 1 to 86400"),
            (#"{"sync_interval_seconds": 0.001}"#, "sync_interval_seconds must be a whole number from 1 to 86400"),
            (#"{"sync_interval": 5}"#, "unknown setting 'sync_interval'"),
            (#"{"ui": "0.0.0.0:8437"}"#, "ui must be a loopback address"),
        ]
        for (content, message) in cases {
            let path = cli.path("relais.json")
            try Data(content.utf8).write(to: URL(fileURLWithPath: path))
            let result = try cli.relais.run(["serve", "--data", data, "--config", path, "--listen", "127.0.0.1:0"])
            expectOneLine(result, status: 2, containing: message, content)
        }
    }

    @Test func theAppIsServedOnLoopbackOnly() throws {
        _ = try cli.run(["init", "--data", data])
        for address in ["0.0.0.0:8437", "192.168.1.10:8437", "[::]:8437"] {
            let result = try cli.relais.run(["serve", "--data", data, "--listen", "127.0.0.1:0", "--ui", address])
            expectOneLine(result, status: 2, containing: "use an SSH tunnel", "--ui \(address)")
        }
    }

    @Test func aPortInUseIsAFailureThatSaysSo() throws {
        _ = try cli.run(["init", "--data", cli.path("first")])
        _ = try cli.run(["init", "--data", data])
        let first = try DaemonProcess(data: cli.path("first"), logFolder: cli.folder.path)
        let second = try cli.relais.run(["serve", "--data", data, "--listen", first.address, "--no-discovery", "--no-ui"])
        expectOneLine(second, status: 1, containing: "the port is already in use", "a second daemon on \(first.address)")
        #expect(first.stop() == 0)
    }

    @Test func aHangUpStopsTheDaemonCleanly() throws {
        _ = try cli.run(["init", "--data", data])
        let daemon = try DaemonProcess(data: data, logFolder: cli.folder.path)
        #expect(daemon.stop(with: SIGHUP) == 0, "\(daemon.log.suffix(1_000))")
        #expect(daemon.log.contains("stopped"), "\(daemon.log.suffix(1_000))")
    }

    @Test func aFolderOthersCanOpenGetsAWarning() throws {
        _ = try cli.run(["init", "--data", data])
        chmod(data, 0o777)
        chmod(data + "/keyring", 0o666)
        let result = try cli.relais.run(["person", "list", "--data", data])
        #expect(result.status == 0)
        #expect(result.error.contains("run 'chmod 700 \(data)'") && result.error.contains("run 'chmod 600 \(data)/keyring'"))
    }

    /// Erasure cannot be undone on any device: on a terminal, it asks first.
    @Test func eraseOnATerminalAsksFirst() throws {
        _ = try cli.run(["init", "--data", data])
        let person = try cli.run(["person", "add", "--data", data, "--set", "family_name=Martin"])
        for (answer, erased) in [("no", false), ("erase", true)] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/script")
            process.arguments = ["-qec", "\(RelaisProcess.executable) person erase --data \(data) \(person)", "/dev/null"]
            process.environment = ProcessInfo.processInfo.environment.merging(["RELAIS_PASSPHRASE": "test passphrase"]) { $1 }
            let input = Pipe()
            process.standardInput = input
            process.standardOutput = Pipe()
            try process.run()
            Thread.sleep(forTimeInterval: 1)
            input.fileHandleForWriting.write(Data("\(answer)\n".utf8))
            process.waitUntilExit()
            #expect((process.terminationStatus == 0) == erased, "answer '\(answer)'")
            let listed = try cli.run(["person", "list", "--data", data])
            #expect(listed.contains("Martin") != erased, "answer '\(answer)': \(listed)")
        }
    }
}

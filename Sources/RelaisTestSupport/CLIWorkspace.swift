import Foundation
import RelaisHarness

/// A temporary folder and the `relais` executable, as the CLI tests use them.
public struct CLIWorkspace {
    public let folder = TemporaryFolder()
    public let relais = RelaisProcess()

    public init() {}

    public func path(_ name: String) -> String { folder.path + "/" + name }

    /// A hub (`relais team create`) with its daemon running, and field laptops it enrolled by name.
    public func startTeam(laptops: [String]) throws -> DaemonProcess {
        _ = try run(["init", "--data", path("hub"), "--name", "hub"])
        _ = try run(["team", "create", "--data", path("hub"), "--name", "CHU"])
        let hub = try DaemonProcess(data: path("hub"), logFolder: folder.path)
        for name in laptops {
            _ = try run(["init", "--data", path(name), "--name", name])
            let token = try run(["admin", "invite", "--data", path("hub"), "--role", "field", "--name", name])
            _ = try run(["join", "--data", path(name), "--hub", hub.address, "--token", token])
        }
        return hub
    }

    /// Every person's file and every conflict, as JSON: equal snapshots mean converged replicas.
    public func snapshot(_ data: String) throws -> String {
        let list = try run(["person", "list", "--data", data, "--json"])
        let ids = (try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [[String: Any]] ?? []).compactMap {
            $0["id"] as? String
        }
        return try ids.map { try run(["person", "show", "--data", data, $0, "--json"]) }.joined(separator: "\n")
            + (try run(["conflicts", "--data", data, "--json"]))
    }

    /// Runs a command that must succeed and returns its output, trimmed.
    /// - Throws: `CommandFailed` with the command's error output when it exits non-zero.
    public func run(_ arguments: [String]) throws -> String {
        let result = try relais.run(arguments)
        guard result.status == 0 else { throw CommandFailed(arguments: arguments, status: result.status, error: result.error) }
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

public struct CommandFailed: Error, CustomStringConvertible {
    public let arguments: [String]
    public let status: Int32
    public let error: String

    public var description: String { "relais \(arguments.joined(separator: " ")) exited \(status): \(error)" }
}

import ArgumentParser
import Foundation
import RelaisCore
import RelaisDaemon
import RelaisStore

struct TeamCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "team", abstract: "Create the team this node administers.", subcommands: [TeamCreate.self])
}

struct TeamCreate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Make this node the admin and hub of a new team.")
    @OptionGroup var options: DataOptions
    @Option(help: "The team's name, for people.") var name: String

    func run() throws {
        try ServeLock.ensureNotServing(folder: options.data)
        let team = try options.openReplica().createTeam()
        print("Created team \(name) (\(team.team.hex)); this node is its admin and hub.")
        print("Invite devices with 'relais admin invite --data \(options.data) --role field'.")
    }
}

struct AdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin", abstract: "Enrol, list and revoke the team's devices; rotate the team key.",
        subcommands: [
            AdminInvite.self, AdminDevices.self, AdminRevoke.self, AdminAssign.self, AdminRotateTeamKey.self,
            AdminRotateAdminKey.self,
        ])
}

struct AdminInvite: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invite", abstract: "Print a one-time enrolment token (single use, expires).")
    @OptionGroup var options: DataOptions
    @Option(help: "field or hub") var role: String
    @Option(help: "The device's name, shown to admins.") var name: String?
    @Option(parsing: .unconditional, help: "Hours the token stays valid, 1 to 720.") var validHours = 24

    func validate() throws {
        guard ["field", "hub"].contains(role) else { throw ValidationError("--role must be field or hub") }
        guard (1...720).contains(validHours) else { throw ValidationError("--valid-hours must be 1 to 720") }
    }

    func run() throws {
        let token = try options.openReplica().createInvite(
            role: role == "hub" ? .hub : .field, name: name ?? "", validFor: .seconds(validHours * 3_600))
        print(token)
    }
}

struct AdminDevices: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "devices", abstract: "List the team's devices.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let devices = try options.openReplica().devices()
        try output.print(devices) {
            devices.map {
                "\($0.device.prefix(8))  \($0.role.padding(toLength: 5, withPad: " ", startingAt: 0))  \($0.name)  expires \($0.expiresAt)\($0.revokedAt.map { "  REVOKED \($0)" } ?? "")\($0.replacedBy.map { "  RETIRED, now \($0.prefix(8))" } ?? "")\($0.careTeams.isEmpty ? "" : "  care teams: \($0.careTeams.joined(separator: ", "))")\($0.isThisDevice ? "  (this device)" : "")\n"
            }.joined()
        }
    }
}

struct AdminRevoke: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke", abstract: "Take back a lost or retired device; it wipes itself when it meets any peer.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The device id (or at least 6 of its first digits).") var device: String

    func run() throws {
        let replica = try options.openReplica()
        let certificate = try replica.revokeDevice(device)
        print(
            "Revoked \(certificate.name) (\(certificate.device.hex)). Every node that syncs learns it; the device destroys its keys when it does."
        )
        print(
            "The \(try replica.versionVector[certificate.device]) changes of it this node holds stay valid; whatever else it wrote is void everywhere."
        )
        print(
            "Then run 'relais admin rotate-team-key --data \(options.data)' so that what is written next stays unreadable to it.")
    }
}

struct AdminAssign: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Put a field device in care teams: it holds their persons and the organisation's, and purges the others.")
    @OptionGroup var options: DataOptions
    @Argument(help: "The device id (or at least 6 of its first digits).") var device: String
    /// `all`: no care team, only the organisation's persons.
    @OptionGroup var careTeams: CareTeamOptions

    func validate() throws { try careTeams.require() }

    func run() throws {
        let teams = careTeams.teams
        let certificate = try options.openReplica().assignCareTeams(device, teams)
        let names =
            teams.isEmpty ? "no care team (the organisation's persons only)" : teams.sorted().map(\.name).joined(separator: ", ")
        print(
            "\(certificate.name) (\(certificate.device.hex.prefix(8))) now in \(names); every node learns it at its next session."
        )
    }
}

struct AdminRotateTeamKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-team-key",
        abstract: "Start a new team key, sealed to every device not revoked; what is written next is unreadable to others.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let rotation = try options.openReplica().rotateTeamKey()
        try output.print(rotation) {
            "Team key epoch \(rotation.epoch) sealed to \(rotation.devices) device(s); they receive it at their next session.\n"
        }
    }
}

struct AdminRotateAdminKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-admin-key",
        abstract: "Replace the admin key with a new one it endorses; certificates are issued anew under it.")
    @OptionGroup var options: DataOptions
    @OptionGroup var output: OutputOptions

    func run() throws {
        let rotation = try options.openReplica().rotateAdminKey()
        try output.print(rotation) {
            "New admin key in place (\(rotation.links) rotation(s) since the team began); \(rotation.certificates) certificate(s) issued anew. Devices follow the chain at their next session.\n"
        }
    }
}

struct JoinCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "join", abstract: "Enrol this node with the team's hub using a one-time token.")
    @OptionGroup var options: DataOptions
    @Option(help: "The hub, as HOST:PORT.") var hub: String
    @Option(help: "The token 'relais admin invite' printed, or the app's invitation code in quotes (blanks are ignored).")
    var token: String

    func run() async throws {
        let address = try PeerAddress(parsing: hub)
        try ServeLock.ensureNotServing(folder: options.data)
        let node = try LocalNode(folder: options.data, unlock: options.unlock(confirmingNewPassphrase: false))
        let certificate = try await SyncClient.enrol(with: address, token: token, node: node)
        print(
            "Joined team \(certificate.team.hex) as a \(certificate.role) device; certificate valid until \(LocalTime.format(milliseconds: certificate.expiresAt.milliseconds))."
        )
    }
}

struct RotateDeviceKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-device-key",
        abstract: "Change this device's keys: the admin node certifies new ones and retires the old certificate.")
    @OptionGroup var options: DataOptions
    @Option(help: "The team's admin node, as HOST:PORT (left out on the admin node itself).") var hub: String?

    func run() async throws {
        let address = try hub.map { try PeerAddress(parsing: $0) }
        try ServeLock.ensureNotServing(folder: options.data)
        let certificate: DeviceCertificate
        if let address {
            let node = try LocalNode(folder: options.data, unlock: options.unlock(confirmingNewPassphrase: false))
            certificate = try await SyncClient.changeKeys(with: address, node: node)
        } else {
            certificate = try options.openReplica().changeOwnKeys()
        }
        print(
            "This device is now \(certificate.device.hex), with new keys; its old certificate is retired. Certificate valid until \(LocalTime.format(milliseconds: certificate.expiresAt.milliseconds))."
        )
    }
}

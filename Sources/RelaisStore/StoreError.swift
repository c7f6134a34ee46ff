import RelaisCore

/// Everything the store can refuse, in words a mediator or an admin can act on.
public enum StoreError: Error, Sendable, CustomStringConvertible {
    case notInitialised(String)
    /// The keyring is there, the database is not (or is empty): never a fresh start, which would
    /// sign numbers the team already holds.
    case replicaMissing(String)
    /// The database is there, the keyring is not: `init` would make it unreadable for good.
    case keyringMissing(String)
    case alreadyInitialised(String)
    case wrongPassphrase
    case keyringDamaged(String)
    /// SQLite found the database file damaged where it reads: nothing the replica holds is trusted.
    case replicaDamaged(String)
    case noRecord(String)
    /// Not an id nor a prefix long enough to name one record for long.
    case unusableID(String)
    case ambiguousRecord(String, matches: Int)
    case wrongRecordType(String, expected: String)
    case erased(RecordID)
    /// The person is in another care team's scope: this device does not hold their file.
    case outsideScope(RecordID)
    /// The person entered this device's scope; their file has not arrived yet.
    case awaitingFile(RecordID)
    case invalidWrite(String)
    case schema(SchemaError)
    case unreadable(record: RecordID, what: String)
    case badSignature(origin: DeviceID, sequence: UInt64)
    case unknownDevice(DeviceID)
    /// A closure (SPEC.md §10) that is not the admin's word on one of this team's devices.
    case badClosure(DeviceID)
    case refused(ChangeRefusal)
    case malformedChange(DecodingError)
    case database(String)
    case io(String)
    case deviceRevoked(String)
    /// An enrolment token the admin node will not take (SPEC.md §9).
    case unusableInvite(InviteProblem)
    /// An enrolling device asked for an id this team already knows (SPEC.md §9).
    case deviceIDTaken(DeviceID)
    /// Restored from a backup, or found behind its own history: it may sign nothing more under
    /// its current identity (SPEC.md §10, "Restored devices").
    case mustChangeIdentity

    /// A device name a certificate could not carry.
    static let deviceNameRefused = StoreError.invalidWrite(
        "the device name must have 1 to \(RelaisCore.Limits.deviceNameBytesMax) bytes")

    public var description: String {
        switch self {
        case .notInitialised(let path): "no replica in \(path); run 'relais init --data \(path)' first"
        case .replicaMissing(let path):
            "\(path) has a keyring but its replica (replica.sqlite) is missing or empty; nothing was changed: restore the folder from its backup ('relais restore'), or move it aside and join the team again as a new device"
        case .keyringMissing(let path):
            "\(path) has a replica but its keyring is missing, so it cannot be read; nothing was changed: put the keyring back or restore the folder from its backup ('relais restore'); do not run 'relais init' there"
        case .alreadyInitialised(let path): "\(path) already holds a replica; nothing was changed"
        case .wrongPassphrase: "wrong passphrase or key file; nothing was changed"
        case .keyringDamaged(let reason): "the keyring is damaged: \(reason)"
        case .replicaDamaged(let reason):
            "the replica file is damaged (\(reason)); nothing was changed: 'relais check' says what, 'relais repair' mends what it can; if neither opens it, restore the folder from its backup ('relais restore')"
        case .noRecord(let id): "no record matches '\(id)'"
        case .unusableID(let id):
            "'\(id)' is not a record id: give the id, or at least its first 6 characters (digits 0-9 and letters a-f)"
        case .ambiguousRecord(let id, let matches): "'\(id)' matches \(matches) records; give more digits"
        case .wrongRecordType(let id, let expected): "record \(id) is not a \(expected)"
        case .erased(let id): "person \(id) was erased at their request; their file cannot be used"
        case .outsideScope(let id): "person \(id) is followed by other care teams; this device does not hold their file"
        case .awaitingFile(let id): "person \(id)'s file has not reached this device yet; sync with the hub"
        case .invalidWrite(let reason): reason
        case .schema(let error): error.description
        case .unreadable(let record, let what):
            "record \(record): \(what) cannot be decrypted (damaged or tampered); run 'relais check' to see what else is"
        case .badSignature(let origin, let sequence): "change \(origin)#\(sequence) has an invalid signature; refused"
        case .unknownDevice(let device): "change from unknown device \(device); refused"
        case .badClosure(let device): "the closure of device \(device) is not signed by this team's admin; refused"
        case .refused(let refusal): "change refused: \(refusal)"
        case .malformedChange(let error): "malformed change: \(error)"
        case .database(let reason): "database error: \(reason)"
        case .io(let reason): reason
        case .deviceRevoked(let folder):
            "this device was revoked by its team admin; its keys were destroyed and \(folder) can no longer be opened"
        case .unusableInvite(let problem): problem.description
        case .mustChangeIdentity:
            "this replica was restored or copied from an older copy, so it takes a new identity before writing (no change number may be signed twice): run 'relais rotate-device-key' with the team's admin node; nothing was written"
        case .deviceIDTaken(let device):
            "device id \(device) is already known to this team: a device cannot enrol under another's id (the token is used up)"
        }
    }

    /// Bad input (exit code 2) as opposed to a failure (exit code 1).
    public var isBadInput: Bool {
        switch self {
        case .wrongPassphrase, .noRecord, .unusableID, .ambiguousRecord, .wrongRecordType, .erased, .outsideScope, .awaitingFile,
            .invalidWrite, .schema,
            .alreadyInitialised, .notInitialised:
            true
        default:
            false
        }
    }
}

/// Why an admin node will not enrol with a token; the joining device is told which.
public enum InviteProblem: Sendable, Hashable, CustomStringConvertible {
    case unknown
    case used
    case expired(WallTime)

    public var description: String {
        switch self {
        case .unknown: "the enrolment token is unknown to this hub (mistyped, or made by another hub)"
        case .used: "the enrolment token was already used; ask the team admin for a new one"
        case .expired(let time):
            "the enrolment token expired on \(LocalTime.format(milliseconds: time.milliseconds)); ask the team admin for a new one"
        }
    }
}

// What reads return: plain values, Codable so that `--json` prints them as documented in README.

/// One field as a person sees it: its value, and every competing value while in conflict.
public struct FieldView: Codable, Hashable, Sendable {
    public let name: String
    public let sensitivity: String
    /// The value shown (the deterministic winner), or the elements of a set field.
    public let values: [String]
    public let inConflict: Bool
    /// Every competing value with its author, oldest first; empty unless in conflict.
    public let candidates: [ValueCandidate]
    /// Some value failed to decrypt: damaged or tampered data.
    public let unreadable: Bool
}

/// One competing value of a field in conflict; a nil value means the field was cleared.
public struct ValueCandidate: Codable, Hashable, Sendable {
    public let value: String?
    public let device: String
    public let writtenAt: String
}

/// A visit, referral or appointment; or a record of the whole organisation (a partner of the
/// directory, a collective session), whose `person` is its own id.
public struct RecordView: Codable, Hashable, Sendable {
    public let id: String
    public let type: String
    public let person: String
    public let fields: [FieldView]
    /// The record cannot be read (its type does not decrypt, or its stored state is damaged).
    public let damaged: Bool
    /// The record holds fields, or is of a type, that only a newer version of Relais shows: they
    /// are kept and relayed intact, and shown once this node is updated (SPEC.md §6).
    public let newer: Bool
}

/// A person's whole file: their fields (merged duplicates included) and linked records.
public struct PersonFile: Codable, Hashable, Sendable {
    public let id: String
    /// Duplicates merged into this person, whose fields and records appear here.
    public let mergedFrom: [String]
    /// The care teams that may hold the person; empty: the whole organisation (SPEC.md §14).
    public let careTeams: [String]
    /// Some of the person's operations reached this replica only as digests: the file shown is
    /// not complete until a peer holding them (the hub) sends them.
    public let incomplete: Bool
    public let fields: [FieldView]
    public let linked: [RecordView]
    /// The file holds data only a newer version of Relais shows (in the person's fields or in
    /// records of types this version does not know, which `linked` lists without fields).
    public let newer: Bool
}

/// A line of `person list` or `person search`.
public struct PersonSummary: Codable, Hashable, Sendable {
    public let id: String
    public let familyName: String?
    public let givenNames: String?
    public let birthDate: String?
    public let inConflict: Bool
    /// The person's file cannot be read here: damaged or tampered (`relais check` says what).
    public let damaged: Bool
}

/// A field in conflict somewhere in the replica.
public struct ConflictView: Codable, Hashable, Sendable {
    public let record: String
    public let type: String
    public let field: String
    public let candidates: [ValueCandidate]
}

/// One stored change, without its sealed content.
public struct ChangeSummary: Codable, Hashable, Sendable {
    public let origin: String
    public let sequence: UInt64
    public let writtenAt: String
    public let operations: Int
    /// Operations of erased persons, kept only as digests.
    public let redacted: Int
}

/// `relais log`: the version vector and the changes this replica holds.
public struct ChangeLogView: Codable, Hashable, Sendable {
    public let device: String
    public let vector: [String: UInt64]
    public let pending: Int
    /// Devices whose clocks were found far ahead: their data is kept, their clock not followed.
    public let skewedDevices: [SkewedDevice]
    public let changes: [ChangeSummary]
}

/// A change refused because another one holds its (origin, sequence): its device was restored from
/// a backup, or is hostile. The refused change is kept aside, not lost.
public struct Equivocation: Codable, Hashable, Sendable {
    public let device: String
    public let sequence: UInt64
    public let seenAt: String
}

/// A peer whose clock ran further ahead than this replica follows.
public struct SkewedDevice: Codable, Hashable, Sendable {
    public let device: String
    public let aheadSeconds: UInt64
    public let seenAt: String
}

extension [FieldView] {
    /// The value shown for the field `name` (a set's first element); nil when it holds none.
    public func value(of name: String) -> String? { first { $0.name == name }?.values.first }
}

/// One write inside a change. Every operation belongs to one person, whose data key seals its
/// values and whose erasure turns it into a redacted digest.
public struct Operation: Hashable, Sendable {
    /// The person whose file the operation writes to.
    public let person: RecordID
    /// The record it writes: the person itself, or a record linked to them.
    public let record: RecordID
    /// What it does to that record.
    public let body: Body

    /// An operation on `record` of `person`'s file.
    public init(person: RecordID, record: RecordID, body: Body) {
        self.person = person
        self.record = record
        self.body = body
    }

    /// The kinds of write (SPEC.md §2).
    public enum Body: Hashable, Sendable {
        /// A new record; a person's own record has `record == person`. The type is sealed.
        case createRecord(sealedType: [UInt8])
        /// A multi-value register write replacing exactly the values it names; nil clears it.
        case setRegister(field: FieldToken, supersedes: [Dot], sealedValue: [UInt8]?)
        /// An add-wins set element, tagged by this operation's dot.
        case addElement(field: FieldToken, sealedElement: [UInt8])
        /// Removes the elements whose tags the author had observed.
        case removeElements(field: FieldToken, dots: [Dot])
        /// Hides the record for good (a tombstone); its values stay for unmerge and audit.
        case deleteRecord
        /// Destroys the person's key, data and history on every replica, for good.
        case erasePerson
        /// The person's data key, wrapped under the team key of `epoch`.
        case personKey(epoch: UInt32, wrappedKey: [UInt8])
        /// The care teams that may hold the person, replacing the lists its author had seen;
        /// empty: the whole organisation. Plaintext: every node routes by it (SPEC.md §14).
        case setScope(supersedes: [Dot], careTeams: Set<CareTeam>)
    }
}

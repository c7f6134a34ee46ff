/// A validated field value, before sealing and after opening.
public enum FieldValue: Hashable, Sendable, CustomStringConvertible {
    case text(String)
    case date(PartialDate)
    case enumeration(String)
    case boolean(Bool)
    case integer(Int64)
    case reference(RecordID)

    /// The value as the CLI prints it.
    public var description: String {
        switch self {
        case .text(let text): text
        case .date(let date): date.description
        case .enumeration(let value): value
        case .boolean(let flag): flag ? "yes" : "no"
        case .integer(let number): String(number)
        case .reference(let id): id.hex
        }
    }
}

/// Why a write does not fit the schema: one line a mediator can act on.
public enum SchemaError: Error, Hashable, Sendable, CustomStringConvertible {
    case unknownRecordType(String, allowed: [String])
    case unknownField(type: String, field: String, allowed: [String])
    case invalidValue(field: String, value: String, expected: String)
    case notAllowed(field: String, value: String, allowed: [String])
    case malformedAssignment(String)
    case repeatedField(String)
    case invalidSchema(String)
    case deprecatedField(type: String, field: String, replacedBy: String?)

    /// The error in words, naming what is allowed.
    public var description: String {
        switch self {
        case .unknownRecordType(let name, let allowed):
            "unknown record type '\(name)'; the types are: \(allowed.joined(separator: ", "))"
        case .unknownField(let type, let field, let allowed):
            "\(type) has no field '\(field)'; its fields are: \(allowed.joined(separator: ", "))"
        case .invalidValue(let field, let value, let expected):
            "\(field): '\(value)' is not valid; expected \(expected)"
        case .notAllowed(let field, let value, let allowed):
            "\(field): '\(value)' is not allowed; allowed values: \(allowed.joined(separator: ", "))"
        case .malformedAssignment(let text):
            "'\(text)' is not of the form FIELD=VALUE"
        case .repeatedField(let field):
            "\(field) is given more than once"
        case .deprecatedField(let type, let field, let replacement):
            "\(type).\(field) is no longer written"
                + (replacement.map { "; write a \($0) record instead ('relais \($0.map { $0 == "_" ? "-" : $0 }) add')" } ?? "")
        case .invalidSchema(let reason):
            "the record schema is invalid: \(reason)"
        }
    }
}

import Foundation

/// A resource's JSON, so that a bundle goes through `JSONEncoder` rather than
/// `JSONSerialization`, which bridged every value to an `NSObject` and took two thirds of the
/// time of exporting a hub.
enum JSONValue: Encodable {
    case string(String)
    case bool(Bool)
    case array([JSONValue])
    case object([String: JSONValue])

    /// - Throws: `EncodingError.invalidValue` for anything but text, a boolean, an array or an object.
    init(_ value: Any) throws {
        switch value {
        case let text as String: self = .string(text)
        case let flag as Bool: self = .bool(flag)
        case let array as [Any]: self = .array(try array.map(JSONValue.init))
        case let object as [String: Any]: self = .object(try object.mapValues(JSONValue.init))
        default:
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not a value of a FHIR resource"))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .bool(let flag): try container.encode(flag)
        case .array(let array): try container.encode(array)
        case .object(let object): try container.encode(object)
        }
    }
}

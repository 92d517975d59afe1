import FlireoAPI

/// The sandbox speaks FlireoAPI's JSON value: one parser and one writer for the client and
/// the server. Objects keep their members in order, so responses read like the contract's.
typealias JSON = JSONValue

/// One member of a JSON object, in order.
typealias JSONMember = JSONObject.Element

extension JSONValue {
    /// An integer (the sandbox counts in `Int`).
    static func int(_ value: Int) -> JSONValue { .integer(Int64(value)) }

    /// A string, or `null` for nil.
    static func string(_ value: String?) -> JSONValue {
        value.map(JSONValue.string) ?? .null
    }

    /// An id as its lowercase text, or `null` for nil.
    static func id(_ id: SandboxID?) -> JSONValue {
        id.map { .string($0.description) } ?? .null
    }

    /// An object of these members, in this order.
    static func object(_ members: [JSONMember]) -> JSONValue {
        .object(JSONObject(entries: members))
    }

    /// An integral number as `Int` (a float only when it is a whole number well inside the
    /// exact range), else nil.
    var intValue: Int? {
        switch self {
        case .integer(let value): return Int(exactly: value)
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    /// The kind of value, for error messages: `string`, `number`, `object`, …
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

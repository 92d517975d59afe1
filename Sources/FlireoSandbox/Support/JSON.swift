/// A JSON value with ordered object members, so responses keep the documented field order
/// and explicit `null`s (which synthesized `Codable` would drop).
enum JSON: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([JSONMember])

    /// The member named `key` of an object, or nil (also for non-objects).
    /// - Parameter key: The member name.
    subscript(key: String) -> JSON? {
        guard case .object(let members) = self else { return nil }
        return members.first(where: { $0.key == key })?.value
    }

    /// The string payload, if this is a string.
    var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The integer payload, if this is an integer (or a double with an integral value).
    var intValue: Int? {
        switch self {
        case .int(let value): return value
        case .double(let value) where value.rounded() == value && abs(value) < 9.0e15: return Int(value)
        default: return nil
        }
    }

    /// The numeric payload as a double, if this is a number.
    var doubleValue: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .double(let value): return value
        default: return nil
        }
    }

    /// The members, if this is an object.
    var objectValue: [JSONMember]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The elements, if this is an array.
    var arrayValue: [JSON]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is `null`.
    var isNull: Bool { self == .null }

    /// The JSON type name used in error messages ("string", "object", …).
    var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .int, .double: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }

    /// A string value, or null when `value` is nil.
    static func string(_ value: String?) -> JSON {
        value.map(JSON.string) ?? .null
    }

    /// An id's string form, or null when `id` is nil.
    static func id(_ id: SandboxID?) -> JSON {
        id.map { .string($0.description) } ?? .null
    }
}

/// One `"key": value` pair of a JSON object.
struct JSONMember: Sendable, Equatable {
    /// The member name.
    var key: String
    /// The member value.
    var value: JSON

    /// Creates a member.
    /// - Parameters:
    ///   - key: The member name.
    ///   - value: The member value.
    init(_ key: String, _ value: JSON) {
        self.key = key
        self.value = value
    }
}

extension JSON: ExpressibleByDictionaryLiteral {
    /// Builds an object keeping the literal's order.
    /// - Parameter elements: The members in order.
    init(dictionaryLiteral elements: (String, JSON)...) {
        self = .object(elements.map { JSONMember($0.0, $0.1) })
    }
}

extension JSON: ExpressibleByArrayLiteral {
    /// Builds an array.
    /// - Parameter elements: The elements.
    init(arrayLiteral elements: JSON...) {
        self = .array(elements)
    }
}

extension JSON: ExpressibleByStringLiteral {
    /// Builds a string.
    /// - Parameter value: The string.
    init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension JSON: ExpressibleByIntegerLiteral {
    /// Builds an integer.
    /// - Parameter value: The integer.
    init(integerLiteral value: Int) {
        self = .int(value)
    }
}

extension JSON: ExpressibleByBooleanLiteral {
    /// Builds a boolean.
    /// - Parameter value: The boolean.
    init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

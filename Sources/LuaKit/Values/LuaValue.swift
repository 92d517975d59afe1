/// A Lua value as a Swift snapshot: what crosses between Swift and Lua by copy.
///
/// Integers stay integers and floats stay floats; strings are bytes. Tables are
/// copied (see `LuaTable`). Functions, threads and foreign userdata cannot be copied
/// and read as `.opaque`, which pushes back as nil.
public enum LuaValue: Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(LuaString)
    case table(LuaTable)
    /// The JSON null sentinel (`json.null`): a value where nil would drop a key or a slot.
    case null
    /// A Swift object exposed to Lua as a userdata.
    case object(any LuaObject)
    /// A value that cannot be copied (function, thread, foreign userdata): its description.
    case opaque(String)

    /// A string value from Swift text.
    public static func string(_ text: String) -> LuaValue { .string(LuaString(text)) }

    /// The value as an integer, if it is one (or a float with an integral value).
    public var integerValue: Int64? {
        switch self {
        case .integer(let i): i
        case .number(let d): Int64(exactly: d)
        default: nil
        }
    }

    /// The value as a float, if it is a number.
    public var numberValue: Double? {
        switch self {
        case .integer(let i): Double(i)
        case .number(let d): d
        default: nil
        }
    }

    /// The value as text, if it is a string.
    public var stringValue: String? {
        if case .string(let s) = self { return s.text }
        return nil
    }

    /// The value as a table, if it is one.
    public var tableValue: LuaTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    /// Whether the value is nil.
    public var isNil: Bool {
        if case .nil = self { return true }
        return false
    }

    /// A field of a table value (nil for anything else).
    public subscript(key: String) -> LuaValue {
        tableValue?[key] ?? .nil
    }

    /// An element of a table value's array part (1-based, as in Lua).
    public subscript(index: Int) -> LuaValue {
        tableValue?[index] ?? .nil
    }
}

extension LuaValue: Equatable {
    /// Raw equality: numbers compare by value across integer and float, as Lua's `rawequal`;
    /// objects by identity.
    public static func == (lhs: LuaValue, rhs: LuaValue) -> Bool {
        switch (lhs, rhs) {
        case (.nil, .nil), (.null, .null): true
        case (.boolean(let a), .boolean(let b)): a == b
        case (.integer(let a), .integer(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): Double(a) == b && Int64(exactly: b) == a
        case (.string(let a), .string(let b)): a == b
        case (.table(let a), .table(let b)): a == b
        case (.object(let a), .object(let b)): a === b
        case (.opaque(let a), .opaque(let b)): a == b
        default: false
        }
    }
}

extension LuaValue: ExpressibleByNilLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByFloatLiteral, ExpressibleByStringLiteral, ExpressibleByArrayLiteral,
    ExpressibleByDictionaryLiteral
{
    public init(nilLiteral: ()) { self = .nil }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(stringLiteral value: String) { self = .string(LuaString(value)) }
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        self = .table(LuaTable(fields: elements))
    }
}

/// A Lua string: bytes, which are usually (not always) UTF-8 text.
public struct LuaString: Sendable, Hashable, CustomStringConvertible {
    /// The bytes.
    public var bytes: [UInt8]

    /// A string from raw bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }
    /// A string from text (its UTF-8 bytes).
    public init(_ text: String) { self.bytes = Array(text.utf8) }

    /// The bytes decoded as UTF-8 (invalid sequences become U+FFFD).
    public var text: String { String(decoding: bytes, as: UTF8.self) }
    /// The text.
    public var description: String { text }
}

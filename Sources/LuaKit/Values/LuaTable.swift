/// A copied Lua table: its sequence `1...n` and its other fields, in a stable order.
///
/// `shape` records whether the table is known to be a JSON array or object, so that an
/// empty `[]` and an empty `{}` survive a trip through Lua.
public struct LuaTable: Sendable, Equatable {
    /// What a table stands for when it is encoded as JSON.
    public enum Shape: Sendable, Equatable {
        /// Decided by its keys (`1...n` is an array).
        case unspecified
        /// A JSON array, even when empty.
        case array
        /// A JSON object, even when empty.
        case object
    }

    /// The values at keys `1...n`.
    public var array: [LuaValue]
    /// Every other key and its value (keys sorted for strings and numbers).
    public var hash: [(key: LuaValue, value: LuaValue)]
    /// The JSON shape marker.
    public var shape: Shape

    /// A table with a sequence part.
    public init(array: [LuaValue] = [], hash: [(key: LuaValue, value: LuaValue)] = [], shape: Shape = .unspecified) {
        self.array = array
        self.hash = hash
        self.shape = shape
    }

    /// A table of string-keyed fields (a JSON object when encoded).
    public init(fields: [(String, LuaValue)], shape: Shape = .unspecified) {
        self.array = []
        self.hash = fields.map { (key: LuaValue.string($0.0), value: $0.1) }
        self.shape = shape
    }

    /// The value of a string-keyed field.
    public subscript(key: String) -> LuaValue? {
        for (k, v) in hash { if case .string(let s) = k, s.bytes.elementsEqual(key.utf8) { return v } }
        return nil
    }

    /// The value at a 1-based sequence index.
    public subscript(index: Int) -> LuaValue? {
        index >= 1 && index <= array.count ? array[index - 1] : nil
    }

    /// The string keys of the table, in order.
    public var fieldNames: [String] {
        hash.compactMap { $0.key.stringValue }
    }

    public static func == (lhs: LuaTable, rhs: LuaTable) -> Bool {
        guard lhs.array == rhs.array, lhs.hash.count == rhs.hash.count else { return false }
        return zip(lhs.hash, rhs.hash).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

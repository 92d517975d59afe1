import FlireoAPI
import LuaKit

/// A result table under construction: fields in a stable order, nils left out (JSON null
/// becomes nil in results).
struct LuaRecord {
    private(set) var fields: [(String, LuaValue)] = []

    subscript(key: String) -> LuaValue? {
        get { fields.first { $0.0 == key }?.1 }
        set {
            fields.removeAll { $0.0 == key }
            if let newValue, !newValue.isNil { fields.append((key, newValue)) }
        }
    }

    mutating func set(_ key: String, _ value: String?) { self[key] = value.map { .string($0) } }
    mutating func set(_ key: String, _ value: Int?) { self[key] = value.map { .integer(Int64($0)) } }
    mutating func set(_ key: String, _ value: Bool?) { self[key] = value.map { .boolean($0) } }
    mutating func set(_ key: String, _ value: LuaRecord?) { self[key] = value?.value }
    mutating func set(_ key: String, _ value: [LuaRecord]?) {
        self[key] = value.map { .table(LuaTable(array: $0.map(\.value), shape: .array)) }
    }

    /// The record as a Lua table.
    var value: LuaValue { .table(LuaTable(fields: fields)) }

    /// A record and the server's object it came from: what the natives return, as two
    /// values; the Lua side makes `raw` reachable from the record.
    static func pair(_ record: LuaRecord, _ raw: JSONValue) -> [LuaValue] {
        [record.value, raw.luaValue(keepNulls: true)]
    }
}

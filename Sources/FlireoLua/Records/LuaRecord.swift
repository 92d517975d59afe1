import FlireoAPI
import LuaKit

/// A result table under construction: fields in a stable order, nils left out (JSON null
/// becomes nil in results). It is pushed straight onto the Lua stack, field by field, so
/// a result costs no `LuaValue` tree on the way.
struct LuaRecord: Sendable {
    /// A field's value, kept as the Swift value it is until it is pushed.
    enum Field: Sendable {
        case text(String)
        case integer(Int64)
        case flag(Bool)
        case record(LuaRecord)
        case records([LuaRecord])
        case value(LuaValue)
    }

    private(set) var fields: [(String, Field)] = []

    /// Sets or removes (`nil`) a field; a field set again moves to the end, as it was added last.
    private mutating func put(_ key: String, _ field: Field?) {
        fields.removeAll { $0.0 == key }
        if let field { fields.append((key, field)) }
    }

    subscript(key: String) -> LuaValue? {
        get { fields.first { $0.0 == key }?.1.value }
        set { put(key, newValue.flatMap { $0.isNil ? nil : .value($0) }) }
    }

    mutating func set(_ key: String, _ value: String?) { put(key, value.map { .text($0) }) }
    mutating func set(_ key: String, _ value: Int?) { put(key, value.map { .integer(Int64($0)) }) }
    mutating func set(_ key: String, _ value: Bool?) { put(key, value.map { .flag($0) }) }
    mutating func set(_ key: String, _ value: LuaRecord?) { put(key, value.map { .record($0) }) }
    mutating func set(_ key: String, _ value: [LuaRecord]?) { put(key, value.map { .records($0) }) }

    /// The record as a Lua table value (for results built as `LuaValue`s, such as pages).
    var value: LuaValue { .table(LuaTable(fields: fields.map { ($0.0, $0.1.value) })) }

    /// Pushes the record: the same table ``value`` makes, sized and filled in the same order.
    func push(_ call: LuaCall) {
        call.pushTable(fields: fields.count)
        for (key, field) in fields {
            field.push(call)
            call.setField(key)
        }
    }

    /// A record and the server's object it came from: what the natives return, as two
    /// values; the Lua side makes `raw` reachable from the record.
    static func result(_ record: LuaRecord, _ raw: JSONValue) -> LuaAsyncResult {
        LuaAsyncResult { call in
            record.push(call)
            raw.push(call, keepNulls: true)
            return 2
        }
    }
}

extension LuaRecord.Field {
    var value: LuaValue {
        switch self {
        case .text(let text): .string(text)
        case .integer(let number): .integer(number)
        case .flag(let flag): .boolean(flag)
        case .record(let record): record.value
        case .records(let records): .table(LuaTable(array: records.map(\.value), shape: .array))
        case .value(let value): value
        }
    }

    func push(_ call: LuaCall) {
        switch self {
        case .text(let text): call.push(text)
        case .integer(let number): call.push(number)
        case .flag(let flag): call.push(flag)
        case .record(let record): record.push(call)
        case .records(let records): call.pushArray(records) { $0.push(call) }
        case .value(let value): call.push(value)
        }
    }
}

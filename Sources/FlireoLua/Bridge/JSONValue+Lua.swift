import FlireoAPI
import LuaKit

extension JSONValue {
    /// The value as Lua sees it. Objects keep their shape marker so that an empty `{}`
    /// encodes back as `{}`.
    /// - Parameter keepNulls: keep `null` as `json.null` (raw responses) or drop it (records).
    func luaValue(keepNulls: Bool) -> LuaValue {
        switch self {
        case .null: keepNulls ? .null : .nil
        case .bool(let b): .boolean(b)
        case .integer(let i): .integer(i)
        case .double(let d): .number(d)
        case .string(let s): .string(s)
        case .array(let items):
            .table(LuaTable(array: items.map { $0.luaValue(keepNulls: true) }, shape: .array))
        case .object(let object):
            .table(LuaTable(
                fields: object.entries.compactMap { entry in
                    let value = entry.value.luaValue(keepNulls: keepNulls)
                    return value.isNil ? nil : (entry.key, value)
                },
                shape: .object))
        }
    }

    /// Pushes the value ``luaValue(keepNulls:)`` makes straight onto the stack: the same
    /// tables, sized and filled in the same order, without building the tree first.
    /// - Parameters:
    ///   - call: the call to push on.
    ///   - keepNulls: keep `null` as `json.null` or drop it (arrays always keep it).
    func push(_ call: LuaCall, keepNulls: Bool) {
        switch self {
        case .null:
            if keepNulls { call.pushNull() } else { call.pushNil() }
        case .bool(let b): call.push(b)
        case .integer(let i): call.push(i)
        case .double(let d): call.push(d)
        case .string(let s): call.push(s)
        case .array(let items):
            call.pushArray(items) { $0.push(call, keepNulls: true) }
        case .object(let object):
            let kept = keepNulls ? object.count : object.entries.count { !$0.value.isNull }
            call.pushTable(fields: kept)
            for entry in object.entries where keepNulls || !entry.value.isNull {
                entry.value.push(call, keepNulls: keepNulls)
                call.setField(entry.key)
            }
            call.markJSON(.object)
        }
    }
}

extension LuaState {
    /// The JSON value of the Lua value at `index` (a request body).
    /// - Throws: ``FlireoError`` `invalid_parameters` naming what JSON cannot hold.
    func jsonValue(at index: Int32, on L: OpaquePointer) throws -> JSONValue {
        do {
            return try JSONValue(parsing: try encodeJSON(at: index, on: L))
        } catch let error as LuaJSONError {
            throw FlireoError.invalidParameter("body", "it cannot be sent as JSON: \(error.message)")
        }
    }
}

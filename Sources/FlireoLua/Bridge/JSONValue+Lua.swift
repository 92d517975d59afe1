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
}

extension LuaState {
    /// The JSON value of the Lua value at `index` (a request body).
    /// - Throws: `LuaMessageError` naming what JSON cannot hold.
    func jsonValue(at index: Int32, on L: OpaquePointer) throws -> JSONValue {
        do {
            return try JSONValue(parsing: try encodeJSON(at: index, on: L))
        } catch let error as LuaJSONError {
            throw LuaMessageError("the body cannot be sent as JSON: \(error.message)")
        }
    }
}

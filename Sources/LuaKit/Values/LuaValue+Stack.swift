import CLua
import CLuaBridge

/// Why a Lua value could not be copied into a `LuaValue`.
public struct LuaValueReadError: Error, Sendable {
    /// What went wrong, e.g. `table nests deeper than 200 levels`.
    public let message: String
}

extension LuaValue {
    /// The deepest table nesting copied into Swift.
    static let maximumDepth = 200

    /// Copies the value at `index` of `L`'s stack.
    /// - Throws: `LuaValueReadError` for tables that contain themselves or nest too deeply.
    static func read(_ L: OpaquePointer, _ index: Int32) throws(LuaValueReadError) -> LuaValue {
        var path: [UnsafeRawPointer] = []
        return try read(L, lua_absindex(L, index), path: &path)
    }

    private static func read(_ L: OpaquePointer, _ index: Int32, path: inout [UnsafeRawPointer]) throws(LuaValueReadError) -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE:
            return .nil
        case LUA_TBOOLEAN:
            return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            var isInteger: Int32 = 0
            let i = clb_tointeger(L, index, &isInteger)
            if lua_isinteger(L, index) != 0, isInteger != 0 { return .integer(i) }
            return .number(clb_tonumber(L, index, nil))
        case LUA_TSTRING:
            var length = 0
            let p = clb_tostring(L, index, &length)
            return .string(LuaString(bytes: Array(UnsafeRawBufferPointer(start: p, count: length))))
        case LUA_TTABLE:
            return .table(try readTable(L, index, path: &path))
        case LUA_TUSERDATA, LUA_TLIGHTUSERDATA:
            let state = LuaState.owner(of: L)
            if state.isNull(L, index) { return .null }
            if let pointer = clb_toanyobject(L, index, nil),
               let object = Unmanaged<AnyObject>.fromOpaque(pointer).takeUnretainedValue() as? any LuaObject
            {
                return .object(object)
            }
            return .opaque(typeDescription(L, index))
        default:
            return .opaque(typeDescription(L, index))
        }
    }

    private static func readTable(_ L: OpaquePointer, _ index: Int32, path: inout [UnsafeRawPointer]) throws(LuaValueReadError) -> LuaTable {
        guard let identity = lua_topointer(L, index) else { return LuaTable() }
        if path.contains(identity) { throw LuaValueReadError(message: "table contains itself") }
        guard path.count < maximumDepth else {
            throw LuaValueReadError(message: "table nests deeper than \(maximumDepth) levels")
        }
        guard lua_checkstack(L, 4) != 0 else { throw LuaValueReadError(message: "stack overflow") }
        path.append(identity)
        defer { path.removeLast() }

        var table = LuaTable(shape: LuaState.owner(of: L).jsonShape(L, index))
        var pairs: [(key: LuaValue, value: LuaValue)] = []
        lua_pushnil(L)
        while lua_next(L, index) != 0 {
            let top = lua_gettop(L)
            do {
                let key = try read(L, top - 1, path: &path)
                let value = try read(L, top, path: &path)
                pairs.append((key, value))
            } catch {
                clb_pop(L, 2)
                throw error
            }
            clb_pop(L, 1)
        }
        // The sequence 1...n goes to the array part; everything else stays keyed.
        var byIndex: [Int64: LuaValue] = [:]
        for pair in pairs { if case .integer(let i) = pair.key, i >= 1 { byIndex[i] = pair.value } }
        var n: Int64 = 0
        while let v = byIndex[n + 1] {
            table.array.append(v)
            n += 1
        }
        table.hash = pairs.filter { pair in
            if case .integer(let i) = pair.key, i >= 1, i <= n { return false }
            return true
        }.sorted { sortKey($0.key) < sortKey($1.key) }
        return table
    }

    /// A total order for keys: numbers, then strings, then the rest, each by value.
    private static func sortKey(_ key: LuaValue) -> String {
        switch key {
        case .integer(let i): "0" + String(UInt64(bitPattern: i &+ Int64.min), radix: 16).leftPadded(16)
        case .number(let d): "1" + String(d)
        case .string(let s): "2" + s.text
        case .boolean(let b): "3" + (b ? "1" : "0")
        default: "4"
        }
    }

    private static func typeDescription(_ L: OpaquePointer, _ index: Int32) -> String {
        if clb_ptostring(L, index) == LUA_OK, let s = rawString(L, -1) {
            clb_pop(L, 1)
            return s
        }
        clb_pop(L, 1)
        return LuaType(rawValue: lua_type(L, index))?.name ?? "?"
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

extension LuaState {
    /// Pushes a copy of `value` on `L` (any thread of this state).
    public func push(_ value: LuaValue, on L: OpaquePointer) {
        switch value {
        case .nil, .opaque:
            lua_pushnil(L)
        case .boolean(let b):
            lua_pushboolean(L, b ? 1 : 0)
        case .integer(let i):
            lua_pushinteger(L, i)
        case .number(let d):
            lua_pushnumber(L, d)
        case .string(let s):
            s.bytes.withUnsafeBufferPointer { buffer in
                _ = lua_pushlstring(L, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buffer.count)
            }
        case .null:
            pushNull(L)
        case .object(let object):
            pushObject(object, on: L)
        case .table(let table):
            _ = lua_checkstack(L, 3)
            lua_createtable(L, Int32(clamping: table.array.count), Int32(clamping: table.hash.count))
            for (i, element) in table.array.enumerated() {
                push(element, on: L)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
            for (key, element) in table.hash where !key.isNil {
                if case .number(let d) = key, d.isNaN { continue }
                push(key, on: L)
                push(element, on: L)
                lua_rawset(L, -3)
            }
            setJSONShape(table.shape, L)
        }
    }

    func pushObject<T: LuaObject>(_ object: T, on L: OpaquePointer) {
        register(T.self)
        clb_pushobject(L, Unmanaged.passRetained(object as AnyObject).toOpaque(), T.luaTypeName)
    }
}

import CLua
import CLuaBridge

extension LuaCall {
    /// Argument `index` as a string (numbers are converted, as `luaL_checkstring` does).
    /// - Throws: `LuaArgumentError` when it is neither a string nor a number.
    public func string(_ index: Int32) throws(LuaArgumentError) -> String {
        guard let s = try optionalString(index) else { throw .expected("string", at: index) }
        return s
    }

    /// Argument `index` as a string, or nil when absent or nil.
    /// - Throws: `LuaArgumentError` when it is present but not a string or number.
    public func optionalString(_ index: Int32) throws(LuaArgumentError) -> String? {
        guard let bytes = try optionalBytes(index) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Argument `index` as a string's raw bytes (numbers are converted).
    /// - Throws: `LuaArgumentError` when it is neither a string nor a number.
    public func bytes(_ index: Int32) throws(LuaArgumentError) -> [UInt8] {
        guard let b = try optionalBytes(index) else { throw .expected("string", at: index) }
        return b
    }

    /// Argument `index` as raw bytes, or nil when absent or nil.
    public func optionalBytes(_ index: Int32) throws(LuaArgumentError) -> [UInt8]? {
        switch lua_type(L, index) {
        case LUA_TNONE, LUA_TNIL:
            return nil
        case LUA_TSTRING:
            return withBytes(index) { Array($0) }
        case LUA_TNUMBER:
            lua_pushvalue(L, index)  // convert a copy, never the argument itself
            defer { clb_pop(L, 1) }
            var length = 0
            guard let p = lua_tolstring(L, -1, &length) else { return nil }
            return Array(UnsafeRawBufferPointer(start: p, count: length))
        default:
            throw .expected("string", at: index)
        }
    }

    /// Calls `body` with the bytes of the string at `index` (no copy), or nil if not a string.
    public func withBytes<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let p = clb_tostring(L, index, &length) else { return nil }
        return try body(UnsafeRawBufferPointer(start: p, count: length))
    }

    /// Argument `index` as an integer (floats with an exact integer value are accepted).
    /// - Throws: `LuaArgumentError` for non-numbers and non-integral floats.
    public func integer(_ index: Int32) throws(LuaArgumentError) -> Int64 {
        guard let value = try optionalInteger(index) else { throw .expected("number", at: index) }
        return value
    }

    /// Argument `index` as an integer, or nil when absent or nil.
    public func optionalInteger(_ index: Int32) throws(LuaArgumentError) -> Int64? {
        if isNil(index) { return nil }
        var isInteger: Int32 = 0
        let value = clb_tointeger(L, index, &isInteger)
        if isInteger != 0 { return value }
        if lua_type(L, index) == LUA_TNUMBER || lua_type(L, index) == LUA_TSTRING {
            var isNumber: Int32 = 0
            _ = clb_tonumber(L, index, &isNumber)
            if isNumber != 0 { throw LuaArgumentError(index: index, message: "number has no integer representation") }
        }
        throw .expected("number", at: index)
    }

    /// Argument `index` as a number.
    /// - Throws: `LuaArgumentError` when it is not a number (or numeric string).
    public func number(_ index: Int32) throws(LuaArgumentError) -> Double {
        guard let value = try optionalNumber(index) else { throw .expected("number", at: index) }
        return value
    }

    /// Argument `index` as a number, or nil when absent or nil.
    public func optionalNumber(_ index: Int32) throws(LuaArgumentError) -> Double? {
        if isNil(index) { return nil }
        var isNumber: Int32 = 0
        let value = clb_tonumber(L, index, &isNumber)
        guard isNumber != 0 else { throw .expected("number", at: index) }
        return value
    }

    /// Argument `index` as a boolean by Lua's truth rules (only nil and false are false).
    public func boolean(_ index: Int32) -> Bool {
        lua_toboolean(L, index) != 0
    }

    /// Requires argument `index` to be of `type`.
    /// - Throws: `LuaArgumentError` naming the expected type.
    public func require(_ index: Int32, is type: LuaType) throws(LuaArgumentError) {
        guard self.type(index) == type else { throw .expected(type.name, at: index) }
    }

    /// Requires argument `index` to be absent, nil or of `type`.
    public func requireOptional(_ index: Int32, is type: LuaType) throws(LuaArgumentError) {
        guard isNil(index) || self.type(index) == type else { throw .expected(type.name, at: index) }
    }

    /// Argument `index` as a snapshot value (tables are copied).
    /// - Throws: `LuaArgumentError` for a table that nests too deeply or contains itself.
    public func value(_ index: Int32) throws(LuaArgumentError) -> LuaValue {
        do {
            return try LuaValue.read(L, index)
        } catch {
            throw LuaArgumentError(index: index, message: error.message)
        }
    }

    /// Pushes `t[name]` for the table at `index`, without metamethods (option tables).
    /// - Returns: the type of the pushed value.
    @discardableResult
    public func pushRawField(_ index: Int32, _ name: String) -> LuaType {
        let index = lua_absindex(L, index)
        push(name)
        return LuaType(rawValue: lua_rawget(L, index)) ?? .nil
    }
}

import CLua
import CLuaBridge

extension LuaCall {
    /// Pushes a copy of `value`.
    public func push(_ value: LuaValue) {
        state.push(value, on: L)
    }

    /// Pushes a string.
    public func push(_ text: String) {
        var text = text
        text.withUTF8 { buffer in
            _ = lua_pushlstring(L, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buffer.count)
        }
    }

    /// Pushes raw bytes as a string.
    public func push(bytes: some Collection<UInt8>) {
        let array = Array(bytes)
        array.withUnsafeBufferPointer { buffer in
            _ = lua_pushlstring(L, buffer.baseAddress.map { UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self) }, buffer.count)
        }
    }

    /// Pushes an integer.
    public func push(_ value: Int64) { lua_pushinteger(L, value) }
    /// Pushes an integer.
    public func push(_ value: Int) { lua_pushinteger(L, lua_Integer(value)) }
    /// Pushes a float.
    public func push(_ value: Double) { lua_pushnumber(L, value) }
    /// Pushes a boolean.
    public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    /// Pushes nil.
    public func pushNil() { lua_pushnil(L) }

    /// Pushes a Swift object as a userdata of its type.
    public func push<T: LuaObject>(object: T) {
        state.push(.object(object), on: L)
    }

    /// Pushes the Lua error value for `error` (see `LuaState.pushError`).
    func pushError(_ error: any Error) {
        state.pushError(error, on: L)
    }
}

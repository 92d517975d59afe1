import CLua
import CLuaBridge

/// A Lua value kept alive from Swift through a registry reference (a loaded chunk, a
/// callback). Released when the reference is.
public final class LuaRef {
    let state: LuaState
    let ref: Int32

    /// Anchors the value on top of the main stack (popping it).
    init(popping state: LuaState) {
        self.state = state
        self.ref = luaL_ref(state.L, clb_registryindex())
    }

    deinit {
        luaL_unref(state.L, clb_registryindex(), ref)
    }

    /// Pushes the value on `L` (any thread of the state).
    public func push(on L: OpaquePointer) {
        lua_rawgeti(L, clb_registryindex(), lua_Integer(ref))
    }
}

extension LuaState {
    /// A reference to the global `name` (read without metamethods).
    public func globalRef(_ name: String) -> LuaRef {
        pushRawGlobal(name)
        return LuaRef(popping: self)
    }
}

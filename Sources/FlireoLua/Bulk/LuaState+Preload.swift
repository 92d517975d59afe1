import CLua
import CLuaBridge
import LuaKit

extension LuaState {
    /// Makes a native module `require`-able: `package.preload[name]` builds its table on
    /// first `require`. A module of the same name on the user's path does not replace it
    /// (preload is searched first), so the Lua modules built on it stay the override point.
    /// - Parameters:
    ///   - name: the module name, e.g. `flireo.native.csv`.
    ///   - functions: the module's functions by name.
    func preloadModule(_ name: String, functions: [String: LuaFunction]) {
        push(.string("_LOADED"), on: L)
        lua_rawget(L, clb_registryindex())
        push(.string("package"), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 2)
            return
        }
        push(.string("preload"), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 3)
            return
        }
        // The table is built now, on the main thread, and handed out by the loader.
        lua_createtable(L, 0, Int32(functions.count))
        for (field, function) in functions.sorted(by: { $0.key < $1.key }) {
            pushFunction(function)
            lua_setfield(L, -2, field)
        }
        let module = luaL_ref(L, clb_registryindex())
        pushFunction { call in
            lua_rawgeti(call.L, clb_registryindex(), lua_Integer(module))
            return 1
        }
        lua_setfield(L, -2, name)
        clb_pop(L, 3)
    }
}

import CLua
import CLuaBridge

extension LuaState {
    /// Makes Lua modules shipped inside the binary `require`-able. Their searcher comes
    /// after Lua's own, so a module of the same name on `package.path` (the user's)
    /// overrides the embedded one.
    /// - Parameter modules: source text by module name (`"flireo.csv"`).
    public func addEmbeddedModules(_ modules: [String: String]) {
        push(.string("_LOADED"), on: L)
        lua_rawget(L, clb_registryindex())
        push(.string("package"), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 2)
            return
        }
        push(.string("searchers"), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 3)
            return
        }
        for name in modules.keys { libraryChunks.insert(Self.embeddedChunkName(name)) }
        pushFunction { call in
            let name = try call.string(1)
            guard let source = modules[name] else {
                call.push("no embedded module '\(name)'")
                return 1
            }
            let chunk = Self.embeddedChunkName(name)
            let state = call.state
            do throws(LuaError) {
                try state.load(Array(source.utf8), name: chunk, mode: "t").push(on: call.L)
            } catch {
                throw LuaMessageError("error loading module '\(name)' from the flireo binary:\n\t\(error.message)", withPosition: false)
            }
            call.push(":embedded:" + name)
            return 2
        }
        lua_rawseti(L, -2, lua_Integer(lua_rawlen(L, -2)) + 1)
        clb_pop(L, 3)
    }

    /// The chunk name of an embedded module: `@flireo/csv.lua` for `flireo.csv`.
    static func embeddedChunkName(_ module: String) -> String {
        "@" + module.split(separator: ".").joined(separator: "/") + ".lua"
    }

    /// Puts directories in front of `package.path` (user modules override embedded ones).
    /// - Parameter templates: path templates such as `/home/me/.config/flireo/lua/?.lua`.
    public func prependPackagePath(_ templates: [String]) {
        guard !templates.isEmpty else { return }
        push(.string("_LOADED"), on: L)
        lua_rawget(L, clb_registryindex())
        push(.string("package"), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 2)
            return
        }
        push(.string("path"), on: L)
        lua_rawget(L, -2)
        let current = rawString(L, -1) ?? ""
        clb_pop(L, 1)
        push(.string("path"), on: L)
        push(.string((templates + [current]).joined(separator: ";")), on: L)
        lua_rawset(L, -3)
        clb_pop(L, 2)
    }
}

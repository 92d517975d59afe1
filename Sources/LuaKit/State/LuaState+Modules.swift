import CLua
import CLuaBridge

extension LuaState {
    /// Makes Lua modules shipped inside the binary `require`-able. Their searcher comes
    /// after Lua's own, so a module of the same name on `package.path` (the user's)
    /// overrides the embedded one.
    /// - Parameter modules: source text by module name (`"flireo.csv"`).
    public func addEmbeddedModules(_ modules: [String: String]) {
        guard pushPackageTable("searchers") else { return }
        for name in modules.keys { addLibraryChunk(Self.embeddedChunkName(name)) }
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
        clb_pop(L, 1)
    }

    /// Makes a module of Swift functions `require`-able through `package.preload`: its
    /// table is built now and handed out by the loader. Preload is searched first, so the
    /// name is the native module's own (Lua modules built on it stay the override point).
    /// - Parameters:
    ///   - name: the module name, e.g. `flireo.native.csv`.
    ///   - functions: the module's functions by name.
    ///   - asyncFunctions: its asynchronous functions by name (they yield while they wait).
    public func addPreloadedModule(
        _ name: String, functions: [String: LuaFunction], asyncFunctions: [String: LuaAsyncFunction] = [:]
    ) {
        guard pushPackageTable("preload") else { return }
        lua_createtable(L, 0, Int32(functions.count + asyncFunctions.count))
        for (field, function) in functions.sorted(by: { $0.key < $1.key }) {
            pushFunction(function)
            lua_setfield(L, -2, field)
        }
        for (field, function) in asyncFunctions.sorted(by: { $0.key < $1.key }) {
            pushAsyncFunction(function)
            lua_setfield(L, -2, field)
        }
        let module = luaL_ref(L, clb_registryindex())
        pushFunction { call in
            lua_rawgeti(call.L, clb_registryindex(), lua_Integer(module))
            return 1
        }
        lua_setfield(L, -2, name)
        clb_pop(L, 1)
    }

    /// Pushes the table `package[field]` and returns true, or pushes nothing and returns
    /// false when there is no such table.
    private func pushPackageTable(_ field: String) -> Bool {
        push(.string("_LOADED"), on: L)
        lua_rawget(L, clb_registryindex())
        push(.string("package"), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 2)
            return false
        }
        push(.string(field), on: L)
        guard lua_rawget(L, -2) == LUA_TTABLE else {
            clb_pop(L, 3)
            return false
        }
        clb_replace(L, -3)
        clb_pop(L, 1)
        return true
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

import CLua
import CLuaBridge

extension LuaState {
    /// Makes Lua modules shipped inside the binary `require`-able. Their searcher comes
    /// right after `package.preload`'s: a module of the same name in a directory of
    /// `package.path` given by an absolute template (LUA_PATH, the user's module
    /// directory) overrides the embedded one, but one in the current directory (`./?.lua`)
    /// does not: a `flireo/` folder or a `flireo/links.lua` where a script happens to run
    /// must not replace the library under a run that changes data. Other modules are
    /// found by Lua's own searchers, the current directory included.
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
            let state = call.state
            if let file = Self.userOverride(of: name, on: call.L) {
                do throws(LuaError) {
                    try state.load(file.source, name: "@" + file.path).push(on: call.L)
                } catch {
                    throw LuaMessageError("error loading module '\(name)' from file '\(file.path)':\n\t\(error.message)", withPosition: false)
                }
                call.push(file.path)
                return 2
            }
            let chunk = Self.embeddedChunkName(name)
            do throws(LuaError) {
                try state.load(Array(source.utf8), name: chunk, mode: "t").push(on: call.L)
            } catch {
                throw LuaMessageError("error loading module '\(name)' from the flireo binary:\n\t\(error.message)", withPosition: false)
            }
            call.push(":embedded:" + name)
            return 2
        }
        // searchers[2], after preload: the ones from 2 on move up one.
        let count = Int(lua_rawlen(L, -2))
        if count >= 2 {
            for index in stride(from: count, through: 2, by: -1) {
                lua_rawgeti(L, -2, lua_Integer(index))
                lua_rawseti(L, -3, lua_Integer(index + 1))
            }
        }
        lua_rawseti(L, -2, lua_Integer(min(count + 1, 2)))
        clb_pop(L, 1)
    }

    /// A readable file for module `name` under an absolute template of `package.path`
    /// (`/home/me/lib/?.lua`), the first one in its order, with its bytes.
    private static func userOverride(of name: String, on L: OpaquePointer) -> (path: String, source: [UInt8])? {
        lua_pushstring(L, "_LOADED")
        lua_rawget(L, clb_registryindex())
        lua_pushstring(L, "package")
        let path: String
        if lua_rawget(L, -2) == LUA_TTABLE {
            lua_pushstring(L, "path")
            lua_rawget(L, -2)
            path = rawString(L, -1) ?? ""
            clb_pop(L, 3)
        } else {
            clb_pop(L, 2)
            return nil
        }
        let relative = name.split(separator: ".", omittingEmptySubsequences: false).joined(separator: "/")
        for template in path.split(separator: ";") where template.hasPrefix("/") {
            let candidate = template.split(separator: "?", omittingEmptySubsequences: false).joined(separator: relative)
            guard let handle = fopen(candidate, "rb") else { continue }
            defer { fclose(handle) }
            var bytes: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
                bytes.append(contentsOf: chunk[0..<count])
                if count < chunk.count { break }
            }
            return (candidate, bytes)
        }
        return nil
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

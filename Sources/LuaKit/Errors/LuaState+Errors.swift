import CLua
import CLuaBridge

extension LuaState {
    /// Pushes the Lua error value for a Swift error, on the thread `L` whose running (or
    /// suspended) C function is raising it.
    ///
    /// - `LuaArgumentError`: Lua's `bad argument #n to 'f' (…)` string.
    /// - `LuaMessageError`, `LuaInterruption`: a string with the caller's position, as
    ///   `luaL_error` makes.
    /// - `LuaCancellation`: a structured error, `code = "cancelled"`, as below.
    /// - `LuaError` (a Lua error passing through Swift): its original value.
    /// - `LuaErrorConvertible`: a table of its fields with `where` (the caller's
    ///   `file:line`) and the `luakit.Error` metatable.
    /// - anything else: such a table with `code = "internal"`.
    public func pushError(_ error: any Error, on L: OpaquePointer) {
        _ = lua_checkstack(L, 8)
        switch error {
        case let argument as LuaArgumentError:
            switch argument.detail {
            case .expected(let type):
                clb_typeerror_message(L, argument.index, type)
            case .message(let message):
                clb_argerror_message(L, argument.index, message)
            }
        case let message as LuaMessageError:
            pushPositioned(message.message, on: L, withPosition: message.withPosition)
        case is LuaInterruption:
            pushPositioned("interrupted!", on: L, withPosition: true)
        case is LuaCancellation, is CancellationError:
            pushErrorTable(LuaCancellation.errorFields, on: L)
        case let luaError as LuaError:
            push(luaError.value, on: L)
        case let convertible as LuaErrorConvertible:
            pushErrorTable(convertible.luaErrorFields, on: L)
        default:
            pushErrorTable([("code", .string("internal")), ("message", .string(String(describing: error)))], on: L)
        }
    }

    /// Pushes the `luakit.Error` metatable (for Lua code that builds structured errors).
    public func pushErrorMetatable(on L: OpaquePointer) {
        lua_rawgeti(L, clb_registryindex(), lua_Integer(errorMetatableRef))
    }

    /// Pushes a structured error table: `fields`, plus `where`, with the error metatable.
    public func pushErrorTable(_ fields: [(String, LuaValue)], on L: OpaquePointer) {
        lua_createtable(L, 0, Int32(fields.count + 1))
        for (name, value) in fields {
            push(value, on: L)
            lua_setfield(L, -2, name)
        }
        if let position = callerPosition(L) {
            push(.string(position), on: L)
            lua_setfield(L, -2, "where")
        }
        lua_rawgeti(L, clb_registryindex(), lua_Integer(errorMetatableRef))
        lua_setmetatable(L, -2)
    }

    private func pushPositioned(_ message: String, on L: OpaquePointer, withPosition: Bool) {
        let prefix = withPosition ? callerPosition(L, fromCOnly: true).map { $0 + ": " } ?? "" : ""
        push(.string(prefix + message), on: L)
    }

    /// `chunk:line` of the Lua code that called the C function at level 0 of `L`,
    /// skipping the frames of embedded library chunks: an error raised inside
    /// `flireo/init.lua` on behalf of `script.lua:12` says `script.lua:12`. Nil when
    /// only library frames are left (a tail call took the caller's frame: `return
    /// a:link(n)` as a task's body): no position rather than the library's own.
    func callerPosition(_ L: OpaquePointer, fromCOnly: Bool = false) -> String? {
        var level: Int32 = 1
        while true {
            let top = lua_gettop(L)
            clb_where_source(L, level)  // pushes "chunk:line: " (or "") and the chunk's source
            guard lua_gettop(L) == top + 2 else { break }
            let source = popString(L) ?? ""
            let position = popString(L) ?? ""
            if position.hasSuffix(": ") {
                if !libraryChunks.contains(source) { return String(position.dropLast(2)) }
            } else if fromCOnly, level == 1 {
                return nil  // called from C (pcall(f, …)): no position, as luaL_error
            }
            level += 1
        }
        return nil
    }

    /// Builds a `LuaError` from the error value on top of `L` (popping it), rendering
    /// the message under protection (its `__tostring` may run Lua code).
    func popError(_ L: OpaquePointer, kind: LuaError.Kind, traceback: String? = nil) -> LuaError {
        let value = (try? LuaValue.read(L, -1)) ?? .nil
        let message: String
        if lua_type(L, -1) == LUA_TSTRING || lua_type(L, -1) == LUA_TNUMBER {
            message = (try? LuaCall(L).string(lua_gettop(L))) ?? "?"
        } else {
            let fallback = "(error object is a \(LuaType(rawValue: lua_type(L, -1))?.name ?? "?") value)"
            if luaL_getmetafield(L, -1, "__tostring") != LUA_TNIL {
                clb_pop(L, 1)
                message = clb_ptostring(L, -1) == LUA_OK ? rawString(L, -1) ?? fallback : fallback
                clb_pop(L, 1)
            } else {
                message = fallback
            }
        }
        clb_pop(L, 1)
        return LuaError(kind: kind, message: message, traceback: traceback, value: value)
    }
}

extension LuaError.Kind {
    /// The kind for a Lua status code.
    init(status: Int32) {
        switch status {
        case LUA_ERRSYNTAX: self = .syntax
        case LUA_ERRMEM: self = .memory
        case LUA_ERRERR: self = .errorHandler
        case clb_errfile(): self = .file
        default: self = .runtime
        }
    }
}

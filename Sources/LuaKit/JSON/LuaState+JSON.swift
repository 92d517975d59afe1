import CLua
import CLuaBridge

extension LuaState {
    /// Pushes the JSON null sentinel (`json.null`).
    public func pushNull(_ L: OpaquePointer) {
        lua_rawgeti(L, clb_registryindex(), lua_Integer(jsonNullRef))
    }

    /// Whether the value at `index` is the JSON null sentinel.
    public func isNull(_ L: OpaquePointer, _ index: Int32) -> Bool {
        let index = lua_absindex(L, index)
        lua_rawgeti(L, clb_registryindex(), lua_Integer(jsonNullRef))
        defer { clb_pop(L, 1) }
        return lua_rawequal(L, index, -1) != 0
    }

    /// The JSON shape marker of the table at `index`.
    func jsonShape(_ L: OpaquePointer, _ index: Int32) -> LuaTable.Shape {
        let index = lua_absindex(L, index)
        guard lua_getmetatable(L, index) != 0 else { return .unspecified }
        defer { clb_pop(L, 2) }
        lua_rawgeti(L, clb_registryindex(), lua_Integer(jsonArrayMetatableRef))
        if lua_rawequal(L, -1, -2) != 0 { return .array }
        clb_pop(L, 1)
        lua_rawgeti(L, clb_registryindex(), lua_Integer(jsonObjectMetatableRef))
        return lua_rawequal(L, -1, -2) != 0 ? .object : .unspecified
    }

    /// Marks the table on top of `L` with a JSON shape.
    func setJSONShape(_ shape: LuaTable.Shape, _ L: OpaquePointer) {
        let ref: Int32
        switch shape {
        case .unspecified: return
        case .array: ref = jsonArrayMetatableRef
        case .object: ref = jsonObjectMetatableRef
        }
        lua_rawgeti(L, clb_registryindex(), lua_Integer(ref))
        lua_setmetatable(L, -2)
    }

    /// Decodes JSON text and pushes the value on `L`.
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - L: the thread to push on.
    ///   - keepNulls: keep `null` as `json.null` (false: drop those keys, leave holes).
    /// - Throws: `LuaJSONError` with the line and column of the problem.
    public func pushJSON(_ bytes: some Collection<UInt8>, on L: OpaquePointer, keepNulls: Bool = true) throws(LuaJSONError) {
        let array = Array(bytes)
        var options = LuaJSONDecoder.Options()
        options.keepNulls = keepNulls
        try array.withUnsafeBufferPointer { buffer throws(LuaJSONError) in
            try LuaJSONDecoder.decode(buffer, onto: L, options: options)
        }
    }

    /// Encodes the value at `index` of `L` as JSON.
    /// - Parameters:
    ///   - index: the value's stack index.
    ///   - L: the thread.
    ///   - indent: spaces per level for pretty output; nil for compact.
    /// - Throws: `LuaJSONError` naming the path of a value JSON cannot hold.
    public func encodeJSON(at index: Int32, on L: OpaquePointer, indent: Int? = nil) throws(LuaJSONError) -> [UInt8] {
        try LuaJSONEncoder.encode(L, index, options: .init(indent: indent))
    }

    /// Creates the sentinel and markers and installs the `json` module.
    func installJSON() {
        // json.null: a unique full userdata that prints as "null".
        _ = lua_newuserdatauv(L, 0, 0)
        lua_createtable(L, 0, 2)
        push(.string("json.null"), on: L)
        lua_setfield(L, -2, "__name")
        pushFunction { call in call.push("null"); return 1 }
        lua_setfield(L, -2, "__tostring")
        lua_setmetatable(L, -2)
        jsonNullRef = luaL_ref(L, clb_registryindex())

        for name in ["json.array", "json.object"] {
            lua_createtable(L, 0, 1)
            push(.string(name), on: L)
            lua_setfield(L, -2, "__name")
            let ref = luaL_ref(L, clb_registryindex())
            if name == "json.array" { jsonArrayMetatableRef = ref } else { jsonObjectMetatableRef = ref }
        }

        lua_createtable(L, 0, 6)
        pushFunction { call in
            // json.encode() has nothing to encode; json.encode(nil) encodes null.
            guard call.argumentCount > 0 else { throw LuaArgumentError(index: 1, message: "value expected") }
            var indent: Int?
            if call.type(2) == .table {
                try Self.requireJSONOptions(call, known: ["indent"])
                call.pushRawField(2, "indent")
                defer { clb_pop(call.L, 1) }
                if lua_type(call.L, -1) == LUA_TBOOLEAN {
                    indent = lua_toboolean(call.L, -1) != 0 ? 2 : nil
                } else if lua_type(call.L, -1) != LUA_TNIL {
                    var exact: Int32 = 0
                    let spaces = lua_tointegerx(call.L, -1, &exact)
                    guard lua_type(call.L, -1) == LUA_TNUMBER, exact != 0, (0...16).contains(spaces) else {
                        throw LuaArgumentError(index: 2, message: "indent must be a whole number of spaces from 0 to 16, or a boolean")
                    }
                    indent = Int(spaces)
                }
            } else {
                try call.requireOptional(2, is: .table)
            }
            do throws(LuaJSONError) {
                let bytes = try call.state.encodeJSON(at: 1, on: call.L, indent: indent)
                call.push(bytes: bytes)
                return 1
            } catch {
                throw LuaMessageError("json.encode: \(error.message)")
            }
        }
        lua_setfield(L, -2, "encode")
        pushFunction { call in
            var keepNulls = true
            try call.requireOptional(2, is: .table)
            if call.type(2) == .table {
                try Self.requireJSONOptions(call, known: ["nulls"])
                call.pushRawField(2, "nulls")
                let kind = lua_type(call.L, -1)
                keepNulls = kind == LUA_TNIL || lua_toboolean(call.L, -1) != 0
                clb_pop(call.L, 1)
                guard kind == LUA_TNIL || kind == LUA_TBOOLEAN else {
                    throw LuaArgumentError(index: 2, message: "nulls must be true or false")
                }
            }
            guard call.type(1) == .string else { throw LuaArgumentError.expected("string", at: 1) }
            var length = 0
            let text = clb_tostring(call.L, 1, &length)
            let buffer = UnsafeBufferPointer(start: UnsafeRawPointer(text)?.assumingMemoryBound(to: UInt8.self), count: length)
            do throws(LuaJSONError) {
                try LuaJSONDecoder.decode(buffer, onto: call.L, options: .init(keepNulls: keepNulls))
            } catch {
                throw LuaMessageError("json.decode: \(error.message)")
            }
            return 1
        }
        lua_setfield(L, -2, "decode")
        pushNull(L)
        lua_setfield(L, -2, "null")
        for (name, shape) in [("array", LuaTable.Shape.array), ("object", .object)] {
            pushFunction { call in
                if call.isNil(1) {
                    lua_createtable(call.L, 0, 0)
                } else {
                    try call.require(1, is: .table)
                    lua_settop(call.L, 1)
                }
                call.state.setJSONShape(shape, call.L)
                return 1
            }
            lua_setfield(L, -2, name)
        }
        setLoadedModuleAndGlobal("json")
    }

    /// Sets field `name` of the table below the value on top to that value (popping it),
    /// without metamethods.
    public func setField(_ name: String) {
        push(.string(name), on: L)
        clb_insert(L, -2)
        lua_rawset(L, -3)
    }

    /// Stores the table on top as `package.loaded[name]` (popping it).
    public func setLoadedModule(_ name: String) {
        setPackageLoaded(name)
    }

    /// Stores the table on top as `package.loaded[name]` and the global `name`, popping it.
    func setLoadedModuleAndGlobal(_ name: String) {
        lua_pushvalue(L, -1)
        setPackageLoaded(name)
        setRawGlobal(name)
    }

    private func setPackageLoaded(_ name: String) {
        push(.string("_LOADED"), on: L)
        lua_rawget(L, clb_registryindex())
        push(.string(name), on: L)
        lua_pushvalue(L, -3)
        lua_rawset(L, -3)
        clb_pop(L, 2)
    }

    /// Sets global `name` to the value on top (popping it) without metamethods.
    public func setRawGlobal(_ name: String) {
        lua_rawgeti(L, clb_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
        clb_insert(L, -2)
        push(.string(name), on: L)
        clb_insert(L, -2)
        lua_rawset(L, -3)
        clb_pop(L, 1)
    }

    /// Refuses an option table with a key the function does not know (a typo such as
    /// `{null = false}` would otherwise change nothing, silently).
    private static func requireJSONOptions(_ call: LuaCall, known: [String]) throws(LuaArgumentError) {
        guard case .table(let options) = try call.value(2) else { return }
        let keys = options.hash.map(\.key) + options.array.indices.map { LuaValue.integer(Int64($0 + 1)) }
        for key in keys where !(key.stringValue.map(known.contains) ?? false) {
            var shown = "(a key that is not a name)"
            if let name = key.stringValue {
                shown = name
            } else if case .integer(let n) = key {
                shown = "[\(n)]"
            }
            throw LuaArgumentError(index: 2, message: "unknown option \(shown); options: \(known.joined(separator: ", "))")
        }
    }
}

import CLua
import CLuaBridge

extension LuaState {
    /// Registers `T`'s metatable and methods (once; later calls do nothing).
    /// - Parameter type: the object type.
    public func register<T: LuaObject>(_ type: T.Type) {
        let name = T.luaTypeName
        guard !registeredTypes.contains(name) else { return }
        registeredTypes.insert(name)
        let L = self.L

        // The methods table, kept in the registry for __index and for help().
        lua_createtable(L, 0, Int32(T.luaMethods.count))
        for (methodName, method) in T.luaMethods.sorted(by: { $0.key < $1.key }) {
            pushMethod(method)
            lua_setfield(L, -2, methodName)
        }
        let methods = luaL_ref(L, clb_registryindex())
        methodTables[name] = methods

        clb_newobjectmetatable(L, name)
        pushFunction { call in
            let L = call.L
            if lua_type(L, 2) == LUA_TSTRING {
                lua_rawgeti(L, clb_registryindex(), lua_Integer(methods))
                lua_pushvalue(L, 2)
                if lua_rawget(L, -2) != LUA_TNIL { return 1 }
                clb_pop(L, 2)
                if let object = call.optionalObject(1, as: T.self),
                   let key = rawString(L, 2),
                   let value = object.luaField(key)
                {
                    call.push(value)
                    return 1
                }
            }
            lua_pushnil(L)
            return 1
        }
        lua_setfield(L, -2, "__index")
        // `a.id = x` would otherwise say "attempt to index", as if reading.
        pushFunction { call in
            let key = rawString(call.L, 2).map { "'\($0)'" } ?? "a field"
            throw LuaMessageError("cannot set \(key) of a \(name): its fields are read-only")
        }
        lua_setfield(L, -2, "__newindex")
        pushFunction { call in
            let object = try call.object(1, as: T.self)
            call.push(object.luaDescription)
            return 1
        }
        lua_setfield(L, -2, "__tostring")
        pushFunction { call in
            guard let a = call.optionalObject(1, as: T.self), let b = call.optionalObject(2, as: T.self) else {
                lua_pushboolean(call.L, 0)
                return 1
            }
            lua_pushboolean(call.L, a.luaEquals(b) ? 1 : 0)
            return 1
        }
        lua_setfield(L, -2, "__eq")
        // `for k, v in pairs(object)`: its fields, as `object.k` reads them (a userdata has
        // no keys of its own for `next` to walk).
        pushFunction { call in
            let L = call.L
            let object = try call.object(1, as: T.self)
            lua_rawgeti(L, clb_registryindex(), lua_Integer(LUA_RIDX_GLOBALS))
            lua_pushstring(L, "next")
            lua_rawget(L, -2)
            clb_insert(L, -2)
            clb_pop(L, 1)
            call.push(.table(LuaTable(fields: T.luaFieldNames.compactMap { name in object.luaField(name).map { (name, $0) } })))
            lua_pushnil(L)
            return 3
        }
        lua_setfield(L, -2, "__pairs")
        if !T.luaFieldNames.isEmpty {
            // The fields' names, for a REPL to complete `object.na` (nothing reads them otherwise).
            lua_createtable(L, Int32(T.luaFieldNames.count), 0)
            for (index, field) in T.luaFieldNames.enumerated() {
                push(.string(field), on: L)
                lua_rawseti(L, -2, lua_Integer(index + 1))
            }
            lua_setfield(L, -2, "__fields")
        }
        clb_pop(L, 1)
    }

    /// The documentation strings of `typeName`'s methods (for `help()`).
    public func methodNames(ofType typeName: String) -> [String] {
        guard let ref = methodTables[typeName] else { return [] }
        var names: [String] = []
        lua_rawgeti(L, clb_registryindex(), lua_Integer(ref))
        lua_pushnil(L)
        while lua_next(L, -2) != 0 {
            if let name = rawString(L, -2) { names.append(name) }
            clb_pop(L, 1)
        }
        clb_pop(L, 1)
        return names.sorted()
    }

    private func pushMethod<T: LuaObject>(_ method: LuaMethod<T>) {
        switch method.body {
        case .sync(let body):
            pushFunction { call in try body(try Self.receiver(call, as: T.self), call) }
        case .async(let body):
            pushAsyncFunction { call in try body(try Self.receiver(call, as: T.self), call) }
        }
    }

    /// A method's object (argument 1). Called with '.' (`t.wait()`), it got no object, or
    /// the first argument instead: the error says how to call it.
    private static func receiver<T: LuaObject>(_ call: LuaCall, as type: T.Type) throws(LuaArgumentError) -> T {
        if let object = call.optionalObject(1, as: type) { return object }
        let kind = call.type(1)
        guard kind != .userdata else { throw .expected(T.luaTypeName, at: 1) }
        let got = kind == .none ? "no value" : kind.name
        throw LuaArgumentError(index: 1, message: "\(T.luaTypeName) expected, got \(got): call methods with ':'")
    }

    /// Pushes `object` as a userdata of its type (registering the type if needed).
    /// - Parameter object: the Swift object; the userdata retains it.
    public func pushObject<T: LuaObject>(_ object: T) {
        pushObject(object, on: L)
    }
}

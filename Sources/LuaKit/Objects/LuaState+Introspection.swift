import CLua
import CLuaBridge

// What a host's tools (a REPL's completion and help) need to see of the state without
// touching the C API: the registered object types, their method tables, and a way to
// keep a Lua value (a function a chunk returned) alive from Swift.
extension LuaState {
    /// The metatable names of the registered object types, sorted (`luakit.Task`, …).
    public var objectTypeNames: [String] { registeredTypes.sorted() }

    /// Pushes the methods table of object type `typeName` (the table `__index` serves
    /// methods from) on `L`, or pushes nothing.
    /// - Parameters:
    ///   - typeName: the type's metatable name.
    ///   - L: the thread to push on (any thread of this state).
    /// - Returns: whether the table was pushed.
    @discardableResult
    public func pushMethodTable(ofType typeName: String, on L: OpaquePointer) -> Bool {
        guard let ref = methodTables[typeName] else { return false }
        lua_rawgeti(L, clb_registryindex(), lua_Integer(ref))
        return true
    }

    /// Makes room for `count` more values on the main stack (pushes from Swift do not
    /// check it themselves).
    /// - Returns: false when the stack cannot grow that much.
    @discardableResult
    public func reserveStack(_ count: Int32) -> Bool {
        lua_checkstack(L, count) != 0
    }

    /// Anchors the value on top of the main stack (popping it), so Swift can push it
    /// again later, e.g. a function returned by a chunk.
    /// - Returns: the reference; the value is released with it.
    public func popReference() -> LuaRef {
        LuaRef(popping: self)
    }
}

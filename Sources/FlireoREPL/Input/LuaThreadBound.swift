/// A Lua-thread object carried through another thread only to be used back on the Lua
/// thread (inside a mailbox `.run`). Swift cannot see that confinement, hence unchecked.
struct LuaThreadBound<Value>: @unchecked Sendable {
    let value: Value
}

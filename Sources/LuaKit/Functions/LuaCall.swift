import CLua
import CLuaBridge

/// One call of a Swift function from Lua: its arguments, and the stack to push results on.
///
/// Reading arguments never raises: a mismatch throws `LuaArgumentError`, which the
/// trampoline turns into Lua's usual `bad argument #n to 'f' (…)` raised from C.
public struct LuaCall {
    /// The running thread.
    public let L: OpaquePointer
    /// How many arguments the function received.
    public let argumentCount: Int32

    init(_ L: OpaquePointer) {
        self.L = L
        self.argumentCount = lua_gettop(L)
    }

    /// The state the call runs in.
    public var state: LuaState { LuaState.owner(of: L) }

    /// The Lua type of argument `index` (`.none` past the last argument).
    public func type(_ index: Int32) -> LuaType {
        LuaType(rawValue: lua_type(L, index)) ?? .none
    }

    /// Whether argument `index` is absent or nil.
    public func isNil(_ index: Int32) -> Bool {
        clb_isnoneornil(L, index) != 0
    }

    /// Throws when a non-nil argument follows the first `count` (a value passed by mistake
    /// is otherwise dropped without a word; a trailing nil passed on by a wrapper is none).
    /// - Parameters:
    ///   - count: how many arguments the function takes.
    ///   - usage: how it is called, for the message: `sleep(seconds)`.
    public func expectNoMore(than count: Int32, usage: String) throws(LuaArgumentError) {
        guard argumentCount > count else { return }
        for index in (count + 1)...argumentCount where !isNil(index) {
            throw LuaArgumentError(index: index, message: "no more arguments expected: \(usage)")
        }
    }

    /// The caller's position, `chunk:line`, or nil when the caller is not Lua code.
    /// - Parameter level: 1 is the Lua function that called this Swift function.
    public func callerPosition(level: Int32 = 1) -> String? {
        clb_where(L, level)
        let position = popString(L) ?? ""
        guard position.hasSuffix(": ") else { return nil }
        return String(position.dropLast(2))
    }
}

/// Lua's value types, as `lua_type` reports them.
public enum LuaType: Int32, Sendable {
    case none = -1
    case `nil` = 0
    case boolean = 1
    case lightUserdata = 2
    case number = 3
    case string = 4
    case table = 5
    case function = 6
    case userdata = 7
    case thread = 8

    /// The name Lua uses in messages (`luaL_typename`).
    public var name: String {
        switch self {
        case .none: "no value"
        case .nil: "nil"
        case .boolean: "boolean"
        case .lightUserdata: "userdata"
        case .number: "number"
        case .string: "string"
        case .table: "table"
        case .function: "function"
        case .userdata: "userdata"
        case .thread: "thread"
        }
    }
}

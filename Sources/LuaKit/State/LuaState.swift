import CLua
import CLuaBridge

/// One Lua 5.4 state and its host scheduler.
///
/// A `LuaState` is confined to the thread that created it (the Lua thread): it is not
/// `Sendable`, and nothing else holds its `lua_State`. Swift code never calls a Lua API
/// that can raise or yield; everything that can goes through `CLuaBridge`.
public final class LuaState {
    /// The main thread's `lua_State`.
    public let L: OpaquePointer
    /// The scheduler that runs every chunk in a host-owned coroutine.
    public private(set) var scheduler: LuaScheduler!
    /// The metatable names of the object types registered so far.
    var registeredTypes: Set<String> = []
    /// Registry references of each object type's method table.
    var methodTables: [String: Int32] = [:]
    /// Registry reference of the shared error metatable (`luakit.Error`).
    var errorMetatableRef: Int32 = LUA_NOREF
    /// Chunk names of embedded library code, skipped when an error names its position.
    var libraryChunks: Set<String> = []
    /// Registry references of the JSON null sentinel and the array/object markers.
    var jsonNullRef: Int32 = LUA_NOREF
    var jsonArrayMetatableRef: Int32 = LUA_NOREF
    var jsonObjectMetatableRef: Int32 = LUA_NOREF

    /// Options for a new state.
    public struct Options: Sendable {
        /// Open Lua's standard libraries (with host-aware coroutine functions).
        public var standardLibraries = true
        /// Ignore `LUA_PATH`/`LUA_CPATH` (as `lua -E`).
        public var ignoreEnvironment = false
        /// Create an empty option set with the defaults.
        public init() {}
    }

    /// Creates a state, opens the libraries and installs LuaKit's own (`json`,
    /// `spawn`, `parallel`, `sleep`).
    /// - Parameter options: which libraries to open.
    /// - Throws: `LuaError` if the libraries fail to open (they never should).
    public init(options: Options = Options()) throws(LuaError) {
        LuaState.configureBridge()
        guard let L = clb_newstate(nil) else {
            throw LuaError(kind: .memory, message: "cannot create a Lua state")
        }
        self.L = L
        clb_setowner(L, Unmanaged.passUnretained(self).toOpaque())
        let flags: Int32 = (options.standardLibraries ? 1 : 0) | (options.ignoreEnvironment ? 2 : 0)
        if clb_openlibs(L, flags) != LUA_OK {
            let message = popString(L) ?? "cannot open the standard libraries"
            throw LuaError(kind: .runtime, message: message)
        }
        scheduler = LuaScheduler(state: self)
        try installLuaKitLibraries()
    }

    deinit {
        scheduler?.shutdown()
        // Closing runs the finalizers (`__gc`) still pending; one that waits or starts a task
        // must get a Lua error, not reach the scheduler of a state going away (see checkOpen).
        isClosing = true
        clb_close(L)
    }

    /// Whether the state is closing: its last finalizers are running.
    private(set) var isClosing = false

    /// What a function that needs the scheduler raises while the state closes.
    static let closingMessage = "the script has ended: a __gc finalizer that runs as Lua closes cannot wait, "
        + "start or join a task (call collectgarbage() before the end to run it while it can)"

    /// Throws while the state closes: the scheduler is no longer there to wait or run tasks.
    func checkOpen() throws(LuaMessageError) {
        if isClosing { throw LuaMessageError(Self.closingMessage) }
    }

    /// The state that owns `L` (any of its threads).
    static func owner(of L: OpaquePointer) -> LuaState {
        Unmanaged<LuaState>.fromOpaque(clb_owner(L)!).takeUnretainedValue()
    }

    /// Installs the process-wide C entry points once.
    private static func configureBridge() {
        clb_configure(luaKitDispatch, luaKitRelease)
    }
}

/// Pops the string on top of the stack, if it is one.
func popString(_ L: OpaquePointer) -> String? {
    defer { clb_pop(L, 1) }
    return rawString(L, -1)
}

/// The string at `index` without conversion (strings only; never raises).
func rawString(_ L: OpaquePointer, _ index: Int32) -> String? {
    guard lua_type(L, index) == LUA_TSTRING else { return nil }
    var length = 0
    guard let bytes = clb_tostring(L, index, &length) else { return nil }
    return String(decoding: UnsafeRawBufferPointer(start: bytes, count: length), as: UTF8.self)
}

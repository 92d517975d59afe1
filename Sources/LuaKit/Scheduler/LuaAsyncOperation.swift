/// The asynchronous part of a Lua-callable Swift function: runs off the Lua thread,
/// cancellable (Ctrl-C cancels it), and produces a `LuaAsyncResult`.
public struct LuaAsyncOperation: Sendable {
    let run: @Sendable () async throws -> LuaAsyncResult

    /// An operation whose result pushes itself.
    /// - Parameter run: the work; it must honour task cancellation.
    public init(_ run: @escaping @Sendable () async throws -> LuaAsyncResult) {
        self.run = run
    }

    /// An operation that returns plain values.
    /// - Parameter run: the work; its values are copied into Lua.
    public static func values(_ run: @escaping @Sendable () async throws -> [LuaValue]) -> LuaAsyncOperation {
        LuaAsyncOperation { .values(try await run()) }
    }
}

/// How a finished operation's result is pushed on the Lua thread.
public struct LuaAsyncResult: Sendable {
    let push: @Sendable (LuaCall) throws -> Int32

    /// A result that pushes itself with `push` (on the Lua thread) and returns the count.
    public init(push: @escaping @Sendable (LuaCall) throws -> Int32) {
        self.push = push
    }

    /// A result of plain values.
    public static func values(_ values: [LuaValue]) -> LuaAsyncResult {
        LuaAsyncResult { call in
            for value in values { call.push(value) }
            return Int32(values.count)
        }
    }
}

/// The error a Lua coroutine receives when Ctrl-C interrupts what it waits for.
public struct LuaInterruption: Error, Sendable, CustomStringConvertible {
    /// Creates the interruption.
    public init() {}
    /// `interrupted!`, as `lua` says it.
    public var description: String { "interrupted!" }
}

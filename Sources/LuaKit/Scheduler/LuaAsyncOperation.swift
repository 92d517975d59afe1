/// The asynchronous part of a Lua-callable Swift function: runs off the Lua thread,
/// cancellable (Ctrl-C cancels it), and produces a `LuaAsyncResult`.
public struct LuaAsyncOperation: Sendable {
    enum Body: Sendable {
        /// Run in a Swift task.
        case task(@Sendable () async throws -> LuaAsyncResult)
        /// Started on the Lua thread; reports through the completion; the returned closure cancels it.
        case callback(@Sendable (LuaCompletion) -> @Sendable () -> Void)
    }

    let body: Body

    /// An operation whose result pushes itself.
    /// - Parameter run: the work; it must honour task cancellation.
    public init(_ run: @escaping @Sendable () async throws -> LuaAsyncResult) {
        body = .task(run)
    }

    /// An operation that returns plain values.
    /// - Parameter run: the work; its values are copied into Lua.
    public static func values(_ run: @escaping @Sendable () async throws -> [LuaValue]) -> LuaAsyncOperation {
        LuaAsyncOperation { .values(try await run()) }
    }

    /// An operation that needs no Swift task: `start` runs on the Lua thread, begins work
    /// that ends elsewhere (an event loop, a callback API) and returns at once; the work
    /// calls the completion once, from any thread. Waking the Lua thread straight from
    /// where the work ends spares a task and a hop through the cooperative pool per call.
    /// - Parameter start: begins the work and returns what cancels it (Ctrl-C,
    ///   `task:cancel()`); after a cancel the completion must still be called once,
    ///   typically with the cancellation error.
    public static func starting(
        _ start: @escaping @Sendable (_ completion: LuaCompletion) -> @Sendable () -> Void
    ) -> LuaAsyncOperation {
        LuaAsyncOperation(body: .callback(start))
    }

    private init(body: Body) {
        self.body = body
    }
}

/// Where a started operation (``LuaAsyncOperation/starting(_:)``) delivers its result.
public struct LuaCompletion: Sendable {
    let mailbox: LuaMailbox
    let id: UInt64

    /// Hands the result to the Lua thread, which resumes the waiting coroutine with it
    /// (or raises the error inside it). Call it once.
    /// - Parameter result: the result, or the error to raise.
    public func callAsFunction(_ result: Result<LuaAsyncResult, any Error>) {
        mailbox.post(.completed(id, result))
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

/// The error a task receives when `task:cancel()` stops it.
public struct LuaCancellation: Error, Sendable, CustomStringConvertible {
    /// Creates the cancellation.
    public init() {}
    /// `cancelled: the task was cancelled`, as the Lua error prints.
    public var description: String { "cancelled: \(Self.message)" }

    static let message = "the task was cancelled"
    /// The Lua error's fields: a structured error, so `err.code == "cancelled"` tells it
    /// from the task's own failures.
    static let errorFields: [(String, LuaValue)] = [("code", .string("cancelled")), ("message", .string(message))]
}

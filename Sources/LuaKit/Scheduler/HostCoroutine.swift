import CLua
import CLuaBridge

/// The work of one `execute` (a script, a REPL line) and everything it spawned: what
/// Ctrl-C interrupts together.
final class ExecutionGroup {
    var interrupted = false
}

/// A coroutine owned by the scheduler, anchored in the registry until it is done and
/// nobody can still ask for its results.
final class HostCoroutine {
    enum Status {
        case ready
        case running
        case waiting
        case finished
    }

    /// What the coroutine is resumed with.
    enum Input {
        /// First run: the function and `n` arguments are on its stack.
        case start(Int32)
        /// Its operation succeeded.
        case success(LuaAsyncResult)
        /// Its operation failed, or it was interrupted or cancelled.
        case failure(any Error)
        /// The task it waited for finished.
        case joined(HostCoroutine)
    }

    let thread: OpaquePointer
    let ref: Int32
    let group: ExecutionGroup
    var status: Status = .ready
    /// The operation it waits for, if any.
    var operation: UInt64?
    /// The task it waits for, if any.
    weak var joining: HostCoroutine?
    /// Coroutines waiting for this one to finish.
    var joiners: [HostCoroutine] = []
    /// Finished: whether it returned normally, and how many results sit on its stack.
    var succeeded = false
    var resultCount: Int32 = 0
    /// Finished with an error: the error value (registry) and its report with traceback.
    var errorRef: Int32 = LUA_NOREF
    var failureReport: String?
    /// Whether anyone received its error (an unobserved error is reported at exit).
    var errorObserved = false
    /// How many Lua task handles refer to it.
    var handles = 0
    /// Whether a Lua task handle still refers to it.
    var hasHandle: Bool { handles > 0 }
    /// Started by `spawn` (or `parallel`): the order it was, from 1; 0 for a chunk's own.
    var spawnSerial = 0
    /// Set by `task:cancel()` before it could be resumed.
    var cancelled = false
    /// The longest chain of coroutines waiting, each for the next, that ends at this one.
    var waitDepth = 0

    init(thread: OpaquePointer, ref: Int32, group: ExecutionGroup) {
        self.thread = thread
        self.ref = ref
        self.group = group
    }

    /// Pushes this finished coroutine's outcome on `L` for a waiter: `true, results...`
    /// or `false, error`. Returns how many values it pushed.
    func pushOutcome(on L: OpaquePointer) -> Int32 {
        lua_pushboolean(L, succeeded ? 1 : 0)
        if succeeded {
            guard resultCount > 0 else { return 1 }
            _ = lua_checkstack(L, resultCount + 1)
            _ = lua_checkstack(thread, resultCount)
            let first = lua_gettop(thread) - resultCount + 1
            for i in 0..<resultCount {
                lua_pushvalue(thread, first + i)  // copies: another waiter may want them too
            }
            lua_xmove(thread, L, resultCount)
            return 1 + resultCount
        }
        errorObserved = true
        lua_rawgeti(L, clb_registryindex(), lua_Integer(errorRef))
        return 2
    }

    /// Whether `task:cancel()` stopped it and it failed with the cancellation itself (its
    /// report's first line ends in it), not with another error raised after catching it.
    var endedByCancel: Bool {
        guard cancelled else { return false }
        guard let report = failureReport else { return true }
        return report.split(separator: "\n", maxSplits: 1).first?.hasSuffix(LuaCancellation().description) ?? true
    }

    /// Whether the tasks this one waits for, one after another, come back to it while all
    /// of them wait (a deadlock's circle). At most `limit` steps are followed.
    func waitsInCircle(within limit: Int) -> Bool {
        var next = joining
        var steps = 0
        while let current = next, current.status == .waiting, steps <= limit {
            if current === self { return true }
            next = current.joining
            steps += 1
        }
        return false
    }
}

import CLua
import CLuaBridge

/// Runs every chunk in a host-owned coroutine and overlaps their asynchronous work.
///
/// A Swift async function called from a host coroutine starts its operation as a
/// task and yields (from C); the Lua thread waits on the mailbox and resumes each
/// coroutine with its result, or raises the error inside it. Where Lua cannot yield
/// (a metamethod, a `table.sort` comparator, a coroutine the user created), the Lua
/// thread blocks on that one operation instead.
public final class LuaScheduler {
    unowned let state: LuaState
    /// Where operations and other threads deliver work for the Lua thread.
    public let mailbox = LuaMailbox()

    var coroutines: [OpaquePointer: HostCoroutine] = [:]
    /// How many of them have not finished (finished ones stay while a handle holds them:
    /// counting is cheaper than looking through them all on every turn of `drain`).
    private(set) var unfinished = 0
    // Slots are cleared as they are taken, so a delivered result is freed once pushed,
    // not when the queue is next compacted.
    private var readyQueue: [(HostCoroutine, HostCoroutine.Input)?] = []
    private var readyHead = 0
    var operations: [UInt64: PendingOperation] = [:]
    private var nextOperationID: UInt64 = 1
    /// The groups of the `execute` calls in progress, innermost last.
    var groups: [ExecutionGroup] = []
    /// Coroutines being resumed, innermost last.
    private var resuming: [HostCoroutine] = []
    /// Failed coroutines nobody has asked about yet.
    var unobserved: [HostCoroutine] = []
    /// Finished coroutines whose anchor can go once their handle is gone.
    private var finishedWithHandle: [HostCoroutine] = []
    /// How many external sources (e.g. a line reader) may still post events.
    public var externalSources = 0
    /// Runs before a coroutine is resumed (a REPL clears the line being edited).
    public var willResume: (() -> Void)?
    /// Runs before the loop waits for events (a REPL draws the line again).
    public var willWait: (() -> Void)?
    /// Runs when Ctrl-C interrupts work, with how many coroutines it stopped (a REPL
    /// idle at its prompt says that background tasks were stopped).
    public var didInterrupt: ((Int) -> Void)?
    /// The largest number of operations in flight at once (for tests and stats).
    public private(set) var peakOperations = 0

    struct PendingOperation {
        /// What cancels it: its task, or the cancel a started operation returned.
        let cancel: Cancel
        /// nil when the Lua thread blocks on it.
        let coroutine: HostCoroutine?
    }

    enum Cancel {
        case task(Task<Void, Never>)
        case callback(@Sendable () -> Void)

        func callAsFunction() {
            switch self {
            case .task(let task): task.cancel()
            case .callback(let cancel): cancel()
            }
        }
    }

    init(state: LuaState) {
        self.state = state
        clb_interrupt_set_wake(state.L, mailbox.semaphore)
    }

    /// Operations cancelled whose completion has not come back yet (see `settleCancelled`).
    var cancelling = Set<UInt64>()

    /// How many operations are in flight.
    public var pendingOperations: Int { operations.count }

    /// Whether coroutines have work left: ones not finished (a task spawned that has not
    /// run yet counts) or operations in flight.
    public var hasWorkLeft: Bool { unfinished > 0 || !operations.isEmpty }

    /// Cancels everything in flight (the state is going away).
    func shutdown() {
        for operation in operations.values { operation.cancel() }
        operations.removeAll()
    }

    // MARK: Starting operations

    /// Starts `operation` for the Swift function running in `call`, and returns the
    /// trampoline status: a yield from a host coroutine, or the results after blocking.
    func start(_ operation: LuaAsyncOperation, in call: LuaCall) -> Int32 {
        let L = call.L
        if clb_ishostthread(L) != 0, lua_isyieldable(L) != 0, let co = coroutines[L] {
            if co.group.interrupted || co.cancelled {
                call.pushError(co.cancelled ? LuaCancellation() as any Error : LuaInterruption())
                return CLB_RAISE
            }
            co.operation = launch(operation, for: co)
            co.status = .waiting
            return CLB_YIELD
        }
        return runBlocking(operation, in: call)
    }

    private func launch(_ operation: LuaAsyncOperation, for co: HostCoroutine?) -> UInt64 {
        let id = nextOperationID
        nextOperationID += 1
        let mailbox = self.mailbox
        let cancel: Cancel
        switch operation.body {
        case .task(let run):
            cancel = .task(Task {
                let result: Result<LuaAsyncResult, any Error>
                do {
                    result = .success(try await run())
                } catch {
                    result = .failure(error)
                }
                mailbox.post(.completed(id, result))
            })
        case .callback(let start):
            // A completion posted before this returns is only delivered by the loop, later.
            cancel = .callback(start(LuaCompletion(mailbox: mailbox, id: id)))
        }
        operations[id] = PendingOperation(cancel: cancel, coroutine: co)
        peakOperations = max(peakOperations, operations.count)
        return id
    }

    /// Blocks the Lua thread on one operation; other events wait their turn.
    private func runBlocking(_ operation: LuaAsyncOperation, in call: LuaCall) -> Int32 {
        if let co = currentCoroutine, co.group.interrupted {
            keepRaisingInterruption(call.L)
            call.pushError(LuaInterruption())
            return CLB_RAISE
        }
        let id = launch(operation, for: nil)
        var deferred: [LuaEvent] = []
        var outcome: Result<LuaAsyncResult, any Error>?
        while outcome == nil {
            if clb_interrupt_take(state.L) != 0 {
                interrupt(groups.last)
                keepRaisingInterruption(call.L)
                operations[id]?.cancel()
                cancelling.insert(id)
                outcome = .failure(LuaInterruption())
                break
            }
            for event in mailbox.wait() {
                if case .completed(let done, let result) = event, done == id {
                    outcome = result
                } else {
                    deferred.append(event)
                }
            }
        }
        operations[id] = nil
        mailbox.repost(deferred)
        switch outcome {
        case .success(let result)?:
            let base = lua_gettop(call.L)
            do {
                return try result.push(call)
            } catch {
                lua_settop(call.L, base)
                call.pushError(error)
                return CLB_RAISE
            }
        case .failure(let error)?:
            call.pushError(error)
            return CLB_RAISE
        case nil:
            call.pushError(LuaInterruption())
            return CLB_RAISE
        }
    }

    /// The host coroutine being resumed right now, if any.
    var currentCoroutine: HostCoroutine? { resuming.last }

    // MARK: Coroutines

    /// Creates a host coroutine running the function on top of `L` with `nargs`
    /// arguments above it (all popped), queued to start.
    func spawn(from L: OpaquePointer, nargs: Int32, group: ExecutionGroup) -> HostCoroutine {
        let thread = clb_newhostthread(L)!
        clb_insert(L, -(nargs + 2))  // the thread below the function and arguments
        lua_xmove(L, thread, nargs + 1)
        let ref = luaL_ref(L, clb_registryindex())
        let co = HostCoroutine(thread: thread, ref: ref, group: group)
        coroutines[thread] = co
        unfinished += 1
        enqueue(co, .start(nargs))
        return co
    }

    /// Coroutines started by `spawn` so far.
    private var spawned = 0

    /// Counts `co` as a task started by `spawn`.
    func noteSpawned(_ co: HostCoroutine) {
        spawned += 1
        co.spawnSerial = spawned
    }

    /// The tasks started by `spawn` and not finished yet, oldest first, but the one
    /// running `L` (`tasks()`).
    func unfinishedTasks(besides L: OpaquePointer) -> [HostCoroutine] {
        // One cancelled is on its way out (it stops at its next resumption): not listed.
        coroutines.values.filter { $0.spawnSerial > 0 && $0.status != .finished && !$0.cancelled && $0.thread != L }
            .sorted { $0.spawnSerial < $1.spawnSerial }
    }

    /// The group new work started from `L` belongs to.
    func group(for L: OpaquePointer) -> ExecutionGroup {
        coroutines[L]?.group ?? groups.last ?? ExecutionGroup()
    }

    private func enqueue(_ co: HostCoroutine, _ input: HostCoroutine.Input, first: Bool = false) {
        co.status = .ready
        guard first else { return readyQueue.append((co, input)) }
        if readyHead > 0 {
            readyHead -= 1
            readyQueue[readyHead] = (co, input)
        } else {
            readyQueue.insert((co, input), at: 0)
        }
    }

    private func dequeue() -> (HostCoroutine, HostCoroutine.Input)? {
        guard readyHead < readyQueue.count else { return nil }
        let next = readyQueue[readyHead].take()
        readyHead += 1
        if readyHead == readyQueue.count {
            readyQueue.removeAll(keepingCapacity: true)
            readyHead = 0
        } else if readyHead > 1024, readyHead * 2 > readyQueue.count {
            readyQueue.removeFirst(readyHead)
            readyHead = 0
        }
        return next
    }

    private func resume(_ co: HostCoroutine, _ input: HostCoroutine.Input) {
        let T = co.thread
        var input = input
        if co.cancelled {
            if case .start = input {  // cancelled before it ever ran: fail it without running
                lua_settop(T, 0)
                state.pushError(LuaCancellation(), on: T)
                co.failureReport = LuaCancellation().description
                co.errorRef = luaL_ref(T, clb_registryindex())
                finish(co)
                return
            }
            input = .failure(LuaCancellation())
        }
        var nargs: Int32
        switch input {
        case .start(let n):
            nargs = n
        case .success(let result):
            lua_pushboolean(T, 1)
            let base = lua_gettop(T)
            do {
                nargs = 1 + (try result.push(LuaCall(T)))
            } catch {
                lua_settop(T, base - 1)
                lua_pushboolean(T, 0)
                state.pushError(error, on: T)
                nargs = 2
            }
        case .failure(let error):
            lua_pushboolean(T, 0)
            state.pushError(error, on: T)
            nargs = 2
        case .joined(let task):
            nargs = task.pushOutcome(on: T)
        }

        co.status = .running
        co.operation = nil
        let from = resuming.last?.thread
        resuming.append(co)
        let interrupted = co.group.interrupted
        clb_interrupt_set_active(state.L, interrupted ? 1 : 0)
        if interrupted {
            clb_interrupt_arm(T)
        } else if co.cancelled {
            // Cancelled: the error it gets at its wait is raised again at its next step, so a
            // pcall around the wait cannot make the task run on (as Ctrl-C, for a task).
            clb_cancel_arm(T, state.errorMetatableRef)
        }
        var nresults: Int32 = 0
        let status = clb_resume(T, from, nargs, &nresults)
        resuming.removeLast()
        // An interrupt that arrived while this ran was for this coroutine's work.
        if clb_interrupt_take(state.L) != 0 { interrupt(co.group) }
        clb_interrupt_set_active(state.L, (resuming.last?.group.interrupted ?? false) ? 1 : 0)

        switch status {
        case LUA_YIELD:
            if co.status != .waiting {
                // A yield that did not come through the trampoline: let others run.
                lua_settop(T, 0)
                enqueue(co, .start(0))
            }
        case LUA_OK:
            co.succeeded = true
            co.resultCount = nresults
            finish(co)
        default:
            // An error object with __tostring (an API error) is one line, as in lua.c.
            var traceback: Int32 = 1
            if lua_type(T, -1) == LUA_TTABLE, luaL_getmetafield(T, -1, "__tostring") != LUA_TNIL {
                lua_settop(T, -2)
                traceback = 0
            }
            if clb_perrorreport(state.L, T, traceback) == LUA_OK {
                co.failureReport = popString(state.L)
            } else {
                clb_pop(state.L, 1)
            }
            lua_pushvalue(T, -1)
            lua_xmove(T, state.L, 1)
            co.errorRef = luaL_ref(state.L, clb_registryindex())
            clb_cancel_disarm(T)  // its <close> handlers run whole on the way out
            _ = lua_resetthread(T)  // close pending to-be-closed variables
            finish(co)
        }
    }

    private func finish(_ co: HostCoroutine) {
        co.status = .finished
        clb_cancel_disarm(co.thread)
        unfinished -= 1
        for joiner in co.joiners {
            joiner.joining = nil
            enqueue(joiner, .joined(co))
        }
        // Failures of interrupted work are expected: the interrupt itself is reported. So
        // is the end of a task stopped on purpose with task:cancel() (but not another error
        // it raised after catching the cancellation).
        if !co.succeeded, co.joiners.isEmpty, !co.group.interrupted, !co.endedByCancel { unobserved.append(co) }
        co.joiners.removeAll()
        if co.hasHandle { finishedWithHandle.append(co) }
    }

    /// Drops a finished coroutine's anchor.
    func release(_ co: HostCoroutine) {
        guard coroutines.removeValue(forKey: co.thread) != nil else { return }
        if co.errorRef != LUA_NOREF { luaL_unref(state.L, clb_registryindex(), co.errorRef) }
        luaL_unref(state.L, clb_registryindex(), co.ref)
    }

    /// Releases finished coroutines that no handle or waiter needs any more.
    func sweep() {
        finishedWithHandle.removeAll { co in
            guard !co.hasHandle else { return false }
            if co.succeeded || co.errorObserved { release(co) }
            return true
        }
    }

    // MARK: The loop

    /// Resumes ready coroutines and delivers events until `done()` holds or nothing can
    /// make progress (no ready coroutine, no operation in flight, no external source).
    /// - Returns: whether `done()` holds.
    @discardableResult
    public func run(until done: () -> Bool) -> Bool {
        while !done() {
            if clb_interrupt_take(state.L) != 0 { interrupt(groups.last) }
            if let (co, input) = dequeue() {
                willResume?()
                resume(co, input)
                continue
            }
            sweep()
            guard !operations.isEmpty || externalSources > 0 else { return done() }
            willWait?()
            for event in mailbox.wait() { deliver(event) }
        }
        return true
    }

    private func deliver(_ event: LuaEvent) {
        switch event {
        case .completed(let id, let result):
            guard let operation = operations.removeValue(forKey: id), let co = operation.coroutine else {
                cancelling.remove(id)  // a cancelled operation's last word
                return
            }
            switch result {
            case .success(let value): enqueue(co, .success(value))
            case .failure(let error): enqueue(co, .failure(error))
            }
        case .run(let work):
            work(state)
        }
    }

    /// Ctrl-C stopped a blocking wait in `L`, a coroutine of the user's inside a host
    /// coroutine (`coroutine.wrap`, where Lua cannot yield to the host): the hook raises
    /// `interrupted!` again at every step of `L` and of the host coroutine, so that a `pcall`,
    /// `flireo.try` or `coroutine.resume` there cannot take the interruption and run on (a
    /// retry loop would spin, each wait failing at once). Outside a host coroutine (the
    /// REPL's own evaluation) the error alone ends the command, as before.
    private func keepRaisingInterruption(_ L: OpaquePointer) {
        guard let co = currentCoroutine, co.group.interrupted else { return }
        clb_interrupt_arm(L)
        clb_interrupt_arm(co.thread)
        clb_interrupt_set_active(state.L, 1)
    }

    /// Interrupts `group` (or, with none, every coroutine): what waits is cancelled and
    /// resumed with `interrupted!`; what runs next has the interrupt hook armed.
    func interrupt(_ group: ExecutionGroup?) {
        var targets = Set<ObjectIdentifier>()
        if let group {
            group.interrupted = true
        } else {
            for co in coroutines.values where co.status != .finished {
                co.group.interrupted = true
                targets.insert(ObjectIdentifier(co.group))
            }
        }
        if let didInterrupt {
            didInterrupt(coroutines.values.count { co in
                co.status != .finished && (co.group === group || targets.contains(ObjectIdentifier(co.group)))
            })
        }
        for co in coroutines.values where co.status == .waiting {
            guard co.group === group || targets.contains(ObjectIdentifier(co.group)) else { continue }
            cancelWait(co, with: LuaInterruption())
        }
    }

    /// Stops `co` waiting: cancels its operation or leaves its join, and queues `error`.
    func cancelWait(_ co: HostCoroutine, with error: any Error, first: Bool = false) {
        if let id = co.operation, let operation = operations.removeValue(forKey: id) {
            operation.cancel()
            cancelling.insert(id)
        }
        if let target = co.joining {
            target.joiners.removeAll { $0 === co }
            co.joining = nil
        }
        enqueue(co, .failure(error), first: first)
    }

    /// Cancels one task (`task:cancel()`): if it waits, it is resumed with `cancelled`.
    func cancel(_ co: HostCoroutine) {
        guard co.status != .finished else { return }
        co.cancelled = true
        // Resumed before the tasks already ready: what it waits in (a `parallel`, a
        // `bulk.run`) stops its workers before any of them starts another item.
        if co.status == .waiting { cancelWait(co, with: LuaCancellation(), first: true) }
    }
}

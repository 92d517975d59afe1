import CLua
import CLuaBridge

extension LuaScheduler {
    /// Runs the function on top of the main stack (with `nargs` arguments above it) as
    /// a new host coroutine and drives everything until it finishes.
    /// - Returns: the finished coroutine; the caller reads its results and releases it.
    func execute(nargs: Int32) -> HostCoroutine {
        let group = ExecutionGroup()
        groups.append(group)
        defer { groups.removeLast() }
        let co = spawn(from: state.L, nargs: nargs, group: group)
        while !run(until: { co.status == .finished }) {
            if !failDeadlocked(in: group) { break }
        }
        settleCancelled(within: 2)
        _ = clb_interrupt_take(state.L)  // a late Ctrl-C was for the work that just ended
        return co
    }

    /// Waits, briefly, for the operations that were cancelled (Ctrl-C, `task:cancel()`) to
    /// report back, so that what they say as they end (a mutation sent before the cancel
    /// may have been applied) comes before the interrupted command's error and the next
    /// prompt, not in the middle of the next line being typed. Other events wait their turn.
    private func settleCancelled(within seconds: Double) {
        guard !cancelling.isEmpty else { return }
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        var deferred: [LuaEvent] = []
        while !cancelling.isEmpty {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { break }
            let seconds = Double(left.components.seconds) + Double(left.components.attoseconds) / 1e18
            guard let events = mailbox.wait(seconds: seconds) else { break }
            for event in events {
                if case .completed(let id, _) = event, operations[id] == nil, cancelling.remove(id) != nil { continue }
                deferred.append(event)
            }
        }
        mailbox.repost(deferred)
    }

    /// Interrupts every unfinished coroutine, as Ctrl-C does (a script that failed stops
    /// the tasks it left running); ``drain()`` then ends them.
    /// - Returns: how many it interrupted (not counting those already interrupted).
    @discardableResult
    public func interruptAll() -> Int {
        // Those a Ctrl-C already stopped are on their way out: not counted again.
        let running = coroutines.values.count { $0.status != .finished && !$0.group.interrupted }
        if running > 0 { interrupt(nil) }
        return running
    }

    /// Drives spawned work until every host coroutine has finished.
    public func drain() {
        while !run(until: { unfinished == 0 }) {
            if !failDeadlocked(in: nil) { break }
        }
        // What the stopped tasks' operations say as they end (a link sent before the stop
        // may have been applied) comes before the process ends.
        settleCancelled(within: 2)
        sweep()
    }

    /// Nothing can progress: every waiting coroutine waits for another. Fails those that
    /// wait in a circle (or for nothing that can come); those that wait for one of them
    /// then receive its error, as from any failed task, instead of a deadlock of their own.
    /// - Returns: whether any coroutine was failed (if not, nothing more can be done).
    private func failDeadlocked(in group: ExecutionGroup?) -> Bool {
        let stuck = coroutines.values.filter { $0.status == .waiting && (group == nil || $0.group === group) }
        let waiting = stuck.isEmpty ? coroutines.values.filter { $0.status == .waiting } : stuck
        let inCircle = waiting.filter { $0.joining == nil || $0.waitsInCircle(within: waiting.count) }
        let victims = inCircle.isEmpty ? waiting : inCircle
        for co in victims {
            cancelWait(co, with: LuaMessageError("deadlock: every task is waiting for another"))
        }
        return !victims.isEmpty
    }

    /// Reports of failed tasks whose error nobody observed (printed at exit by hosts).
    public func takeUnobservedFailures() -> [String] {
        let reports = unobserved.filter { !$0.errorObserved }.map { $0.failureReport ?? "error in spawned task" }
        unobserved.removeAll()
        return reports
    }

    /// How long a chain of tasks, each waiting for the next, may grow: far beyond any tree
    /// a script walks, and far below the memory of a runaway (each level holds a thread).
    static let maxWaitDepth = 2_000

    /// Waits for task `co` from the function running in `call`: yields the caller
    /// (host coroutine), or drives the scheduler until it finishes (anywhere else).
    func join(_ co: HostCoroutine, in call: LuaCall) -> Int32 {
        let L = call.L
        if co.thread == L {
            call.pushError(LuaMessageError("a task cannot wait for itself"))
            return CLB_RAISE
        }
        if co.status != .finished {
            if clb_ishostthread(L) != 0, lua_isyieldable(L) != 0, let caller = coroutines[L] {
                if caller.group.interrupted {
                    call.pushError(LuaInterruption())
                    return CLB_RAISE
                }
                // A task that spawns and waits for itself without end would otherwise grow
                // until the machine runs out of memory: a stack overflow, as Lua's own.
                guard caller.waitDepth < Self.maxWaitDepth else {
                    // The task it would wait for goes too: left running, it would start
                    // the same chain again, with nobody waiting for it.
                    cancel(co)
                    call.pushError(LuaMessageError(
                        "stack overflow: \(Self.maxWaitDepth) tasks each wait for the next (a task that spawns and waits for itself?)"
                    ))
                    return CLB_RAISE
                }
                co.waitDepth = max(co.waitDepth, caller.waitDepth + 1)
                co.joiners.append(caller)
                caller.joining = co
                caller.status = .waiting
                return CLB_YIELD
            }
            co.errorObserved = true  // the nested loop must not report it as unobserved
            if !run(until: { co.status == .finished }) {
                call.pushError(LuaMessageError("deadlock: the task waits for its waiter"))
                return CLB_RAISE
            }
        }
        let base = lua_gettop(L)
        _ = co.pushOutcome(on: L)
        if lua_toboolean(L, base + 1) == 0 {
            clb_remove(L, base + 1)
            return CLB_RAISE
        }
        clb_remove(L, base + 1)
        return lua_gettop(L) - base
    }
}

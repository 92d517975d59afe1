import Foundation
import LuaKit
import TestSupport
import Synchronization
import Testing

/// Operations in flight right now, and the most seen at once.
final class InFlight: Sendable {
    let current = Atomic<Int>(0)
    let peak = Atomic<Int>(0)
    let cancelled = Atomic<Int>(0)

    func enter() {
        let now = current.add(1, ordering: .relaxed).newValue
        var seen = peak.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
    }

    func leave() { current.subtract(1, ordering: .relaxed) }
}

@Suite("The scheduler")
struct SchedulerTests {
    @Test("100 coroutines in parallel are all pending at once, and results come back in input order")
    func hundredAtOnce() async throws {
        let flight = InFlight()
        // Each call waits until all 100 are in flight (or the deadline passes): only a
        // scheduler that really overlaps them sees 100 at once. The deadline only bounds
        // a failing run, so it is far enough that a stalled machine does not reach it.
        let deadline = ContinuousClock.now + .seconds(60)
        let (result, peakOperations) = try await onLuaThread { () throws -> ([LuaValue], Int) in
        let state = try LuaState()
        state.setAsyncGlobal("gather") { call in
            let n = try call.integer(1)
            return .values {
                flight.enter()
                defer { flight.leave() }
                while flight.peak.load(ordering: .relaxed) < 100, ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(1))
                }
                return [.integer(n * 10)]
            }
        }
        let result = try state.run("""
            local items = {}
            for i = 1, 100 do items[i] = i end
            local results, failures = parallel(items, function(n) return gather(n) end, {concurrency = 100})
            local ordered = true
            for i = 1, 100 do ordered = ordered and results[i] == i * 10 end
            return ordered, failures == nil, #results
            """)
        return (result, state.scheduler.peakOperations)
        }
        #expect(flight.peak.load(ordering: .relaxed) == 100)
        #expect(result == [true, true, 100])
        #expect(peakOperations == 100)
    }

    @Test("concurrency bounds the operations in flight")
    func concurrencyBound() async throws {
        let flight = InFlight()
        try await onLuaThread { () throws -> Void in
        let state = try LuaState()
        state.setAsyncGlobal("work") { _ in
            .values {
                flight.enter()
                defer { flight.leave() }
                try await Task.sleep(for: .milliseconds(2))
                return []
            }
        }
        try state.run("local t = {} for i = 1, 60 do t[i] = i end parallel(t, function() work() end, {concurrency = 7})")
        }
        #expect(flight.peak.load(ordering: .relaxed) == 7)
    }

    @Test("where Lua cannot yield, the call blocks and still gets its result")
    func nonYieldableSites() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
        let state = try LuaState()
        state.setAsyncGlobal("later") { call in
            let value = try call.value(1)
            return .values {
                try await Task.sleep(for: .milliseconds(1))
                return [value]
            }
        }
        return try state.run("""
            local t = {5, 3, 9, 1}
            table.sort(t, function(a, b) return later(a) < later(b) end)
            local s = string.gsub("abc", "%w", function(c) return later(c:upper()) end)
            local shown = tostring(setmetatable({}, {__tostring = function() return later("meta") end}))
            local co = coroutine.wrap(function() local v = later("in a user coroutine"); coroutine.yield(v); return "done" end)
            local first, second = co(), co()
            local indexed = setmetatable({}, {__index = function(_, k) return later(k .. "!") end}).key
            return table.concat(t, ","), s, shown, first, second, indexed
            """)
        }
        #expect(result == ["1,3,5,9", "ABC", "meta", "in a user coroutine", "done", "key!"])
    }

    @Test("tasks that spawn and wait for themselves without end overflow like Lua's stack, not the machine's memory")
    func endlessTaskRecursion() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            return try state.run("""
                local function endless(n) return spawn(endless, n + 1):wait() end
                local ok, err = pcall(endless, 1)
                local function deep(n) if n == 0 then return 0 end return spawn(deep, n - 1):wait() + 1 end
                return ok, tostring(err):match("stack overflow: 2000 tasks each wait for the next") ~= nil, deep(1500)
                """)
        }
        #expect(result == [false, true, 1500])
    }

    @Test("Ctrl-C interrupts an endless loop")
    func interruptLoop() async throws {
        let (message, after) = try await onLuaThread { () throws -> (String, [LuaValue]) in
            let state = try LuaState()
            let handle = state.interruptHandle
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: 0.2)
                handle.interrupt()
            }
            var message = "not interrupted"
            do throws(LuaError) {
                try state.run("while true do end")
            } catch {
                message = error.message
            }
            // The state is still usable afterwards.
            return (message, try state.run("return 1 + 1"))
        }
        #expect(message.hasSuffix("interrupted!"))
        #expect(after == [2])
    }

    @Test("Ctrl-C interrupts loops that swallow errors and loops inside user coroutines")
    func interruptStubbornLoops() async throws {
        for source in [
            "while true do pcall(function() while true do end end) end",
            "coroutine.wrap(function() while true do end end)()",
        ] {
            let message = try await onLuaThread { () throws -> String in
                let state = try LuaState()
                let handle = state.interruptHandle
                Thread.detachNewThread {
                    Thread.sleep(forTimeInterval: 0.2)
                    handle.interrupt()
                }
                do throws(LuaError) {
                    try state.run(source)
                    return "not interrupted"
                } catch {
                    return error.message
                }
            }
            #expect(message.hasSuffix("interrupted!"), "\(source)")
        }
    }

    @Test("Ctrl-C cancels the pending operations of the interrupted work")
    func interruptCancels() async throws {
        let flight = InFlight()
        let message = try await onLuaThread { () throws -> String in
        let state = try LuaState()
        state.setAsyncGlobal("forever") { _ in
            .values {
                flight.enter()
                defer { flight.leave() }
                do {
                    try await Task.sleep(for: .seconds(60))
                } catch {
                    flight.cancelled.add(1, ordering: .relaxed)
                    throw error
                }
                return []
            }
        }
        let handle = state.interruptHandle
        Thread.detachNewThread {
            while flight.current.load(ordering: .relaxed) < 10 { Thread.sleep(forTimeInterval: 0.01) }
            handle.interrupt()
        }
        do throws(LuaError) {
            try state.run("local t = {} for i = 1, 10 do t[i] = i end parallel(t, function() forever() end, {concurrency = 10})")
            return "not interrupted"
        } catch {
            return error.message
        }
        }
        #expect(message.contains("interrupted!"))
        let waitUntil = ContinuousClock.now + .seconds(30)
        while flight.cancelled.load(ordering: .relaxed) < 10, ContinuousClock.now < waitUntil {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(flight.cancelled.load(ordering: .relaxed) == 10)
    }

    @Test("tasks() hands out the running tasks, so one whose handle was lost can be stopped")
    func tasksListsTheRunningOnes() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            // Handles thrown away: the tasks are found again, oldest first, and stopped.
            let values = try state.run("""
                ticks = 0
                spawn(function() while true do ticks = ticks + 1 sleep(0.001) end end)
                spawn(sleep, 5)
                spawn(function() return 1 end)
                sleep(0.01)
                local running = tasks()
                assert(tasks()[1] == running[1] and tasks()[1] ~= running[2], "one task, one handle's equal")
                local shown = tostring(running[1])
                for _, t in ipairs(running) do t:cancel() end
                -- A cancelled task is not listed, even before it has stopped.
                local right_after = #tasks()
                sleep(0.01)
                collectgarbage()
                local stopped = ticks
                sleep(0.01)
                return #running, shown, #tasks(), ticks == stopped, right_after
                """, name: "@tasks.lua")
            state.scheduler.drain()
            return values
        }
        #expect(result[0] == 2)
        #expect(result[1].stringValue?.hasPrefix("luakit.Task<") == true)
        #expect(result[2] == 0)
        #expect(result[3] == true)
        #expect(result[4] == 0)
    }

    @Test("an error in one coroutine surfaces with its traceback; the others finish")
    func errorsSurface() async throws {
        let (result, reports) = try await onLuaThread { () throws -> ([LuaValue], [String]) in
        let state = try LuaState()
        let result = try state.run("""
            local results, failures = parallel({1, 2, 3}, function(n)
              sleep(0.001 * (4 - n))
              if n == 2 then error("two failed") end
              if n == 3 then error(nil) end
              return n
            end)
            local task = spawn(function() local function deep() error("from a task") end deep() end)
            local ok, err = pcall(task.wait, task)
            return results[1], results[2], failures[3], failures[2], ok, err
            """, name: "@tasks.lua")
        try state.run("spawn(function() local function inner() error('nobody waits for me') end inner() end)", name: "@lost.lua")
        // An error object is its own one line: no traceback of where it came from.
        try state.run("""
            spawn(function()
              error(setmetatable({code = "not_found"}, {__tostring = function() return "not_found (404): gone" end}))
            end)
            """, name: "@object.lua")
        // A task cancelled on purpose, waited for or not, is no failure to report.
        try state.run("local t = spawn(sleep, 5) sleep(0.001) t:cancel() spawn(sleep, 5):cancel()", name: "@cancelled.lua")
        // Nor one that catches its cancellation: it cannot go on to fail otherwise (the
        // cancellation is raised again at its next step).
        try state.run("""
            local t = spawn(function() pcall(sleep, 5) error("after the cancel") end)
            sleep(0.001) t:cancel()
            """, name: "@caught.lua")
        state.scheduler.drain()
        return (result, state.scheduler.takeUnobservedFailures())
        }
        #expect(result[0] == 1)
        #expect(result[1] == .nil)
        #expect(result[2].stringValue == "(error object is a nil value)")  // error(nil) still counts as a failure
        #expect(result[3].stringValue == "tasks.lua:3: two failed")
        #expect(result[4] == false)
        #expect(result[5].stringValue == "tasks.lua:7: from a task")

        #expect(reports.count == 2, "\(reports)")
        #expect(!reports.contains { $0.contains("caught.lua") }, "\(reports)")
        #expect(reports.first?.contains("lost.lua:1: nobody waits for me") == true)
        #expect(reports.first?.contains("stack traceback:") == true)
        #expect(reports.first?.contains("in local 'inner'") == true)
        let object = reports.first { $0.contains("not_found (404): gone") }
        #expect(object != nil, "\(reports)")
        #expect(object?.contains("stack traceback:") == false, "\(reports)")
    }

    @Test("tasks that wait for each other fail with a deadlock error instead of hanging")
    func deadlock() async throws {
        let (result, reports) = try await onLuaThread { () throws -> ([LuaValue], [String]) in
        let state = try LuaState()
        let result = try state.run("""
            local a, b
            a = spawn(function() sleep(0.001) return b:wait() end)
            b = spawn(function() sleep(0.001) return a:wait() end)
            local ok, err = pcall(a.wait, a)
            return ok, err, pcall(b.wait, b)
            """, name: "@dl.lua")
        state.scheduler.drain()
        return (result, state.scheduler.takeUnobservedFailures())
        }
        #expect(result[0] == false)
        // The waiter receives a's own error (the circle is a and b), not a deadlock of its own.
        #expect(result[1].stringValue?.hasPrefix("dl.lua:2: deadlock") == true, "\(result)")
        #expect(result[2] == false)
        #expect(result[3].stringValue?.hasPrefix("dl.lua:3: deadlock") == true, "\(result)")
        // Both errors were received: nothing is left to report.
        #expect(reports.isEmpty, "\(reports)")
    }

    @Test("spawn passes arguments, wait returns every result, cancel stops a waiting task")
    func spawnWaitCancel() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
        let state = try LuaState()
        return try state.run("""
            local t = spawn(function(a, b) sleep(0.001) return a + b, "second" end, 40, 2)
            local sum, second = t:wait()
            local slow = spawn(function() sleep(30) return "finished" end)
            sleep(0.01)
            slow:cancel()
            local ok, err = pcall(slow.wait, slow)
            -- (where: the line the task was waiting on when it was stopped)
            return sum, second, t:done(), ok, err.code .. " | " .. tostring(err), slow:done()
            """, name: "=t")
        }
        #expect(result[0] == 42)
        #expect(result[1] == "second")
        #expect(result[2] == true)
        #expect(result[3] == false)
        #expect(result[4].stringValue == "cancelled | t:3: cancelled: the task was cancelled", "\(result[4])")
        #expect(result[5] == true)
    }

    @Test("a cancelled task cannot run on: a pcall around its wait does not swallow the cancellation; its <close> runs whole")
    func cancellationIsNotSwallowed() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            return try state.run("""
                local ranOn, rounds, closed = false, 0, false
                local t = spawn(function()
                  local guard <close> = setmetatable({}, {__close = function() closed = true end})
                  pcall(sleep, 30)
                  ranOn = true
                  return "after"
                end)
                local loop = spawn(function() while true do pcall(sleep, 0.01) rounds = rounds + 1 end end)
                sleep(0.05)
                t:cancel()
                loop:cancel()
                local stopped = rounds
                local ok, err = pcall(t.wait, t)
                local ok2, err2 = pcall(loop.wait, loop)
                sleep(0.05)
                return ok, err.code, ranOn, closed, ok2, err2.code, rounds - stopped
                """, name: "=t")
        }
        #expect(result == [false, "cancelled", false, true, false, "cancelled", 0], "\(result)")
    }

    @Test("cancelling a task stops the parallel it waits in: no item starts after, those running are cancelled")
    func cancellingStopsParallel() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            return try state.run("""
                local items = {}
                for i = 1, 40 do items[i] = i end
                local started, finished, cancelledAt = 0, 0, nil
                local t = spawn(function()
                  return parallel(items, function(i)
                    started = started + 1
                    sleep(0.03)
                    finished = finished + 1
                  end, {concurrency = 4})
                end)
                sleep(0.05)
                t:cancel()
                local startedAtCancel, finishedAtCancel = started, finished
                local ok, err = pcall(t.wait, t)
                sleep(0.15)
                return ok, err.code, started - startedAtCancel, finished - finishedAtCancel, startedAtCancel > 0
                """, name: "=t")
        }
        #expect(result == [false, "cancelled", 0, 0, true], "\(result)")
    }

    @Test("an async call outside any host coroutine blocks for its result")
    func outsideHostCoroutines() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
        let state = try LuaState()
        state.setAsyncGlobal("later") { call in
            let n = try call.integer(1)
            return .values {
                try await Task.sleep(for: .milliseconds(1))
                return [.integer(n + 1)]
            }
        }
        // protectedCall runs on the main thread, not in a host coroutine.
        let f = try state.load("return later(41)", name: "=t")
        f.push(on: state.L)
        let n = try state.protectedCall(nargs: 0)
        defer { state.setStackTop(state.stackTop - n) }
        return [LuaValue.integer(Int64(n)), try state.value(at: -1)]
        }
        #expect(result == [1, 42])
    }

    @Test("host coroutines look like the main thread to the coroutine library")
    func coroutineLibrary() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
        let state = try LuaState()
        return try state.run("""
            local _, ismain = coroutine.running()
            local ok, err = pcall(coroutine.yield, 1)
            return ismain, coroutine.isyieldable(), ok, err
            """)
        }
        #expect(result == [true, false, false, "attempt to yield from outside a coroutine"])
    }
}

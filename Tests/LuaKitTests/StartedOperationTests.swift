import Foundation
import LuaKit
import TestSupport
import Synchronization
import Testing

/// Completes started operations from a thread of its own after `delay`, as an event loop
/// would; cancelling one completes it at once with `LuaCancellation`.
final class CallbackWorker: Sendable {
    let started = Atomic<Int>(0)
    let cancels = Atomic<Int>(0)
    private let pending = Mutex<[UInt64: LuaCompletion]>([:])
    private let nextID = Atomic<UInt64>(0)

    /// An operation that answers `values` after `delay` (or fails with `error`).
    func operation(_ values: [LuaValue], error: (any Error)? = nil, delay: TimeInterval = 0.005) -> LuaAsyncOperation {
        .starting { completion in
            self.started.add(1, ordering: .relaxed)
            let id = self.nextID.add(1, ordering: .relaxed).newValue
            self.pending.withLock { $0[id] = completion }
            Thread.detachNewThread {
                Thread.sleep(forTimeInterval: delay)
                self.finish(id, error.map { .failure($0) } ?? .success(.values(values)))
            }
            return {
                self.cancels.add(1, ordering: .relaxed)
                self.finish(id, .failure(LuaCancellation()))
            }
        }
    }

    /// Completes `id` once: the first of the answer and a cancel wins.
    private func finish(_ id: UInt64, _ result: Result<LuaAsyncResult, any Error>) {
        guard let completion = pending.withLock({ $0.removeValue(forKey: id) }) else { return }
        completion(result)
    }
}

@Suite("Started operations (no Swift task)")
struct StartedOperationTests {
    @Test("many started operations overlap and their results come back in order")
    func parallelResults() async throws {
        let worker = CallbackWorker()
        let (result, peak) = try await onLuaThread { () throws -> ([LuaValue], Int) in
            let state = try LuaState()
            state.setAsyncGlobal("twice") { call in
                let n = try call.integer(1)
                return worker.operation([.integer(n * 2), "ok"], delay: 0.05)
            }
            let result = try state.run("""
                local items = {}
                for i = 1, 64 do items[i] = i end
                local results = parallel(items, function(n) local v, s = twice(n); return v .. s end, {concurrency = 64})
                local ordered = true
                for i = 1, 64 do ordered = ordered and results[i] == (i * 2) .. "ok" end
                return ordered, #results
                """)
            return (result, state.scheduler.peakOperations)
        }
        #expect(result == [true, 64])
        #expect(peak == 64)
        #expect(worker.started.load(ordering: .relaxed) == 64)
    }

    @Test("a failure is raised in the calling coroutine; pcall catches it")
    func failure() async throws {
        let worker = CallbackWorker()
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            state.setAsyncGlobal("fails") { _ in worker.operation([], error: LuaMessageError("it broke")) }
            return try state.run("local ok, err = pcall(fails); return ok, tostring(err):match('it broke') ~= nil")
        }
        #expect(result == [false, true])
    }

    @Test("a completion called inside start, on the Lua thread, is delivered too")
    func immediate() async throws {
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            state.setAsyncGlobal("now") { call in
                let value = try call.value(1)
                return .starting { completion in
                    completion(.success(.values([value])))
                    return {}
                }
            }
            return try state.run("local a = now(1); local b = spawn(now, 2):wait(); return a, b")
        }
        #expect(result == [1, 2])
    }

    @Test("where Lua cannot yield, a started operation blocks for its result")
    func blocking() async throws {
        let worker = CallbackWorker()
        let result = try await onLuaThread { () throws -> [LuaValue] in
            let state = try LuaState()
            state.setAsyncGlobal("later") { call in worker.operation([try call.value(1)]) }
            return try state.run("""
                local t = {5, 3, 9, 1}
                table.sort(t, function(a, b) return later(a) < later(b) end)
                return table.concat(t, ","), later("direct")
                """)
        }
        #expect(result == ["1,3,5,9", "direct"])
    }

    @Test("task:cancel() and Ctrl-C cancel started operations through their cancel")
    func cancellation() async throws {
        let worker = CallbackWorker()
        let (cancelled, interrupted) = try await onLuaThread { () throws -> ([LuaValue], String) in
            let state = try LuaState()
            state.setAsyncGlobal("forever") { _ in worker.operation([], delay: 60) }
            let cancelled = try state.run("""
                local t = spawn(forever)
                sleep(0.05)
                t:cancel()
                local ok, err = pcall(t.wait, t)
                return ok, tostring(err):match("cancelled") ~= nil
                """)
            let handle = state.interruptHandle
            Thread.detachNewThread {
                while worker.started.load(ordering: .relaxed) < 6 { Thread.sleep(forTimeInterval: 0.01) }
                handle.interrupt()
            }
            do throws(LuaError) {
                try state.run("parallel({1, 2, 3, 4, 5}, function() forever() end, {concurrency = 5})")
                return (cancelled, "not interrupted")
            } catch {
                return (cancelled, error.message)
            }
        }
        #expect(cancelled == [false, true])
        #expect(interrupted.contains("interrupted!"))
        #expect(worker.cancels.load(ordering: .relaxed) == 6)
    }
}

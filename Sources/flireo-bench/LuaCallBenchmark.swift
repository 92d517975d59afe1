import LuaKit

/// `flireo-bench lua-calls`: how fast Lua calls a Swift function through the bridge
/// (C trampoline → Swift closure → status back to C), next to a C function of Lua's own
/// library called the same way. CPU time (os.clock) of the best round of each.
enum LuaCallBenchmark {
    static func run(_ arguments: [String]) throws {
        var calls = 10_000_000
        var rounds = 5
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--calls": calls = Int(arguments[i + 1]) ?? calls; i += 1
            case "--rounds": rounds = Int(arguments[i + 1]) ?? rounds; i += 1
            default: break
            }
            i += 1
        }
        let state = try LuaState()
        state.setGlobal("noop") { _ in 0 }
        let result = try state.run("""
            local n, rounds = ...
            local t = {1, 2, 3}
            local noop, rawlen, clock = noop, rawlen, os.clock
            local function time(f)
              local start = clock()
              for _ = 1, n do f(t) end
              return clock() - start
            end
            local best_swift, best_c, best_empty = math.huge, math.huge, math.huge
            for _ = 1, rounds do
              best_swift = math.min(best_swift, time(noop))
              best_c = math.min(best_c, time(rawlen))
              best_empty = math.min(best_empty, time(function() end))
            end
            return best_swift, best_c, best_empty
            """, arguments: [.integer(Int64(calls)), .integer(Int64(rounds))])
        let swift = result[0].numberValue ?? 0, c = result[1].numberValue ?? 0, lua = result[2].numberValue ?? 0
        func rate(_ seconds: Double) -> String { String(Int(Double(calls) / seconds / 1e6 * 10) / 10) + " M calls/s" }
        print("calls per round: \(calls), best of \(rounds) rounds (CPU time)")
        print("Swift no-op (bridge)      : \(rate(swift))")
        print("rawlen (Lua's C library)  : \(rate(c))")
        print("empty Lua function        : \(rate(lua))")
        print("ratio Swift / C           : \(Int(c / swift * 100)) %")
    }
}

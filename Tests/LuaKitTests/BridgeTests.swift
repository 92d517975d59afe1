import LuaKit
import Synchronization
import Testing

/// Counts live instances, so tests can prove the bridge releases what it retains.
final class Probe: LuaObject {
    static let luaTypeName = "test.Probe"
    static let live = Atomic<Int>(0)
    let value: Int

    init(_ value: Int) {
        self.value = value
        Probe.live.add(1, ordering: .relaxed)
    }

    deinit { Probe.live.subtract(1, ordering: .relaxed) }

    static var luaMethods: [String: LuaMethod<Probe>] {
        [
            "value": .sync { probe, call in
                call.push(probe.value)
                return 1
            },
            "add": .sync { probe, call in
                call.push(probe.value + Int(try call.integer(2)))
                return 1
            },
        ]
    }

    func luaField(_ name: String) -> LuaValue? { name == "double" ? .integer(Int64(value * 2)) : nil }
    var luaDescription: String { "test.Probe<\(value)>" }
    func luaEquals(_ other: Probe) -> Bool { value == other.value }
}

@Suite("The Lua boundary", .serialized)
struct BridgeTests {
    @Test("a Swift function that raises inside pcall leaks nothing and keeps the stack balanced")
    func raisingLeaksNothing() throws {
        let state = try LuaState()
        let before = Probe.live.load(ordering: .relaxed)
        state.setGlobal("explode") { call in
            let probe = Probe(Int(try call.integer(1)))  // a Swift object alive while raising
            throw LuaMessageError("boom \(probe.value)")
        }
        let top = state.stackTop
        let result = try state.run("""
            local failures, last = 0, nil
            for i = 1, 10000 do
              local ok, err = pcall(explode, i)
              if not ok then failures = failures + 1; last = err end
            end
            return failures, last
            """)
        #expect(result[0] == .integer(10000))
        // Called straight from pcall (C), so no Lua position in front: as luaL_error does.
        #expect(result[1].stringValue == "boom 10000")
        #expect(state.stackTop == top)
        #expect(Probe.live.load(ordering: .relaxed) == before)
    }

    @Test("userdata objects are released by the collector, and methods, fields, __tostring and __eq work")
    func objectsAreReleased() throws {
        let before = Probe.live.load(ordering: .relaxed)
        do {
            let state = try LuaState()
            state.setGlobal("probe") { call in
                call.push(object: Probe(Int(try call.integer(1))))
                return 1
            }
            let result = try state.run("""
                local p = probe(21)
                local same = probe(21)
                local values = {p:value(), p:add(1), p.double, tostring(p), p == same, p == probe(3)}
                for i = 1, 10000 do local _ = probe(i) end
                return table.unpack(values)
                """)
            #expect(result == [.integer(21), .integer(22), .integer(42), "test.Probe<21>", true, false])
            state.collectGarbage()
            state.collectGarbage()
            #expect(Probe.live.load(ordering: .relaxed) == before)
        }
        #expect(Probe.live.load(ordering: .relaxed) == before)
    }

    @Test("argument mistakes raise Lua's usual messages from C")
    func argumentErrors() throws {
        let state = try LuaState()
        state.setGlobal("needs_number") { call in
            _ = try call.integer(1)
            return 0
        }
        state.setGlobal("probe") { call in
            call.push(object: Probe(1))
            return 1
        }
        let result = try state.run("""
            local _, a = pcall(needs_number, "x")
            local _, b = pcall(needs_number, 1.5)
            local p = probe()
            local _, c = pcall(p.value, "not a probe")
            local _, d = pcall(function() return p.add(p, "y") end)
            return a, b, c, d
            """, name: "=t")
        // Called from pcall Lua knows no name: it is found among the loaded modules, as lua does.
        #expect(result[0].stringValue == "bad argument #1 to 'needs_number' (number expected, got string)")
        #expect(result[1].stringValue == "bad argument #1 to 'needs_number' (number has no integer representation)")
        // A method reached through a userdata is in no module: no name, as in lua.
        #expect(result[2].stringValue == "bad argument #1 to '?' (test.Probe expected, got string: call methods with ':')")
        #expect(result[3].stringValue == "t:5: bad argument #2 to 'add' (number expected, got string)")
    }

    @Test("a method called with a dot names the bad self")
    func badSelf() throws {
        let state = try LuaState()
        state.setGlobal("probe") { call in
            call.push(object: Probe(1))
            return 1
        }
        let result = try state.run("local p = probe(); local ok, e = pcall(function() return p.value() end); return e", name: "=t")
        #expect(result[0].stringValue == "t:1: bad argument #1 to 'value' (test.Probe expected, got no value: call methods with ':')")
        let other = try state.run("local p = probe(); local ok, e = pcall(function() return p.value(5) end); return e", name: "=t")
        #expect(other[0].stringValue == "t:1: bad argument #1 to 'value' (test.Probe expected, got number: call methods with ':')")
        let method = try state.run("local p = probe(); local ok, e = pcall(function() return p:add() end); return e", name: "=t")
        #expect(method[0].stringValue == "t:1: bad argument #1 to 'add' (number expected, got no value)")
    }

    @Test("an object resurrected by a finalizer errors instead of crashing")
    func staleObject() throws {
        let state = try LuaState()
        state.setGlobal("probe") { call in
            call.push(object: Probe(7))
            return 1
        }
        let result = try state.run("""
            do
              local p = probe()
              setmetatable({}, {__gc = function() resurrected = p end})
            end
            collectgarbage(); collectgarbage()
            local ok, err = pcall(function() return resurrected:value() end)
            return type(resurrected), ok, err
            """, name: "=t")
        #expect(result[0] == "userdata")
        #expect(result[1] == false)
        #expect(result[2].stringValue?.contains("attempt to index a userdata value") == true)
    }

    @Test("a Swift error reaches Lua as a table with code, message and a one-line __tostring")
    func structuredErrors() throws {
        struct NotFound: LuaErrorConvertible {
            var luaErrorFields: [(String, LuaValue)] {
                [("code", "not_found"), ("status", 404), ("message", "Assistant not found"),
                 ("method", "GET"), ("path", "/v1/assistants/x")]
            }
        }
        let state = try LuaState()
        state.setGlobal("fail") { _ in throw NotFound() }
        let result = try state.run("""
            local ok, e = pcall(function() fail() end)
            return ok, e.code, e.status, e.message, tostring(e)
            """, name: "=t")
        #expect(result[0] == false)
        #expect(result[1] == "not_found")
        #expect(result[2] == 404)
        #expect(result[3] == "Assistant not found")
        #expect(result[4].stringValue == "t:1: not_found (404): Assistant not found — GET /v1/assistants/x")
    }

    @Test("a Lua error reaches Swift typed, with its message and traceback")
    func luaErrorsReachSwift() throws {
        let state = try LuaState()
        do {
            try state.run("local function inner() error('deep') end\ninner()", name: "@chunk.lua")
            Issue.record("no error")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.message == "chunk.lua:1: deep")
            #expect(error.traceback?.contains("chunk.lua:1: in local 'inner'") == true)
            #expect(error.traceback?.contains("chunk.lua:2: in main chunk") == true)
        }
        #expect(throws: LuaError.self) { try state.run("x = = 1") }
        do {
            try state.run("error({code = 'c', message = 'm'})")
        } catch {
            #expect(error.code == "c")
            #expect(error.message == "(error object is a table value)")
        }
    }
}

import LuaKit
import Testing

@Suite("Values between Swift and Lua")
struct ValueTests {
    /// Pushes `value` through a Swift function into Lua, has Lua hand it back unchanged,
    /// and reads it out again.
    private func roundTrip(_ value: LuaValue) throws -> (back: LuaValue, type: String, mathType: String) {
        let state = try LuaState()
        state.setGlobal("give") { call in
            call.push(value)
            return 1
        }
        let result = try state.run("local v = give(); return v, type(v), tostring(math.type(v))")
        return (result[0], result[1].stringValue ?? "", result[2].stringValue ?? "")
    }

    @Test("every kind survives the trip", arguments: [
        (LuaValue.nil, "nil"), (.boolean(true), "boolean"), (.boolean(false), "boolean"),
        (.integer(0), "number"), (.integer(Int64.max), "number"), (.integer(Int64.min), "number"),
        (.number(1.0), "number"), (.number(-0.0), "number"), (.number(1e300), "number"),
        (.string("héllo ✓"), "string"), (.string(LuaString(bytes: [0, 255, 10, 0])), "string"),
    ])
    func scalars(value: LuaValue, type: String) throws {
        let (back, luaType, _) = try roundTrip(value)
        #expect(back == value)
        #expect(luaType == type)
    }

    @Test("integers stay integers and floats stay floats")
    func numberSubtypes() throws {
        #expect(try roundTrip(.integer(9_007_199_254_740_993)).mathType == "integer")
        #expect(try roundTrip(.integer(9_007_199_254_740_993)).back == .integer(9_007_199_254_740_993))
        #expect(try roundTrip(.number(3.0)).mathType == "float")
        if case .number(let d) = try roundTrip(.number(-0.0)).back {
            #expect(d == 0 && d.sign == .minus)
        } else {
            Issue.record("-0.0 did not come back as a float")
        }
    }

    @Test("arrays, maps and nesting are copied both ways")
    func tables() throws {
        let value: LuaValue = [
            "name": "Support", "tags": ["a", "b", 3], "nested": ["deep": ["deeper": [1.5, false]]],
        ]
        let (back, type, _) = try roundTrip(value)
        #expect(type == "table")
        #expect(back["name"] == "Support")
        #expect(back["tags"][3] == 3)
        #expect(back["nested"]["deep"]["deeper"][1] == 1.5)
        #expect(back["nested"]["deep"]["deeper"][2] == false)
    }

    @Test("reading a table that contains itself is an error, not a hang")
    func cycles() throws {
        let state = try LuaState()
        state.setGlobal("snapshot") { call in
            _ = try call.value(1)
            return 0
        }
        let result = try state.run("local t = {}; t.self = t; return pcall(snapshot, t)")
        #expect(result[0] == false)
        #expect(result[1].stringValue?.contains("table contains itself") == true)
    }

    @Test("a sequence with holes keeps the extra keys in the hash part")
    func sequences() throws {
        let state = try LuaState()
        let result = try state.run("return {10, 20, nil, 40, x = 1}")
        let table = try #require(result[0].tableValue)
        #expect(table.array == [10, 20])
        #expect(table.hash.count == 2)
        #expect(table["x"] == 1)
    }
}

import LuaKit
import Testing

@Suite("Tables built on the stack")
struct StackTableTests {
    @Test("fields, items, nil-skipping setters, JSON markers and null")
    func build() throws {
        let state = try LuaState()
        state.setGlobal("build") { call in
            call.pushTable(fields: 7)
            call.setField("text", "hé")
            call.setField("count", 3 as Int?)
            call.setField("flag", false as Bool?)
            call.setField("absent", nil as String?)
            call.pushNull()
            call.setField("null")
            call.pushTable(array: 2)
            call.push("a")
            call.setItem(1)
            call.push(2 as Int64)
            call.setItem(2)
            call.markJSON(.array)
            call.setField("list")
            call.pushArray([3, 4] as [Int64]) { call.push($0) }
            call.setField("numbers")
            call.pushTable()
            call.markJSON(.object)
            call.setField("empty")
            return 1
        }
        let result = try state.run("""
            local t = build()
            local n = 0
            for _ in pairs(t) do n = n + 1 end
            return t.text, t.count, t.flag, t.absent == nil, t.null == json.null, t.list[1], t.list[2], n,
              json.encode(t.empty), json.encode({t.list, json.array(), t.numbers})
            """)
        #expect(result == ["hé", 3, false, true, true, "a", 2, 7, "{}", #"[["a",2],[],[3,4]]"#])
    }
}

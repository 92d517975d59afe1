import FlireoAPI
@testable import FlireoLua
import LuaKit
import Testing

/// Results are pushed straight onto the Lua stack; they must be the very tables the
/// `LuaValue` route made: same keys and values, same JSON markers, same iteration order.
@Suite("Results pushed without a LuaValue tree")
struct DirectPushTests {
    static let documents: [String] = [
        #"{"data": {"assistant_id": "a", "assistant_name": null, "phone_number": {"id": "n", "number": "+3120", "type": "local"}}}"#,
        #"{"message": "ok", "data": {"a": [], "b": {}, "c": [null, 1, 2.5, "x", true, false, {"k": null}], "d": 9007199254740993}}"#,
        #"{"dup": 1, "dup": 2, "z": {"y": {"x": [[[]]]}}, "": "empty key", "é": "ü"}"#,
        #"[{"a": 1}, [], {}, null, -0.0, 1e300]"#,
        #""just a string""#,
        #"null"#,
        #"12"#,
    ]

    /// Runs `check` (Lua) with globals `direct(i, keep)` and `tree(i, keep)` pushing document
    /// `i` both ways, and `record(i)`/`record_tree(i)` pushing the linking records both ways.
    private func run(_ check: String) throws -> [LuaValue] {
        let values = try Self.documents.map { try JSONValue(parsing: $0) }
        let records: [LuaRecord] = [
            LinkResult(
                assistantID: "a", phoneNumber: PhoneNumber(id: "n", number: "+3120", locality: "Ams"),
                previousPhoneNumberID: nil, releasedAssistants: 2, message: "linked", reconciled: true
            ).record,
            UnlinkResult(assistantID: "a", unlinkedPhoneNumber: nil).record,
            AssistantPhoneNumber(assistantID: "a", assistantName: "Support", phoneNumber: nil).record,
            Assistant(id: "a", name: nil, raw: ["id": "a", "voice": ["id": "nova", "speed": nil], "tags": []]).record,
            {
                var record = LuaRecord()
                record.set("many", [LuaRecord(), PhoneNumber(id: "1", number: "+31").record])
                record.set("flag", false)
                record.set("gone", "x")
                record.set("gone", nil as String?)
                record.set("moved", 1)
                record.set("last", 2)
                record.set("moved", 3)
                return record
            }(),
        ]
        let state = try LuaState()
        state.setGlobal("direct") { call in
            values[Int(try call.integer(1)) - 1].push(call, keepNulls: call.boolean(2))
            return 1
        }
        state.setGlobal("tree") { call in
            call.push(values[Int(try call.integer(1)) - 1].luaValue(keepNulls: call.boolean(2)))
            return 1
        }
        state.setGlobal("record") { call in
            records[Int(try call.integer(1)) - 1].push(call)
            return 1
        }
        state.setGlobal("record_tree") { call in
            call.push(records[Int(try call.integer(1)) - 1].value)
            return 1
        }
        state.push(.integer(Int64(values.count)), on: state.L)
        state.setRawGlobal("DOCUMENTS")
        state.push(.integer(Int64(records.count)), on: state.L)
        state.setRawGlobal("RECORDS")
        return try state.run(#"""
            -- Same keys, values, markers and iteration order, all the way down.
            local function same(a, b, path)
              if type(a) ~= type(b) then return false, path .. ": " .. type(a) .. " vs " .. type(b) end
              if type(a) ~= "table" then
                if a ~= b or math.type(a) ~= math.type(b) then return false, path .. ": " .. tostring(a) .. " vs " .. tostring(b) end
                return true
              end
              if getmetatable(a) ~= getmetatable(b) then return false, path .. ": different markers" end
              local ka, kb = next(a), next(b)
              while ka ~= nil or kb ~= nil do
                if ka ~= kb then return false, path .. ": key order " .. tostring(ka) .. " vs " .. tostring(kb) end
                local ok, why = same(a[ka], b[kb], path .. "." .. tostring(ka))
                if not ok then return false, why end
                ka, kb = next(a, ka), next(b, kb)
              end
              return true
            end
            \#(check)
            """#)
    }

    @Test("JSON values: with and without nulls, every document")
    func jsonValues() throws {
        let result = try run("""
            for i = 1, DOCUMENTS do
              for _, keep in ipairs({true, false}) do
                local ok, why = same(direct(i, keep), tree(i, keep), "doc" .. i)
                if not ok then return why end
                if json.encode(direct(i, keep)) ~= json.encode(tree(i, keep)) then return "json of doc " .. i end
              end
            end
            return "same"
            """)
        #expect(result == ["same"])
    }

    @Test("records: nested records, lists, moved and removed fields")
    func records() throws {
        let result = try run("""
            for i = 1, RECORDS do
              local ok, why = same(record(i), record_tree(i), "record" .. i)
              if not ok then return why end
            end
            local moved = record(5)
            return "same", moved.gone == nil, moved.moved, #moved.many, json.encode(record(1))
            """)
        #expect(result[0] == "same")
        #expect(result[1] == true)
        #expect(result[2] == 3)
        #expect(result[3] == 2)
        #expect(result[4].stringValue?.contains(#""reconciled":true"#) == true)
    }
}

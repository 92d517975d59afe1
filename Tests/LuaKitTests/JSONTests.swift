import LuaKit
import Testing

@Suite("json.encode and json.decode")
struct JSONTests {
    let state: LuaState

    init() throws {
        state = try LuaState()
    }

    private func lua(_ source: String) throws -> [LuaValue] {
        try state.run(source, name: "=t")
    }

    @Test("round trips keep shapes, numbers and strings", arguments: [
        #"{"a":1,"b":[1,2,3],"c":{"d":[]},"e":{}}"#,
        #"[1,2.5,-0.0,1.0,1e+100,9007199254740993,-9223372036854775808]"#,
        #"["héllo","\u0000\n\"\\","✓ 𝄞"]"#,
        #"[null,true,false,{"x":null}]"#,
        #"[]"#, #"{}"#, #""text""#, #"42"#,
    ])
    func roundTrip(text: String) throws {
        let result = try state.run("return json.encode(json.decode(...))", arguments: [.string(text)])
        #expect(result[0].stringValue == text)
    }

    @Test("decoding keeps integers and floats apart, exact beyond 2^53")
    func numbers() throws {
        let result = try lua("""
            local t = json.decode('[1, 1.0, 9007199254740993, 1e2, -0, 18446744073709551616]')
            return math.type(t[1]), math.type(t[2]), t[3], math.type(t[4]), math.type(t[5]), math.type(t[6])
            """)
        #expect(result == ["integer", "float", .integer(9_007_199_254_740_993), "float", "integer", "float"])
    }

    @Test("unicode escapes, surrogate pairs and raw UTF-8 decode to the same bytes")
    func unicode() throws {
        let result = try state.run("return json.decode(...) == 'é✓𝄞'", arguments: [#""\u00e9\u2713\ud834\udd1e""#])
        #expect(result[0] == true)
    }

    @Test("json.null keeps keys and slots; nulls = false drops them")
    func nulls() throws {
        let result = try lua("""
            local t = json.decode('{"a": null, "b": [1, null, 3]}')
            local dropped = json.decode('{"a": null, "b": 2}', {nulls = false})
            -- In an array a null keeps its place even then: no holes, nothing moves.
            local list = json.decode('[null, 1, null, 2]', {nulls = false})
            return t.a == json.null, #t.b, t.b[2] == json.null, tostring(json.null), dropped.a, dropped.b,
                   #list, list[2], json.encode(list)
            """)
        #expect(result == [true, 3, true, "null", .nil, 2, 4, 1, "[null,1,null,2]"])
    }

    @Test("an option the function does not know is an argument error, not ignored")
    func unknownOptions() throws {
        let result = try lua("""
            local a, e1 = pcall(json.decode, '[1]', {null = false})
            local b, e2 = pcall(json.encode, {1}, {indnet = 2})
            local c, e3 = pcall(json.encode, {1}, {indent = "\t"})
            local d, e4 = pcall(json.decode, '[1]', {true})
            return a, e1, b, e2, c, e3, d, e4
            """)
        #expect(result[0] == false)
        #expect(result[1].stringValue?.contains("bad argument #2 to 'json.decode' (unknown option null; options: nulls)") == true, "\(result)")
        #expect(result[2] == false)
        #expect(result[3].stringValue?.contains("unknown option indnet; options: indent") == true, "\(result)")
        #expect(result[4] == false)
        #expect(result[5].stringValue?.contains("bad argument #2 to") == true && result[5].stringValue?.contains("(indent must be") == true, "\(result)")
        #expect(result[7].stringValue?.contains("(unknown option [1]; options: nulls)") == true, "\(result)")
        // A value of the wrong type, and nothing at all to encode.
        let more = try lua("return select(2, pcall(json.decode, '[1]', {nulls = 1})), select(2, pcall(json.encode)), json.encode(nil)")
        #expect(more[0].stringValue?.contains("bad argument #2 to 'json.decode' (nulls must be true or false)") == true, "\(more)")
        #expect(more[1].stringValue?.contains("bad argument #1 to 'json.encode' (value expected)") == true, "\(more)")
        #expect(more[2].stringValue == "null")
    }

    @Test("empty arrays and objects stay what they were; json.array marks new ones")
    func emptyShapes() throws {
        let result = try lua("""
            return json.encode(json.decode('{"list": [], "map": {}}')), json.encode({}), json.encode(json.array()),
                   json.encode(json.object({})), json.encode({1, 2}), json.encode({b = 1, a = 2})
            """)
        #expect(result == [#"{"list":[],"map":{}}"#, "{}", "[]", "{}", "[1,2]", #"{"a":2,"b":1}"#])
    }

    @Test("a table whose metatable has a __json table encodes as that table; a loop through it is an error")
    func standIn() throws {
        let result = try lua("""
            local values = {b = true, a = 1}
            local proxy = setmetatable({}, {__index = values, __json = values})
            local odd = setmetatable({x = 1}, {__json = "not a table"})
            local loop = setmetatable({}, {})
            getmetatable(loop).__json = {loop}
            return json.encode(proxy), json.encode({proxy, odd}), pcall(json.encode, loop)
            """)
        #expect(result[0].stringValue == #"{"a":1,"b":true}"#)
        #expect(result[1].stringValue == #"[{"a":1,"b":true},{"x":1}]"#)
        #expect(result[2] == .boolean(false))
        #expect(result[3].stringValue?.contains("contains itself") == true)
    }

    @Test("pretty output indents by the requested width")
    func pretty() throws {
        let result = try lua(#"return json.encode({a = {1, 2}, b = json.array()}, {indent = 2})"#)
        #expect(result[0].stringValue == "{\n  \"a\": [\n    1,\n    2\n  ],\n  \"b\": []\n}")
    }

    @Test("an indent outside 0...16 is an argument error, not a trap", arguments: ["-1", "17", "math.maxinteger", "2^62"])
    func badIndent(indent: String) throws {
        let result = try state.run("return pcall(json.encode, {1, 2}, {indent = \(indent)})")
        #expect(result[0] == false)
        #expect(result[1].stringValue?.contains("indent must be a whole number of spaces from 0 to 16") == true, "\(result)")
    }

    @Test("bad JSON is an error with its line and column", arguments: [
        (#"{"a": }"#, "unexpected character '}' at line 1, column 7"),
        ("[1, 2", "unexpected end of input, expected ',' or ']' at line 1, column 6"),
        ("{\n  \"a\": tru\n}", "unexpected character '\\n' at line 2, column 11"),
        ("[01]", "leading zero in number at line 1, column 3"),
        (#""\ud834""#, "unpaired surrogate in \\u escape"),
        ("[1] x", "unexpected data after the JSON value at line 1, column 5"),
        ("\"a\tb\"", "control character in string at line 1, column 3"),
        ("", "unexpected end of input at line 1, column 1"),
        ("[1e400]", "number out of range at line 1, column"),
    ])
    func badJSON(text: String, message: String) throws {
        let result = try state.run("return pcall(json.decode, ...)", arguments: [.string(text)])
        #expect(result[0] == false)
        let error = result[1].stringValue ?? ""
        #expect(error.hasPrefix("json.decode: "))
        #expect(error.contains(message), "\(error)")
    }

    @Test("invalid UTF-8 input is rejected with its position")
    func invalidUTF8() throws {
        let result = try state.run("return pcall(json.decode, ...)", arguments: [.string(LuaString(bytes: Array("[\"a".utf8) + [0xFF] + Array("\"]".utf8)))])
        #expect(result[1].stringValue?.contains("invalid UTF-8 at line 1, column 4") == true)
    }

    @Test("deep nesting is a clear error, not a stack overflow")
    func deepNesting() throws {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        let result = try state.run("return pcall(json.decode, ...)", arguments: [.string(deep)])
        #expect(result[1].stringValue?.contains("nesting deeper than 500 levels") == true)
        let fine = String(repeating: "[", count: 400) + String(repeating: "]", count: 400)
        #expect(try state.run("return json.encode(json.decode(...))", arguments: [.string(fine)])[0].stringValue == fine)
        let encode = try lua("local t = {}; local c = t; for i = 1, 1000 do c[1] = {}; c = c[1] end; return pcall(json.encode, t)")
        #expect(encode[1].stringValue?.contains("nested deeper than 500 levels") == true)
        // A deep path is cut in the middle: the message stays a line.
        let path = try lua("local t = {}; local c = t; for i = 1, 300 do c[1] = {}; c = c[1] end; c[1] = print; return select(2, pcall(json.encode, t))")
        let message = path[0].stringValue ?? ""
        #expect(message.hasSuffix("cannot encode a function at $" + String(repeating: "[1]", count: 8) + "…(285 more)…"
            + String(repeating: "[1]", count: 8)), "\(message)")
    }

    @Test("values JSON cannot hold are errors naming where they are", arguments: [
        ("{a = {0/0}}", "cannot encode NaN at $.a[1]"),
        ("{x = math.huge}", "cannot encode an infinite number at $.x"),
        ("{f = print}", "cannot encode a function at $.f"),
        ("(function() local t = {}; t.me = t; return t end)()", "cannot encode a table that contains itself at $.me"),
        ("{[1] = 1, [3] = 3}", "cannot encode a sparse array"),
        ("{1, x = 2}", "cannot encode a table with mixed keys"),
        ("{'\\255'}", "cannot encode a string that is not valid UTF-8 at $[1]"),
    ])
    func unencodable(expression: String, message: String) throws {
        let result = try lua("return pcall(json.encode, \(expression))")
        #expect(result[0] == false)
        #expect(result[1].stringValue?.contains(message) == true, "\(result[1])")
    }

    @Test("json is also a module")
    func requireable() throws {
        #expect(try lua("return require('json') == json")[0] == true)
    }
}

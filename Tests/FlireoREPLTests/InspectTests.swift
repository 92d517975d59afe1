import Foundation
import LuaKit
import Testing

@testable import FlireoREPL

/// `flireo.inspect`, run through a real Lua state.
@Suite struct InspectTests {
    let lua: REPLFixture

    init() throws {
        lua = try REPLFixture()
        try lua.run("inspect = require 'flireo.inspect'")
    }

    private func show(_ expression: String, _ options: String = "nil") throws -> String {
        try lua.string("return inspect(\(expression), \(options))")
    }

    @Test func scalars() throws {
        #expect(try show("nil") == "nil")
        #expect(try show("true") == "true")
        #expect(try show("42") == "42")
        #expect(try show("1.0") == "1.0")
        #expect(try show("-0.5") == "-0.5")
        #expect(try show("math.huge") == "math.huge")
        #expect(try show("-math.huge") == "-math.huge")
        #expect(try show("0/0") == "0/0")
        #expect(try show("math.maxinteger") == "9223372036854775807")
    }

    @Test func stringsAreQuotedAndEscaped() throws {
        #expect(try show(#""plain""#) == #""plain""#)
        #expect(try show(#"'say "hi"\n\tback\\slash'"#) == #""say \"hi\"\n\tback\\slash""#)
        #expect(try show(#""bell\7 nul\0 end""#) == #""bell\a nul\000 end""#)
        #expect(try show(#""caf\xC3\xA9""#) == "\"café\"")
        #expect(try show(#""bad \xFF byte""#) == #""bad \xFF byte""#)
        // C1 controls (U+009B is CSI to a terminal) and bidirectional overrides, as Lua writes
        // them, so the value reads back the same.
        #expect(try show(#""\u{9B}31mRED \u{202E}x\u{2069} é""#) == #""\u{9B}31mRED \u{202E}x\u{2069} é""#)
        #expect(try lua.string(#"local s = "\u{85}\u{202A}" return tostring(load("return " .. inspect(s))() == s)"#) == "true")
        let long = try show("string.rep('x', 2500)")
        #expect(long.hasPrefix("\"" + String(repeating: "x", count: 2000) + "\""))
        #expect(long.hasSuffix("… (500 more bytes)"))
        #expect(try show("string.rep('y', 10)", "{string = 4}") == "\"yyyy\"… (6 more bytes)")
    }

    @Test func tablesAreSortedSequenceFirst() throws {
        let text = try show("{3, 2, 1, b = true, a = 'x', [10] = 'ten', [false] = 0, ['two words'] = 1, ['end'] = 2}", "{width = 200}")
        #expect(text == #"{ 3, 2, 1, [10] = "ten", a = "x", b = true, ["end"] = 2, ["two words"] = 1, [false] = 0 }"#)
        #expect(try show("{}") == "{}")
        #expect(try show("{{}, {x = {}}}") == "{ {}, { x = {} } }")
    }

    @Test func wideTablesAreIndented() throws {
        let text = try show("{name = 'alpha', id = '660e8400-e29b-41d4-a716-446655440000', number = '+31201234567', tags = {'a', 'b'}}")
        #expect(text == """
            {
              id = "660e8400-e29b-41d4-a716-446655440000",
              name = "alpha",
              number = "+31201234567",
              tags = { "a", "b" }
            }
            """)
        #expect(try show("{a = 1, b = 2}", "{width = 10}") == "{\n  a = 1,\n  b = 2\n}")
        #expect(try show("{a = {b = 1}, c = 2}", "{width = 18, indent = '    '}") == "{\n    a = { b = 1 },\n    c = 2\n}")
        // Its key and comma count: at 17 columns the comma after the inner table would not fit.
        #expect(try show("{a = {b = 1}, c = 2}", "{width = 17, indent = '    '}") == "{\n    a = {\n        b = 1\n    },\n    c = 2\n}")
    }

    @Test func depthIsLimited() throws {
        #expect(try show("{a = {b = {c = {d = {e = 1}}}}}") == "{ a = { b = { c = { d = {…} } } } }")
        #expect(try show("{a = {b = 1}, c = {}}", "{depth = 1}") == "{ a = {…}, c = {} }")
    }

    @Test func cyclesAreMarkedAndSharedTablesShownAgain() throws {
        try lua.run("t = {name = 'loop'}; t.self = t; shared = {1}; pair = {shared, shared}")
        #expect(try show("t") == #"{ name = "loop", self = <cycle> }"#)
        #expect(try show("pair") == "{ { 1 }, { 1 } }")
    }

    @Test func longSequencesAndManyKeysAreCutWithACount() throws {
        let text = try show("(function() local t = {} for i = 1, 120 do t[i] = i end return t end)()")
        #expect(text.contains("49, 50, … (70 more)"))
        #expect(!text.contains("51"))
        let keys = try show("(function() local t = {} for i = 1, 30 do t['k' .. string.format('%02d', i)] = i end return t end)()", "{keys = 5}")
        #expect(keys.contains("k05 = 5"))
        #expect(!keys.contains("k06"))
        #expect(keys.contains("… (25 more keys)"))
        let huge = try show("(function() local t = {} for i = 1, 100000 do t[i] = {i} end return t end)()", "{items = 100000}")
        #expect(huge.contains(" more)\n}"), "the rendering budget ends a huge structure with a count")
        #expect(huge.count < 100_000)
    }

    @Test func allOrHugeLimitsShowEverythingAndRenderSaysWhatWasCut() throws {
        try lua.run("long = {} for i = 1, 6000 do long[i] = i end; deep = {a = {b = {c = {d = {e = 1}}}}}")
        let all = try show("long", "{all = true}")
        #expect(all.contains("5999, 6000\n}"), "past the default budget of 5,000 values")
        #expect(!all.contains("more"))
        #expect(try show("long", "{items = math.huge}").contains(" more)\n}"), "items alone: the budget still holds")
        #expect(try show("deep", "{all = true}") == "{ a = { b = { c = { d = { e = 1 } } } } }")
        #expect(try show("deep", "{depth = math.huge}") == "{ a = { b = { c = { d = { e = 1 } } } } }")
        #expect(try show("string.rep('z', 3000)", "{all = true}").count == 3002)
        // `all` keeps the width: a long sequence still wraps.
        #expect(all.split(separator: "\n").allSatisfy { $0.count <= 80 })
        // render's second result: whether a limit left anything out.
        #expect(try lua.run("return select(2, inspect.render(long))").first == .boolean(true))
        #expect(try lua.run("return select(2, inspect.render({deep}))").first == .boolean(true))
        #expect(try lua.run("return select(2, inspect.render(long, {all = true}))").first == .boolean(false))
        #expect(try lua.run("return select(2, inspect.render({1, 2, x = 'y'}))").first == .boolean(false))
        #expect(try lua.run("return select('#', inspect({1}))").first?.integerValue == 1, "inspect returns only the text")
    }

    /// The REPL's rendering of results ends with how to see all of a cut one.
    @Test func theREPLSaysHowToSeeAllOfACutResult() throws {
        try lua.run("long = {} for i = 1, 60 do long[i] = i end")
        func rendered(_ expression: String) throws -> String {
            let values = try lua.run("return \(expression)")
            for value in values { lua.state.push(value, on: lua.state.L) }
            return String(decoding: try lua.runtime.render(count: Int32(values.count), color: false, width: 80), as: UTF8.self)
        }
        let cut = try rendered("long, 1")
        #expect(cut.contains("… (10 more)"))
        // The cut result was the first: `_` holds it.
        #expect(cut.hasSuffix("\n(shown in part: print(flireo.inspect(_, {all = true})) shows all of it)"))
        #expect(try lua.run("return #_").first?.integerValue == 60)
        #expect(try rendered("{1, 2}, 'x'") == "{ 1, 2 }\t\"x\"")
        #expect(try lua.run("return _[2]").first?.integerValue == 2)
        // A cut second result has no name to give.
        #expect(try rendered("1, long").hasSuffix("print(flireo.inspect(value, {all = true})) shows all of a value)"))
        #expect(try lua.run("return _").first?.integerValue == 1)
        // `_` thrown away by the user (`_, e = pcall(f)`, Lua's idiom) is the last result again next time.
        try lua.run("_, e = pcall(error, 'x')")
        _ = try rendered("42")
        #expect(try lua.run("return _").first?.integerValue == 42)
    }

    @Test func everyLineFitsTheWidthWithItsKeyAndComma() throws {
        let numbers = (1...3).map { index in
            "{number = '+3120123456\(index)', type = 'local', linked_assistant = {id = 'c77cd6f9-e11d-4745-b428-8a8afe65d95\(index)', name = 'Customer Support Desk — Weekend'}}"
        }
        for width in stride(from: 60, through: 130, by: 7) {
            let text = try show("{" + numbers.joined(separator: ", ") + "}", "{width = \(width)}")
            for line in text.split(separator: "\n") {
                #expect(line.count <= width, "width \(width): \(line)")
            }
        }
    }

    @Test func objectsUseTheirTostringAndNameAndJSONNullIsNull() throws {
        #expect(try show("json.null") == "null")
        #expect(try show("{json.null, x = json.null}") == "{ null, x = null }")
        try lua.run("task = spawn(function() return 1 end)")
        #expect(try show("task").hasPrefix("luakit.Task<"))
        #expect(try show("setmetatable({}, {__tostring = function() error('boom') end, __name = 'my.Type'})") == "my.Type {}")
        #expect(try show("setmetatable({code = 'x'}, {__name = 'luakit.Error'})") == #"luakit.Error { code = "x" }"#)
        #expect(try show("json.decode('[]')") == "{}")
        #expect(try show("print").hasPrefix("function: "))
        // A name with terminal controls is escaped, as strings are (QA round 30: a title set).
        #expect(try show(#"setmetatable({}, {__name = '\27]0;TITLE\7x'})"#) == #"\027]0;TITLE\ax {}"#)
    }

    @Test func userClassesProxiesAndLibraryInternals() throws {
        // A class of the user's own shows as lua shows it.
        #expect(try show("setmetatable({}, {__tostring = function() return 'TS' end})") == "TS")
        // A proxy shows what it iterates (flireo.config).
        #expect(try show("setmetatable({}, {__name = 'x.config', __pairs = function() return next, {b = false, a = true}, nil end})")
            == "x.config { a = true, b = false }")
        // A library object hides its `_` fields; a plain table does not.
        #expect(try show("setmetatable({_x = 1, y = 2}, {__name = 'my.Obj'})") == "my.Obj { y = 2 }")
        #expect(try show("{_x = 1}") == "{ _x = 1 }")
        #expect(try show("setmetatable({_x = 1}, {__name = 'my.C', __tostring = function() return 'my.C<1>' end})") == "my.C<1>")
        // One with fields says which one it is before them (flireo<https://…, profile prod>).
        #expect(try show("setmetatable({y = 2}, {__name = 'my.C', __tostring = function() return 'my.C<one>' end})") == "my.C<one> { y = 2 }")
        #expect(try show("setmetatable({y = 2}, {__name = 'my.C', __tostring = function() return 'other' end})") == "my.C { y = 2 }")
    }

    @Test func metamethodsAreNotRun() throws {
        try lua.run("""
            calls = 0
            proxy = setmetatable({real = 1}, {
              __index = function() calls = calls + 1 return 'x' end,
              __len = function() calls = calls + 1 return 99 end,
              __pairs = function() calls = calls + 1 return next, {}, nil end,
            })
            """)
        #expect(try show("proxy") == "{ real = 1 }")
        #expect(try lua.run("return calls").first == .integer(0))
    }

    @Test func colourOnlyOnRequestAndNeverWithNoColor() throws {
        let inherited = getenv("NO_COLOR").map { String(cString: $0) }
        unsetenv("NO_COLOR")
        defer {
            if let inherited { setenv("NO_COLOR", inherited, 1) } else { unsetenv("NO_COLOR") }
        }
        #expect(try show("'s'") == "\"s\"")
        #expect(try show("'s'", "{color = true}") == "\u{1B}[32m\"s\"\u{1B}[0m")
        #expect(try show("{1}", "{color = true}") == "{ \u{1B}[36m1\u{1B}[0m }")
        setenv("NO_COLOR", "1", 1)
        #expect(try show("'s'", "{color = true}") == "\"s\"")
    }

    @Test func badOptionsAreReported() throws {
        #expect(throws: LuaError.self) { try show("1", "'wide'") }
        // A misspelled option, or one of the wrong kind, is said, not ignored.
        for (options, message) in [
            ("{depth = 'deep'}", "depth must be a whole number, 0 or more, or math.huge"), ("{width = -3}", "width must be"),
            ("{items = 0/0}", "items must be"), ("{alll = true}", "unknown option alll"), ("{all = 1}", "all must be true or false"),
            ("{indent = 2}", "indent must be a string"),
        ] {
            let result = try lua.run("return select(2, pcall(inspect, {a = 1}, \(options)))")
            #expect(result.first?.stringValue?.contains("bad argument #2 to 'inspect' (\(message)") == true, "\(options): \(result)")
        }
        #expect(try lua.string("return require('flireo.inspect').inspect({1})") == "{ 1 }")
    }
}

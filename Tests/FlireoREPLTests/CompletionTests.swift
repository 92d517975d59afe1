import LuaKit
import Testing

@testable import FlireoREPL

/// Tab completion against a real Lua state.
@Suite struct CompletionTests {
    let lua: REPLFixture

    init() throws {
        lua = try REPLFixture()
    }

    private func completer(
        modules: [String] = [], strings: ((String, String) -> [String])? = nil
    ) -> Completer {
        Completer(runtime: lua.runtime, moduleNames: modules, stringCompletions: strings)
    }

    private func words(_ before: String, _ completer: Completer? = nil) -> [String] {
        (completer ?? self.completer()).complete(before)?.candidates.map(\.word) ?? []
    }

    @Test func globalsAndKeywords() throws {
        try lua.run("mysupervalue = 7; mysuperfunction = function() end")
        let completion = completer().complete("mysuper")
        #expect(completion?.candidates.map(\.word) == ["mysuperfunction", "mysupervalue"])
        #expect(completion?.insertion == "")
        #expect(completer().complete("mysuperv")?.insertion == "alue")
        #expect(completer().complete("mysuperf")?.insertion == "unction(")
        #expect(completer().complete("spa")?.insertion == "wn(")
        // help is a callable table: it completes as a function.
        #expect(completer().complete("hel")?.insertion == "p(")
        #expect(words("whi") == ["while"])
        #expect(words("lo") == ["load", "loadfile", "local"])
        #expect(completer().complete("js")?.insertion == "on")
    }

    @Test func fieldsAfterADot() throws {
        #expect(words("json.") == ["array", "decode", "encode", "null", "object"])
        #expect(completer().complete("json.enc")?.insertion == "ode(")
        #expect(words("string.su") == ["sub"])
        try lua.run("config = {nested = {deep = 1, deeper = 2}}")
        #expect(words("config.nested.de") == ["deep", "deeper"])
        #expect(words("nothing.here.") == [])
        // A key named like a keyword would not parse after a dot (QA round 30).
        try lua.run(#"range = {start = 1, ["end"] = 2, ending = 3}"#)
        #expect(words("range.e") == ["ending"])
    }

    @Test func methodsThroughTheIndexChain() throws {
        try lua.run("""
            Base = {}; Base.__index = Base
            function Base:greet() end
            Derived = setmetatable({}, {__index = Base}); Derived.__index = Derived
            function Derived:shout() end
            Derived.label = "not a method"
            obj = setmetatable({own = function() end, field = 1}, Derived)
            """)
        #expect(words("obj:") == ["greet", "own", "shout"])
        // Names starting with "_" (metamethods, internals) are offered only once typed.
        #expect(words("obj.") == ["field", "greet", "label", "own", "shout"])
        #expect(words("obj._") == ["__index"])
        #expect(completer().complete("obj:gr")?.insertion == "eet(")
    }

    @Test func methodsAndRawBehindAnIndexFunction() throws {
        // As flireo's results are made (core/result.lua): fields in the table, methods and
        // the server's object behind an __index function, named for completion.
        try lua.run("""
            local methods = {wait = function() end}
            local raw = {status = "pending", requirements_met = true}
            order = setmetatable({id = "o1"}, {__index = function(_, k) if k == "raw" then return raw end return methods[k] end,
              __methods = methods, __raw = raw})
            """)
        #expect(words("order:") == ["wait"])
        #expect(completer().complete("order:wa")?.insertion == "it(")
        #expect(words("order.") == ["id", "raw", "wait"])
        #expect(words("order.raw.") == ["requirements_met", "status"])
    }

    @Test func methodsOfBridgedObjectsAndStrings() throws {
        try lua.run("t = spawn(function() return 1 end); s = 'text'")
        #expect(words("t:") == ["cancel", "done", "wait"])
        #expect(completer().complete("t:wa")?.insertion == "it(")
        #expect(words("s:up") == ["upper"])
    }

    @Test func completionNeverRunsUserCode() throws {
        try lua.run("""
            calls = 0
            trap = setmetatable({}, {__index = function() calls = calls + 1 return {} end})
            """)
        #expect(words("trap.x.") == [])
        #expect(words("trap:") == [])
        #expect(try lua.run("return calls").first == .integer(0))
    }

    @Test func moduleNamesInsideRequire() throws {
        try lua.run("require 'flireo.inspect'")
        let completion = completer(modules: ["flireo.csv", "flireo.bulk"]).complete("x = require \"flireo.")
        #expect(completion?.candidates.map(\.word) == ["flireo.bulk", "flireo.csv", "flireo.inspect"])
        #expect(completer(modules: ["flireo.csv"]).complete("require 'flireo.c")?.insertion == "sv'")
        #expect(words("require \"str") == ["string"])
        // Internal modules are offered only once the text typed reaches into them.
        try lua.run("package.loaded['flireo.native'] = {}; package.loaded['flireo.core.check'] = {}")
        let hiding = Completer(runtime: lua.runtime, moduleNames: [], hiddenModules: ["flireo.native", "flireo.core."],
                               stringCompletions: nil)
        #expect(hiding.complete("require 'flireo.")?.candidates.map(\.word) == ["flireo.inspect"])
        #expect(hiding.complete("require 'flireo.core.")?.candidates.map(\.word) == ["flireo.core.check"])
    }

    @Test func stringHookGetsTheTextBeforeTheQuote() throws {
        final class Calls { var seen: [(String, String)] = [] }
        let calls = Calls()
        let hook: (String, String) -> [String] = { before, prefix in
            calls.seen.append((before, prefix))
            return ["660e8400-e29b-41d4-a716-446655440000", "770e8400-e29b-41d4-a716-446655440000", "+31201234567"]
        }
        let completion = completer(strings: hook).complete("a = flireo.assistant(\"66")
        #expect(calls.seen.count == 1)
        #expect(calls.seen.first?.0 == "a = flireo.assistant(")
        #expect(calls.seen.first?.1 == "66")
        #expect(completion?.insertion == "0e8400-e29b-41d4-a716-446655440000\"")
        #expect(completer(strings: hook).complete("a:link('+")?.insertion == "31201234567'")
        #expect(completer().complete("x = \"abc") == nil)
    }

    @Test func commonPrefixAndListing() {
        let completion = Completion(prefix: "ab", candidates: [
            .init(word: "abcd", suffix: "("), .init(word: "abce", suffix: ""), .init(word: "xyz", suffix: ""),
            .init(word: "abcd", suffix: "("),
        ])
        #expect(completion.candidates.map(\.word) == ["abcd", "abce"])
        #expect(completion.insertion == "c")
        let listing = CompletionListing(words: ["alpha", "beta", "gamma", "delta", "epsilon"], width: 30)
        #expect(listing.text == "alpha    gamma    epsilon\nbeta     delta\n")
        let many = CompletionListing(words: (1...300).map { "w\($0)" }, width: 80)
        #expect(many.text.hasSuffix("… 100 more\n"))
    }
}

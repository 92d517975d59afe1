import LuaKit
import Testing

@testable import FlireoREPL

/// The stub parser, on the real `stdlib/meta/luakit.lua`, and `help()` on a real state.
@Suite struct DocumentationTests {
    @Test func theLuaKitStubsParse() {
        var parser = LuaDocParser()
        parser.parse(Repository.source("stdlib/meta/luakit.lua"))
        let catalog = parser.catalog
        #expect(Set(catalog.functions.keys) == [
            "json.encode", "json.decode", "json.array", "json.object", "spawn", "tasks", "parallel", "sleep",
            "luakit.Task:wait", "luakit.Task:cancel", "luakit.Task:done",
        ])
        let parallel = catalog.functions["parallel"]
        #expect(parallel?.parameters.map(\.name) == ["items", "fn", "opts"])
        #expect(parallel?.parameters.map(\.optional) == [false, false, true])
        #expect(parallel?.parameters[1].type == "fun(item: any, index: integer): any")
        #expect(parallel?.results.map(\.name) == ["results", "failures"])
        #expect(parallel?.results.map(\.type) == ["table", "table?"])
        #expect(parallel?.isAsync == true)
        #expect(parallel?.description.hasPrefix("Calls fn(item, index) for every item") == true)
        #expect(catalog.functions["luakit.Task:wait"]?.isMethod == true)
        #expect(catalog.classes["luakit.Task"]?.description.hasPrefix("What `spawn(fn, ...)` returns") == true)
        #expect(catalog.classes["json"]?.fields.map(\.name) == ["null"])
        #expect(catalog.classes["luakit.Error"]?.fields.count == 7)
        #expect(catalog.members(of: "json").map(\.shortName) == ["array", "decode", "encode", "object"])
    }

    @Test func theFormatsDetails() {
        var parser = LuaDocParser()
        parser.parse("""
            ---@meta
            --- A widget.
            ---@class (exact) my.Widget : my.Base
            ---@field private secret string hidden
            ---@field size? integer # how big
            local W = {}

            --- Resizes it.
            --- Wrapped onto a second line.
            ---
            ---   w:resize(3)
            ---@param n integer|nil # the new size
            ---@param ... any extras
            ---@return boolean
            ---@return string | nil why when it failed
            function W:resize(n, ...) end

            --- Not documented: this block is followed by a blank line.

            function W.undocumented(a, b) end
            local function hidden() end
            """)
        let catalog = parser.catalog
        let widget = catalog.classes["my.Widget"]
        #expect(widget?.parent == "my.Base")
        #expect(widget?.fields.map(\.name) == ["secret", "size"])
        #expect(widget?.fields.last?.optional == true)
        #expect(widget?.fields.last?.description == "how big")
        let resize = catalog.functions["my.Widget:resize"]
        #expect(resize?.description == "Resizes it. Wrapped onto a second line.\n\n  w:resize(3)")
        #expect(resize?.parameters.map(\.type) == ["integer|nil", "any"])
        #expect(resize?.parameters.first?.description == "the new size")
        #expect(resize?.results == [.init(type: "boolean", name: nil, description: ""), .init(type: "string | nil", name: "why", description: "when it failed")])
        #expect(catalog.functions["W.undocumented"] == nil)
        #expect(catalog.functions["hidden"] == nil)
    }

    @Test func helpForGlobalsMethodsObjectsAndTables() throws {
        let lua = try REPLFixture()
        let parallel = try lua.help("parallel")
        #expect(parallel.hasPrefix("parallel(items, fn, opts?) -> results, failures\n"))
        #expect(parallel.contains("Calls fn(item, index) for every item"))
        #expect(parallel.contains("fn     fun(item: any, index: integer): any  called once per item"))
        try lua.run("t = spawn(function() return 1 end)")
        let task = try lua.help("t")
        #expect(task.hasPrefix("luakit.Task\n"))
        #expect(task.contains("task:wait() -> ...   Waits for the task and returns its results"))
        #expect(task.contains("task:cancel()"))
        let wait = try lua.help("t.wait")
        #expect(wait.hasPrefix("task:wait() -> ...\n"))
        #expect(wait.contains("without blocking other tasks"))
        #expect(try lua.help("json").contains("json.encode(value, opts?) -> text"))
        #expect(try lua.help("json.decode").hasPrefix("json.decode(text, opts?) -> value"))
        #expect(try lua.help("'json.encode'").hasPrefix("json.encode(value, opts?) -> text"))
        #expect(try lua.help("'luakit.Task'").hasPrefix("luakit.Task\n"))
        #expect(try lua.help("'nonsense'").hasPrefix("No help for \"nonsense\""))
        // A row without a description ends at its type: no padding at the end of a line.
        let flireo = try REPLFixture(meta: ["meta.flireo": Repository.source("stdlib/meta/flireo.lua")])
        let unlinked = try flireo.help("'flireo.UnlinkResult'")
        let lines = unlinked.split(separator: "\n")
        #expect(lines.contains { $0.hasPrefix("    assistant_id ") && $0.hasSuffix(" string") }, "\(unlinked)")
        #expect(!lines.contains { $0.hasSuffix(" ") }, "\(unlinked)")
        // A short name is the documented class, not the local table of the same name whose
        // methods a module's source defines (QA round 28: help("Order") showed init.lua's).
        let sources = try REPLFixture(meta: ["meta.flireo": Repository.source("stdlib/meta/flireo.lua"),
                                             "flireo": Repository.source("stdlib/flireo/init.lua")])
        let order = try sources.help("'Order'"), taskClass = try sources.help("'Task'")
        #expect(order.hasPrefix("flireo.Order\n"), "\(order)")
        #expect(taskClass.hasPrefix("luakit.Task\n"), "\(taskClass)")
    }

    @Test func helpForWhatHasNoDocumentation() throws {
        let lua = try REPLFixture()
        #expect(try lua.help("print").contains("https://www.lua.org/manual/5.4/manual.html#pdf-print"))
        #expect(try lua.help("string.format").contains("#pdf-string.format"))
        try lua.run("function area(width, height, ...) end; box = {w = 1, grow = function() end}")
        let area = try lua.help("area")
        #expect(area.hasPrefix("area(width, height, ...)\n"))
        #expect(area.contains("defined at test:1"))
        let box = try lua.help("box")
        #expect(box.contains("Functions: grow"))
        #expect(box.contains("Fields: w"))
        // A documented module's undocumented function is listed as it is called.
        try lua.run("json.extra = function() end")
        let module = try lua.help("json")
        #expect(module.contains("json.extra(…)") && !module.contains("json:extra"), "\(module)")
        #expect(try lua.help("42").hasPrefix("42: a number"))
        #expect(try lua.help("nil").hasPrefix("nil: a nil"))
    }

    @Test func theOverviewListsWhatIsThere() throws {
        let lua = try REPLFixture()
        try lua.run("mine = 1")
        let overview = try lua.help("")
        #expect(overview.contains("Globals:"))
        #expect(overview.contains("parallel()  Calls fn(item, index)"))
        #expect(overview.contains("json        JSON text to Lua values and back."))
        #expect(overview.contains("Objects:\n  luakit.Task"))
        #expect(overview.contains("Yours: mine"))
        #expect(overview.contains("Lua's own: coroutine, debug, io, math"))
    }

    @Test func helpTypedBareSaysHowToCallIt() throws {
        let lua = try REPLFixture()
        // What the REPL shows for a bare `help`: its tostring, not a function's address.
        #expect(try lua.string("return tostring(help)").hasPrefix("Type help() for what to try first"))
        #expect(try lua.help("help").hasPrefix("help(value?)"))
        #expect(try lua.help("parallel").hasPrefix("parallel("))
    }
}

/// The names Lua 5.4 itself defines, for pointing help at the reference manual.
enum LuaStandardNames {
    static let libraries: Set<String> = ["string", "table", "math", "io", "os", "coroutine", "utf8", "debug", "package"]
    static let functions: Set<String> = [
        "assert", "collectgarbage", "dofile", "error", "getmetatable", "ipairs", "load", "loadfile", "next",
        "pairs", "pcall", "print", "rawequal", "rawget", "rawlen", "rawset", "require", "select",
        "setmetatable", "tonumber", "tostring", "type", "warn", "xpcall",
    ]
    static var all: Set<String> { libraries.union(functions) }
    static let manual = "https://www.lua.org/manual/5.4/manual.html"

    /// Whether `name` is a function of a standard library (`string.format`).
    static func isLibraryFunction(_ name: String) -> Bool {
        guard let dot = name.firstIndex(of: ".") else { return false }
        return libraries.contains(String(name[..<dot]))
    }

    /// The manual's entry for `name`.
    static func link(for name: String) -> String {
        libraries.contains(name) ? manual + "#6" : manual + "#pdf-" + name
    }
}

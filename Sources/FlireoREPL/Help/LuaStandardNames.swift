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

    /// The manual's section of each library.
    static let sections = [
        "coroutine": "6.2", "package": "6.3", "string": "6.4", "utf8": "6.5", "table": "6.6", "math": "6.7",
        "io": "6.8", "os": "6.9", "debug": "6.10",
    ]

    /// The manual's entry for `name`.
    static func link(for name: String) -> String {
        if let section = sections[name] { return manual + "#" + section }
        return manual + "#pdf-" + name
    }
}

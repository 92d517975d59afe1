/// The documentation read from LuaLS stubs: functions by qualified name
/// (`json.encode`, `spawn`, `luakit.Task:wait`) and classes by name (`luakit.Task`,
/// `json`). `LuaDocParser` fills it.
struct LuaDocCatalog: Sendable {
    /// A parameter or field: name, type, whether it may be omitted, and its text.
    struct Variable: Sendable, Equatable {
        var name: String
        var type: String
        var optional: Bool
        var description: String
    }

    /// One value a function returns.
    struct Result: Sendable, Equatable {
        var type: String
        var name: String?
        var description: String
    }

    /// A documented function or method.
    struct Function: Sendable, Equatable {
        /// `json.encode`, `luakit.Task:wait`, `spawn`.
        var name: String
        var description: String
        var parameters: [Variable]
        var results: [Result]
        /// `---@async`: it waits (yields) without blocking other tasks.
        var isAsync: Bool

        /// The class or table it belongs to (`luakit.Task`, `json`), if any.
        var owner: String? {
            guard let separator = name.lastIndex(where: { $0 == "." || $0 == ":" }) else { return nil }
            return String(name[..<separator])
        }

        /// Whether it is called with `:`.
        var isMethod: Bool {
            guard let separator = name.lastIndex(where: { $0 == "." || $0 == ":" }) else { return false }
            return name[separator] == ":"
        }

        /// Its name without the owner (`encode`, `wait`).
        var shortName: String {
            guard let separator = name.lastIndex(where: { $0 == "." || $0 == ":" }) else { return name }
            return String(name[name.index(after: separator)...])
        }
    }

    /// A documented class: an object type or a module table.
    struct Class: Sendable, Equatable {
        var name: String
        var parent: String?
        var description: String
        var fields: [Variable]
    }

    private(set) var functions: [String: Function] = [:]
    private(set) var classes: [String: Class] = [:]

    /// Adds (or replaces) a function.
    mutating func add(_ function: Function) {
        functions[function.name] = function
    }

    /// Adds a class, merging with one of the same name declared elsewhere.
    mutating func add(_ newClass: Class) {
        guard var existing = classes[newClass.name] else {
            classes[newClass.name] = newClass
            return
        }
        if existing.description.isEmpty { existing.description = newClass.description }
        existing.parent = existing.parent ?? newClass.parent
        existing.fields += newClass.fields.filter { field in !existing.fields.contains { $0.name == field.name } }
        classes[newClass.name] = existing
    }

    /// The functions of a class or table (`luakit.Task:wait`, `json.encode`), sorted.
    func members(of owner: String) -> [Function] {
        functions.values.filter { $0.owner == owner }.sorted { $0.name < $1.name }
    }
}

extension String {
    /// The first sentence of a description (or its first line), for one-line listings.
    var summary: String {
        let firstLine = split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? ""
        if let end = firstLine.firstRange(of: ". ") { return String(firstLine[..<end.lowerBound]) + "." }
        return firstLine.hasSuffix(":") ? String(firstLine.dropLast()) + "." : firstLine
    }
}

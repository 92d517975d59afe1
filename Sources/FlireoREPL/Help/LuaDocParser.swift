/// Reads LuaLS annotations from Lua source into a `LuaDocCatalog` — the format of
/// `stdlib/meta/*.lua`, documented in the header of `stdlib/meta/luakit.lua`:
///
/// - a doc block is a run of lines starting with `---`; its plain lines are the
///   description (a line starting with `---@` is a tag; `---|` lines are ignored);
/// - `---@class Name[: Parent]` declares a class, with `---@field name[?] type [text]`
///   lines; when the block is followed by `local T = …` or `T = …`, functions written
///   on `T` belong to the class (`function T:m()` is `Name:m`);
/// - `---@param name[?] type [# text]`, `---@return type [name] [# text]`, `---@async`
///   document the function on the line that follows the block: `function A.b(…)`,
///   `function A:b(…)` or `function f(…)`;
/// - any other tag is ignored, as are blocks followed by anything else.
struct LuaDocParser {
    private(set) var catalog = LuaDocCatalog()
    /// Table variables that stand for a class (`Task` → `luakit.Task`).
    private var aliases: [String: String] = [:]

    /// Adds what `source` documents.
    mutating func parse(_ source: String) {
        aliases = [:]
        var block: [Substring] = []
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("---") {
                if !line.hasPrefix("---@meta") { block.append(line.dropFirst(3)) }
                continue
            }
            if !block.isEmpty { attach(block, to: line) }
            block = []
        }
        if !block.isEmpty { attach(block, to: "") }
    }

    private mutating func attach(_ block: [Substring], to code: Substring) {
        let doc = DocBlock(block)
        if let declared = doc.declaredClass {
            catalog.add(declared)
            if let table = Self.assignedName(code) { aliases[table] = declared.name }
            return
        }
        guard let (written, parameterList) = Self.functionHeader(code) else { return }
        let name = qualify(written)
        var parameters = doc.parameters
        // Parameters the header has but the block does not document still show in the signature.
        for parameter in parameterList where !parameters.contains(where: { $0.name == parameter }) {
            parameters.append(.init(name: parameter, type: "", optional: false, description: ""))
        }
        let order = parameterList
        parameters.sort { (order.firstIndex(of: $0.name) ?? .max) < (order.firstIndex(of: $1.name) ?? .max) }
        catalog.add(.init(name: name, description: doc.description, parameters: parameters, results: doc.results, isAsync: doc.isAsync))
    }

    /// `Task:wait` → `luakit.Task:wait` when `Task` stands for the class.
    private func qualify(_ written: String) -> String {
        guard let separator = written.lastIndex(where: { $0 == "." || $0 == ":" }) else { return written }
        let owner = String(written[..<separator])
        guard let className = aliases[owner] else { return written }
        return className + written[separator...]
    }

    /// `function a.b:c(x, y)` → (`a.b:c`, [`x`, `y`]); nil for anything else.
    static func functionHeader(_ code: Substring) -> (String, [String])? {
        guard code.hasPrefix("function ") || code.hasPrefix("function\t") else { return nil }
        let rest = code.dropFirst("function".count).drop { $0 == " " || $0 == "\t" }
        guard let open = rest.firstIndex(of: "("), let close = rest[open...].firstIndex(of: ")") else { return nil }
        let name = rest[..<open].trimmingCharacters()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == ":" }) else {
            return nil
        }
        let parameters = rest[rest.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters() }
        return (name, parameters.filter { !$0.isEmpty })
    }

    /// `local T = {}` or `T = {}` → `T`.
    static func assignedName(_ code: Substring) -> String? {
        var text = code
        if text.hasPrefix("local ") { text = text.dropFirst(6) }
        guard let equals = text.firstIndex(of: "=") else { return nil }
        let name = text[..<equals].trimmingCharacters()
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { return nil }
        return name
    }
}

extension Substring {
    /// Without leading and trailing spaces and tabs.
    func trimmingCharacters() -> String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}

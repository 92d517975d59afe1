import LuaKit

/// What `help(x)` prints: the runtime describes `x` (its type, the names it is known by,
/// its members, a Lua function's parameters) and the desk matches that against the
/// documentation catalog, parsed from the stub sources on first use.
final class HelpDesk {
    private let sources: [String: String]
    private let color: Bool
    private var parsed: LuaDocCatalog?

    /// - Parameters:
    ///   - sources: LuaLS stub sources by module name.
    ///   - color: bold signatures.
    init(sources: [String: String], color: Bool) {
        self.sources = sources
        self.color = color
    }

    /// The REPL's own global, in the stub format.
    static let builtin = """
        --- Shows how to use a value: a function's signature and documentation, an object's
        --- methods, a table's contents; with no argument, what there is. A string looks a
        --- name up: `help("json.encode")`.
        ---@param value? any what to explain
        function help(value) end
        """

    /// The documentation, parsed once.
    var catalog: LuaDocCatalog {
        if let parsed { return parsed }
        var parser = LuaDocParser()
        parser.parse(Self.builtin)
        for name in sources.keys.sorted() { parser.parse(sources[name] ?? "") }
        parsed = parser.catalog
        return parser.catalog
    }

    /// The help text for a description made by the runtime's `describe`.
    func text(for description: LuaValue) -> String {
        var page = HelpPage(width: min(Console.columns, 100), color: color)
        switch description["type"].stringValue {
        case "overview":
            overview(description["globals"], on: &page)
        case "string":
            topic(description["topic"].stringValue ?? "", on: &page)
        case "function":
            function(description, on: &page)
        case "table", "userdata":
            object(description, on: &page)
        default:
            let value = description["value"].stringValue ?? "nil"
            page.line("\(value): a \(description["type"].stringValue ?? "value"); help(x) explains functions, tables and objects.")
            page.line("Try help() for what is there, or help(\"name\") to look a name up.")
        }
        return page.text
    }

    // MARK: Pages

    private func overview(_ globals: LuaValue, on page: inout HelpPage) {
        let catalog = self.catalog
        page.wrapped("help(x) shows how to use x: help(spawn), help(json.encode), help(t) for an object t.", indent: 0)
        var documented: [[String]] = []
        var standard: [String] = []
        var own: [String] = []
        for pair in globals.tableValue?.array ?? [] {
            guard let name = pair[1].stringValue, name != "help", name != "_G", name != "_VERSION" else { continue }
            if let summary = summary(of: name, in: catalog) {
                documented.append([pair[2].stringValue == "function" ? name + "()" : name, summary])
            } else if LuaStandardNames.all.contains(name) {
                standard.append(name)
            } else {
                own.append(name)
            }
        }
        if !documented.isEmpty {
            page.blank()
            page.heading("Globals:")
            page.table(documented, indent: 2)
        }
        let globalNames = Set((globals.tableValue?.array ?? []).compactMap { $0[1].stringValue })
        // Natives are documented through the modules that use them.
        let others = catalog.classes.values.filter { !globalNames.contains($0.name) && !$0.name.hasPrefix("flireo.native") }
            .sorted { $0.name < $1.name }
        let objects = others.filter { catalog.members(of: $0.name).contains(where: \.isMethod) }
        let modules = others.filter { catalog.members(of: $0.name).contains { !$0.isMethod } }
        // Plain tables the API returns (a phone number, a link's result, an error).
        let results = others.filter { catalog.members(of: $0.name).isEmpty && $0.name.hasPrefix("flireo.") }
        if !objects.isEmpty {
            page.blank()
            page.heading("Objects:")
            page.table(objects.map { [$0.name, $0.description.summary] }, indent: 2)
        }
        if !results.isEmpty {
            page.blank()
            page.heading("Results (help(\"flireo.PhoneNumber\"), or help(r) for a result r):")
            page.table(results.map { [$0.name, $0.description.summary] }, indent: 2)
        }
        if !modules.isEmpty {
            page.blank()
            page.heading("Modules (require \"name\"):")
            page.table(modules.map { [$0.name, $0.description.summary] }, indent: 2)
        }
        page.blank()
        if !standard.isEmpty {
            let libraries = standard.filter { LuaStandardNames.libraries.contains($0) }.joined(separator: ", ")
            page.wrapped("Lua's own: \(libraries), print, pairs, pcall, … — \(LuaStandardNames.manual)", indent: 0)
        }
        if !own.isEmpty { page.wrapped("Yours: " + own.joined(separator: ", "), indent: 0) }
        page.wrapped("Keys: Tab completes · Ctrl-R searches history · Ctrl-C cancels · Ctrl-D exits", indent: 0)
    }

    private func topic(_ topic: String, on page: inout HelpPage) {
        let catalog = self.catalog
        // `Assistant:link` is `flireo.Assistant:link`, `Task:cancel` is `luakit.Task:cancel`.
        let prefixed = [topic, "flireo." + topic, "luakit." + topic]
        if let function = prefixed.lazy.compactMap({ catalog.functions[$0] }).first {
            document(function, on: &page)
        } else if let name = prefixed.first(where: { catalog.classes[$0] != nil }) {
            // `PhoneNumber` is `flireo.PhoneNumber`: the documented class before the methods
            // a module's source gives a local table of the same short name (`Order`).
            documentClass(name, members: [], on: &page)
        } else if !catalog.members(of: topic).isEmpty {
            documentClass(topic, members: [], on: &page)
        } else if LuaStandardNames.all.contains(topic) || LuaStandardNames.isLibraryFunction(topic) {
            page.line("\(topic): part of Lua 5.4 — \(LuaStandardNames.link(for: topic))")
        } else {
            let related = catalog.functions.values.filter { $0.shortName == topic }.map(\.name).sorted()
            if related.isEmpty, !Self.looksLikeName(topic) {
                // help(flireo.base_url): a string value, not a name to look up.
                let shown = HelpPage.visible(topic.count > 60 ? String(topic.prefix(59)) + "…" : topic)
                page.wrapped("\"\(shown)\" is a string. help(\"name\") looks a name up; help(x) explains a function, table or object.", indent: 0)
            } else if related.isEmpty {
                let shown = HelpPage.visible(topic.count > 60 ? String(topic.prefix(59)) + "…" : topic)
                page.wrapped("No help for \"\(shown)\". help() lists what is documented.", indent: 0)
            } else {
                page.line("No help for \"\(topic)\"; did you mean " + related.joined(separator: ", ") + "?")
            }
        }
    }

    /// `json.encode`, `Assistant:link`: dotted identifiers, with at most one method part.
    static func looksLikeName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: ":", omittingEmptySubsequences: false) }
        return parts.allSatisfy { part in
            guard let first = part.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
            return part.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
        }
    }

    private func function(_ description: LuaValue, on page: inout HelpPage) {
        let catalog = self.catalog
        let names = (description["names"].tableValue?.array ?? []).compactMap(\.stringValue)
        if let documented = names.lazy.compactMap({ catalog.functions[$0] }).first {
            document(documented, on: &page)
            return
        }
        let name = names.first ?? "function"
        let parameters = (description["params"].tableValue?.array ?? []).compactMap(\.stringValue)
        if description["what"].stringValue == "C" {
            page.signature(name + "(…)")
            if LuaStandardNames.isLibraryFunction(name) || LuaStandardNames.all.contains(name) {
                page.line("  Part of Lua 5.4: " + LuaStandardNames.link(for: name))
            } else {
                page.line("  A built-in function with no documentation.")
            }
        } else {
            page.signature(name + "(" + parameters.joined(separator: ", ") + ")")
            let source = description["source"].stringValue ?? "?"
            page.line("  A Lua function defined at \(source), with no documentation.")
        }
    }

    private func object(_ description: LuaValue, on page: inout HelpPage) {
        let catalog = self.catalog
        let names = (description["names"].tableValue?.array ?? []).compactMap(\.stringValue)
        let members = (description["members"].tableValue?.array ?? []).compactMap { pair -> (String, String)? in
            guard let name = pair[1].stringValue, let kind = pair[2].stringValue else { return nil }
            return (name, kind)
        }
        let candidates = [description["class"].stringValue].compactMap { $0 } + names
        if let className = candidates.first(where: { catalog.classes[$0] != nil || !catalog.members(of: $0).isEmpty }) {
            documentClass(className, members: members, on: &page)
            return
        }
        if let (name, field) = documentedField(names, in: catalog) {
            page.signature(name)
            page.paragraphs([field.type, field.description].filter { !$0.isEmpty }.joined(separator: ": "), indent: 2)
            return
        }
        if let library = names.first(where: LuaStandardNames.libraries.contains) {
            page.line("\(library): a library of Lua 5.4 — \(LuaStandardNames.link(for: library))")
        } else {
            let what = description["class"].stringValue.map { "a \($0) object" }
                ?? (description["type"].stringValue == "userdata" ? "a userdata" : "a table")
            page.line("\(names.first ?? "This"): \(what) with no documentation.")
        }
        let functions = members.filter { $0.1 == "function" }.map(\.0)
        let others = members.filter { $0.1 != "function" }.map(\.0)
        if !functions.isEmpty { page.wrapped("Functions: " + functions.joined(separator: ", "), indent: 2) }
        if !others.isEmpty {
            let shown = others.prefix(60).joined(separator: ", ") + (others.count > 60 ? ", … (\(others.count - 60) more)" : "")
            page.wrapped("Fields: " + shown, indent: 2)
        }
    }

    // MARK: Documented entries

    private func document(_ function: LuaDocCatalog.Function, on page: inout HelpPage) {
        page.signature(signature(of: function))
        if !function.description.isEmpty { page.paragraphs(function.description, indent: 2) }
        if function.isAsync {
            page.blank()
            page.wrapped("It waits without blocking other tasks; Ctrl-C interrupts it.", indent: 2)
        }
        let parameters = function.parameters.filter { !$0.type.isEmpty || !$0.description.isEmpty }
        if !parameters.isEmpty {
            page.blank()
            page.line("  Parameters:")
            page.table(parameters.map { [display($0), $0.type, $0.description] }, indent: 4)
        }
        if !function.results.isEmpty {
            page.blank()
            page.line("  Returns:")
            page.table(function.results.map { [$0.name ?? "", $0.type, $0.description] }, indent: 4)
        }
    }

    private func documentClass(_ name: String, members: [(String, String)], on page: inout HelpPage) {
        let catalog = self.catalog
        let documented = catalog.classes[name]
        page.signature(name)
        if let description = documented?.description, !description.isEmpty { page.paragraphs(description, indent: 2) }
        if let fields = documented?.fields, !fields.isEmpty {
            page.blank()
            page.line("  Fields:")
            page.table(fields.map { [display($0), $0.type, $0.description] }, indent: 4)
        }
        let functions = catalog.members(of: name)
        let known = Set(functions.map(\.shortName))
        let undocumented = members.filter { $0.1 == "function" && !known.contains($0.0) && !$0.0.hasPrefix("__") }
        if !functions.isEmpty || !undocumented.isEmpty {
            page.blank()
            page.line(functions.contains(where: \.isMethod) ? "  Methods:" : "  Functions:")
            var rows = functions.map { [signature(of: $0), $0.description.summary] }
            // Called like the documented ones: methods with ":", a module's functions with ".".
            let call = functions.contains(where: \.isMethod) ? receiver(of: name) + ":" : name + "."
            rows += undocumented.map { [call + $0.0 + "(…)", ""] }
            page.table(rows, indent: 4)
        }
    }

    /// `task:wait() -> …`, `json.encode(value, opts?) -> text`.
    private func signature(of function: LuaDocCatalog.Function) -> String {
        let call: String
        if function.isMethod, let owner = function.owner {
            call = receiver(of: owner) + ":" + function.shortName
        } else {
            call = function.name
        }
        let parameters = function.parameters.map(display).joined(separator: ", ")
        var text = "\(call)(\(parameters))"
        if !function.results.isEmpty { text += " -> " + function.results.map { $0.name ?? $0.type }.joined(separator: ", ") }
        return text
    }

    private func display(_ variable: LuaDocCatalog.Variable) -> String {
        variable.optional ? variable.name + "?" : variable.name
    }

    /// The variable name a method's examples use: `luakit.Task` → `task`.
    private func receiver(of className: String) -> String {
        let last = className.split(separator: ".").last.map(String.init) ?? className
        return last.prefix(1).lowercased() + last.dropFirst()
    }

    /// A documented field one of `names` refers to (`json.null`).
    private func documentedField(_ names: [String], in catalog: LuaDocCatalog) -> (String, LuaDocCatalog.Variable)? {
        for name in names {
            guard let dot = name.lastIndex(of: "."), let owner = catalog.classes[String(name[..<dot])] else { continue }
            let fieldName = String(name[name.index(after: dot)...])
            if let field = owner.fields.first(where: { $0.name == fieldName }) { return (name, field) }
        }
        return nil
    }

    /// The one-line summary of a documented global, if it has documentation.
    private func summary(of name: String, in catalog: LuaDocCatalog) -> String? {
        if let function = catalog.functions[name] { return function.description.summary }
        if let documented = catalog.classes[name] { return documented.description.summary }
        return catalog.members(of: name).isEmpty ? nil : "functions: " + catalog.members(of: name).map(\.shortName).joined(separator: ", ")
    }
}

/// One `---` comment block: its description and the tags `help()` reads.
struct DocBlock {
    typealias Variable = LuaDocCatalog.Variable

    var description = ""
    var declaredClass: LuaDocCatalog.Class?
    var parameters: [Variable] = []
    var results: [LuaDocCatalog.Result] = []
    var isAsync = false

    /// - Parameter lines: the block's lines without their `---`.
    init(_ lines: [Substring]) {
        var text: [Substring] = []
        var className: String?
        var parent: String?
        var fields: [Variable] = []
        for line in lines {
            guard line.hasPrefix("@") else {
                if !line.hasPrefix("|") { text.append(line.first == " " ? line.dropFirst() : line) }
                continue
            }
            let tagEnd = line.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? line.endIndex
            let tag = line[line.index(after: line.startIndex)..<tagEnd]
            let rest = line[tagEnd...].drop { $0 == " " || $0 == "\t" }
            switch tag {
            case "class":
                var declaration = rest
                if declaration.hasPrefix("("), let close = declaration.firstIndex(of: ")") {  // (exact)
                    declaration = declaration[declaration.index(after: close)...].drop { $0 == " " }
                }
                let parts = declaration.split(separator: ":", maxSplits: 1)
                className = parts.first?.trimmingCharacters()
                parent = parts.count > 1 ? parts[1].trimmingCharacters() : nil
            case "field":
                if let field = Self.variable(rest, skippingVisibility: true) { fields.append(field) }
            case "param":
                if let parameter = Self.variable(rest, skippingVisibility: false) { parameters.append(parameter) }
            case "return":
                results.append(Self.result(rest))
            case "async":
                isAsync = true
            default:
                continue
            }
        }
        description = Self.reflow(text)
        if let className, !className.isEmpty {
            declaredClass = .init(name: className, parent: parent, description: description, fields: fields)
        }
    }

    /// `name[?] type [#] text` (after an optional `private`/`public`/… for fields).
    private static func variable(_ text: Substring, skippingVisibility: Bool) -> Variable? {
        var rest = text
        var name = word(&rest)
        if skippingVisibility, ["public", "private", "protected", "package"].contains(name) { name = word(&rest) }
        guard !name.isEmpty else { return nil }
        let type = typeExpression(&rest)
        var optional = false
        if name.hasSuffix("?") {
            name.removeLast()
            optional = true
        }
        if type.hasSuffix("?") { optional = true }
        return Variable(name: name, type: type, optional: optional, description: comment(rest))
    }

    /// `type [name] [#] text`.
    private static func result(_ text: Substring) -> LuaDocCatalog.Result {
        var rest = text
        let type = typeExpression(&rest)
        var name: String?
        if !rest.hasPrefix("#") {
            let candidate = word(&rest)
            if !candidate.isEmpty { name = candidate }
        }
        return .init(type: type, name: name, description: comment(rest))
    }

    /// Takes the next space-separated word.
    private static func word(_ text: inout Substring) -> String {
        text = text.drop { $0 == " " || $0 == "\t" }
        let end = text.firstIndex(where: { $0 == " " || $0 == "\t" }) ?? text.endIndex
        defer { text = text[end...].drop { $0 == " " || $0 == "\t" } }
        return String(text[..<end])
    }

    /// Takes a type, which may hold spaces inside brackets (`fun(x: integer): string`,
    /// `{a: integer}`) or around `|` (`string | nil`).
    static func typeExpression(_ text: inout Substring) -> String {
        text = text.drop { $0 == " " || $0 == "\t" }
        var depth = 0
        var index = text.startIndex
        var previous: Character = " "
        while index < text.endIndex {
            let c = text[index]
            switch c {
            case "(", "{", "[", "<": depth += 1
            case ")", "}", "]", ">": depth = max(0, depth - 1)
            case " ", "\t":
                let next = text[index...].first { $0 != " " && $0 != "\t" }
                if depth == 0 && previous != ":" && previous != "," && previous != "|" && next != "|" {
                    let type = String(text[..<index])
                    text = text[index...].drop { $0 == " " || $0 == "\t" }
                    return type
                }
            default: break
            }
            if c != " " && c != "\t" { previous = c }
            index = text.index(after: index)
        }
        let type = String(text)
        text = text[text.endIndex...]
        return type
    }

    /// The rest of a tag line as text, without a leading `#`.
    private static func comment(_ text: Substring) -> String {
        var rest = text.drop { $0 == " " || $0 == "\t" }
        if rest.hasPrefix("#") { rest = rest.dropFirst().drop { $0 == " " } }
        return rest.trimmingCharacters()
    }

    /// Joins wrapped lines into paragraphs (blank lines separate them); indented lines
    /// and list items keep their own lines.
    static func reflow(_ lines: [Substring]) -> String {
        var paragraphs: [String] = []
        var current = ""
        var keepBreak = false
        for line in lines {
            let trimmed = line.trimmingCharacters()
            if trimmed.isEmpty {
                if !current.isEmpty { paragraphs.append(current) }
                current = ""
                continue
            }
            let verbatim = line.hasPrefix("  ") || line.hasPrefix("\t") || trimmed.hasPrefix("- ") || trimmed.hasPrefix("* ")
            if current.isEmpty {
                current = verbatim ? String(line) : trimmed
            } else if verbatim || keepBreak {
                current += "\n" + (verbatim ? String(line) : trimmed)
            } else {
                current += " " + trimmed
            }
            keepBreak = verbatim
        }
        if !current.isEmpty { paragraphs.append(current) }
        return paragraphs.joined(separator: "\n\n")
    }
}

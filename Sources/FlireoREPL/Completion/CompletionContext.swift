/// What the word at the cursor is, judged from the text before the cursor alone.
enum CompletionContext: Equatable {
    /// A bare name: a global or a keyword.
    case name(prefix: String)
    /// A field after `path.` or a method after `path:`.
    case member(path: [String], method: Bool, prefix: String)
    /// Inside the string literal of `require "…"`.
    case module(prefix: String, quote: Character)
    /// Inside any other string literal; `before` is the text before the opening quote.
    case string(before: String, prefix: String, quote: Character)
    /// Nothing to complete (a comment, a long string, a number, after a call).
    case none

    /// Reads the text before the cursor.
    init(before text: String) {
        let characters = Array(text)
        switch Self.scan(characters) {
        case .code:
            self = Self.word(endingAt: characters)
        case .shortString(let start, let quote):
            let before = String(characters[..<start])
            let prefix = String(characters[(start + 1)...])
            if Self.isRequire(before) {
                self = .module(prefix: prefix, quote: quote)
            } else {
                self = .string(before: before, prefix: prefix, quote: quote)
            }
        case .other:
            self = .none
        }
    }

    private enum Ending {
        case code
        case shortString(start: Int, quote: Character)
        case other
    }

    /// Where the text ends: in code, in a short string (from its quote), or in a
    /// comment or long string.
    private static func scan(_ text: [Character]) -> Ending {
        var i = 0
        while i < text.count {
            let c = text[i]
            if c == "\"" || c == "'" {
                let start = i
                i += 1
                while i < text.count, text[i] != c {
                    if text[i] == "\\" { i += 1 }
                    if i < text.count, text[i] == "\n" { break }  // an unfinished string ends at the line
                    i += 1
                }
                if i >= text.count { return .shortString(start: start, quote: c) }
                i += 1
            } else if c == "-", i + 1 < text.count, text[i + 1] == "-" {
                i += 2
                if let level = longBracket(text, at: i) {
                    guard let end = closeLongBracket(text, from: i + level + 2, level: level) else { return .other }
                    i = end
                } else {
                    while i < text.count, text[i] != "\n" { i += 1 }
                    if i >= text.count { return .other }
                }
            } else if c == "[", let level = longBracket(text, at: i) {
                guard let end = closeLongBracket(text, from: i + level + 2, level: level) else { return .other }
                i = end
            } else {
                i += 1
            }
        }
        return .code
    }

    /// The level of a long bracket `[==[` opening at `i`, if one does.
    private static func longBracket(_ text: [Character], at i: Int) -> Int? {
        guard i < text.count, text[i] == "[" else { return nil }
        var j = i + 1
        while j < text.count, text[j] == "=" { j += 1 }
        guard j < text.count, text[j] == "[" else { return nil }
        return j - i - 1
    }

    /// The index after the `]==]` closing a long bracket of `level`, if the text has it.
    private static func closeLongBracket(_ text: [Character], from start: Int, level: Int) -> Int? {
        var i = start
        while i < text.count {
            if text[i] == "]" {
                var j = i + 1
                while j < text.count, text[j] == "=" { j += 1 }
                if j < text.count, text[j] == "]", j - i - 1 == level { return j + 1 }
            }
            i += 1
        }
        return nil
    }

    /// The name chain (`a.b:c`) ending the text.
    private static func word(endingAt text: [Character]) -> CompletionContext {
        var start = text.count
        while start > 0, isNameCharacter(text[start - 1]) { start -= 1 }
        let prefix = String(text[start...])
        var path: [String] = []
        var method = false
        var end = start
        // Walk back over `name.` and `name:` pairs; only the last separator may be `:`.
        while end > 0, text[end - 1] == "." || text[end - 1] == ":" {
            let separator = text[end - 1]
            if separator == ":" && !path.isEmpty { return .none }
            var nameStart = end - 1
            while nameStart > 0, isNameCharacter(text[nameStart - 1]) { nameStart -= 1 }
            let name = String(text[nameStart..<(end - 1)])
            if name.isEmpty {
                // `a..b` is concatenation, `f():m` and `t[1].x` cannot be resolved.
                if separator == ".", end >= 2, text[end - 2] == "." { break }
                return .none
            }
            if path.isEmpty && separator == ":" { method = true }
            path.insert(name, at: 0)
            end = nameStart
        }
        if let first = path.first ?? (prefix.isEmpty ? nil : prefix), first.first?.isNumber == true {
            return .none
        }
        return path.isEmpty ? .name(prefix: prefix) : .member(path: path, method: method, prefix: prefix)
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
    }

    /// Whether the text before a quote is a call of `require`: `require`, `require(`.
    private static func isRequire(_ before: String) -> Bool {
        var text = Substring(before)
        while text.last == " " { text = text.dropLast() }
        if text.last == "(" { text = text.dropLast() }
        while text.last == " " { text = text.dropLast() }
        guard text.hasSuffix("require") else { return false }
        let head = text.dropLast("require".count)
        return head.last.map { !isNameCharacter($0) && $0 != "." && $0 != ":" } ?? true
    }
}

import LuaKit

/// Answers Tab on the Lua thread: reads the context of the cursor, then asks the
/// runtime (globals, fields, methods), the host's module list or its string hook.
final class Completer {
    static let keywords = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]

    private let runtime: REPLRuntime
    private let moduleNames: [String]
    private let hiddenModules: [String]
    private let stringCompletions: ((_ before: String, _ prefix: String) -> [String])?

    /// - Parameters:
    ///   - runtime: the REPL's Lua side.
    ///   - moduleNames: modules offered inside `require "…"` besides the loaded ones.
    ///   - hiddenModules: prefixes of internal modules, offered only once the text typed reaches into them.
    ///   - stringCompletions: the host's completions inside other string literals.
    init(runtime: REPLRuntime, moduleNames: [String], hiddenModules: [String] = [],
         stringCompletions: ((String, String) -> [String])?) {
        self.runtime = runtime
        self.moduleNames = moduleNames
        self.hiddenModules = hiddenModules
        self.stringCompletions = stringCompletions
    }

    /// The completion for the text before the cursor, or nil when there is nothing to complete.
    func complete(_ before: String) -> Completion? {
        switch CompletionContext(before: before) {
        case .name(let prefix):
            let names = runtime.members(of: [], prefix: prefix, methods: false).map(candidate)
            let keywords = Self.keywords.map { Completion.Candidate(word: $0, suffix: "") }
            return Completion(prefix: prefix, candidates: names + keywords)
        case .member(let path, let method, let prefix):
            // A key named like a keyword (`end` of a JSON range) cannot follow `.` or `:`.
            let members = runtime.members(of: path, prefix: prefix, methods: method).filter { !Self.keywords.contains($0.name) }
            return Completion(prefix: prefix, candidates: members.map(candidate))
        case .module(let prefix, let quote):
            let names = (moduleNames + runtime.loadedModules(prefix: prefix)).filter { name in
                !hiddenModules.contains { name.hasPrefix($0) && !prefix.hasPrefix($0) }
            }
            return Completion(prefix: prefix, candidates: names.map { .init(word: $0, suffix: String(quote)) })
        case .string(let before, let prefix, let quote):
            guard let stringCompletions else { return nil }
            let words = stringCompletions(before, prefix)
            return Completion(prefix: prefix, candidates: words.map { .init(word: $0, suffix: String(quote)) })
        case .none:
            return nil
        }
    }

    private func candidate(_ member: REPLRuntime.Member) -> Completion.Candidate {
        Completion.Candidate(word: member.name, suffix: member.kind == .function ? "(" : "")
    }
}

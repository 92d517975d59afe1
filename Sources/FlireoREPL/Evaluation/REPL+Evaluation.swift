#if canImport(Glibc)
import Glibc
#endif
import LuaKit

extension REPL {
    /// What reading a chunk produced.
    enum ChunkRead {
        case chunk(LuaRef)
        /// A Ctrl-C or a syntax error: back to the prompt.
        case nothing
        case end
    }

    /// How a chunk compiled.
    enum Compiled {
        case ready(LuaRef)
        /// The chunk ends early (`<eof>`): read another line.
        case incomplete
        case failed(LuaError)
    }

    /// The most results of one line that are printed.
    static let resultLimit: Int32 = 200

    /// Reads lines until they form a chunk that compiles, as `lua.c` does: the first
    /// line as `return <line>` first, further lines while the chunk is incomplete.
    func readChunk() -> ChunkRead {
        var lines: [[UInt8]] = []
        var prompt = (configuration.promptMode?().map { $0 + "> " }) ?? "> "
        while true {
            switch readLine(prompt: prompt) {
            case .line(let line): lines.append(line)
            case .interrupted: return .nothing
            case .endOfInput:
                guard !lines.isEmpty else { return .end }
                // Ctrl-D at `>>` ends the chunk, as in lua: its error, and the prompt again
                // (only at `>` does it end the session, with its variables and tasks).
                let source = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
                record(source)
                do {
                    _ = try state.load(source, name: "=stdin", mode: "t")
                } catch {
                    Console.error((isatty(0) != 0 ? "\n" : "") + error.message + "\n")
                }
                return .nothing
            }
            let source = Array(lines.joined(separator: [UInt8(ascii: "\n")]))
            switch Self.compile(state, source) {
            case .ready(let chunk):
                record(source)
                return .chunk(chunk)
            case .failed(let error):
                record(source)
                Console.error(error.message + "\n")
                return .nothing
            case .incomplete:
                prompt = ">> "
            }
        }
    }

    /// Compiles a chunk typed at the prompt (text only: typed bytes are never loaded as
    /// bytecode). `=expr` is `return expr`.
    static func compile(_ state: LuaState, _ typed: [UInt8]) -> Compiled {
        var source = shortcut(state, typed) ?? typed
        if source.first == UInt8(ascii: "=") { source = Array("return ".utf8) + source.dropFirst() }
        // Not `return expr`: that is a tail call, which takes the typed line off the stack,
        // so an error raised by what it calls could not name `stdin:1` as its position.
        // The closing parenthesis stays on the typed line, so that an error in the
        // expression is `stdin:1`; a trailing `-- comment` would swallow it: the expression
        // is then taken without the comment, and failing that the parenthesis goes below.
        func wrapped(_ expression: some Collection<UInt8>, _ closing: String) -> LuaRef? {
            try? state.load(Array("return select(1, ".utf8) + expression + Array(closing.utf8), name: "=stdin", mode: "t")
        }
        // Only what is an expression list on its own: `1)(print('x')` would close the
        // wrapper's parenthesis and run as a call.
        if (try? state.load(Array("return ".utf8) + source + Array("\n".utf8), name: "=stdin", mode: "t")) != nil {
            let dash = UInt8(ascii: "-")
            let lastDashes = source.indices.dropLast().last { source[$0] == dash && source[$0 + 1] == dash }
            let uncommented = lastDashes.map { Array(source[..<$0]) }
            if let chunk = wrapped(source, ")") ?? uncommented.flatMap({ wrapped($0, ")") }) ?? wrapped(source, "\n)") {
                return .ready(chunk)
            }
        }
        do {
            return .ready(try state.load(source, name: "=stdin", mode: "t"))
        } catch where error.kind == .syntax && error.message.hasSuffix("<eof>") {
            return .incomplete
        } catch {
            return .failed(error)
        }
    }

    /// What other shells take typed bare: `?`, `? x` and `help` ask for `help()` and
    /// `help(x)`; `exit` and `quit` (nil in Lua, unless the user made them) say how to leave,
    /// as Python's REPL does, instead of printing `nil`.
    static func shortcut(_ state: LuaState, _ typed: [UInt8]) -> [UInt8]? {
        var text = String(decoding: typed, as: UTF8.self)[...].trimmingCharacters()
        if text == "?" || text == "help" { return Array("help()".utf8) }
        // `help flireo.connect`, as `? flireo.connect` (Lua would read a syntax error).
        if text.hasPrefix("help "), case let rest = String(text.dropFirst(5).trimmingCharacters()), HelpDesk.looksLikeName(rest) {
            return shortcut(state, Array(("? " + rest).utf8))
        }
        // `help(a:unlink())` typed whole asks what `? a:unlink()` asks: the call is a dry run
        // too (with a `;` or a comment after it as well).
        // (`help (a:unlink())` too: Lua allows the space.)
        if text.hasPrefix("help "), let open = text.dropFirst(4).firstIndex(where: { $0 != " " }), text[open] == "(" {
            text = "help" + text[open...]
        }
        if text.hasPrefix("help(") {
            var candidates = [Substring(text)]
            if let dashes = text.indices.dropLast().last(where: { text[$0] == "-" && text[text.index(after: $0)] == "-" }) {
                candidates.append(text[..<dashes])
            }
            for candidate in candidates {
                var call = candidate.trimmingCharacters()
                while call.hasSuffix(";") { call = call.dropLast().trimmingCharacters() }
                if call.hasSuffix(")"), let inner = soleArgument(call.dropFirst(5).dropLast()), inner.contains("(") {
                    return shortcut(state, Array(("? " + inner).utf8))
                }
            }
        }
        if text.hasPrefix("?"), text.count > 1, !text.hasPrefix("??") {
            var subject = String(text.dropFirst().trimmingCharacters())
            // `? a:link`, as help writes methods: the method is a.link (of a call's result too:
            // `? flireo.assistants():list`, evaluated as a rehearsal below).
            if let colon = subject.lastIndex(of: ":"),
               subject[subject.index(after: colon)...].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) {
                subject.replaceSubrange(colon...colon, with: ".")
            }
            // `? a:unlink()` asks what the call answers: it is evaluated as a rehearsal, every
            // client dry (one from flireo.connect too) and planning in a copy of its plan (a
            // mutation is predicted, not sent, and a dry run's plan is left as it was); the
            // REPL ends the rehearsal afterwards, however the chunk ended (``restoreAfterHelp()``).
            if subject.contains("(") {
                // A task would run after the rehearsal has ended, not rehearsed: `spawn` is refused there.
                return Array(("help((function() local p = package.loaded['flireo.core.plan'] "
                    + "if p then \(Self.dryRunToUndo) = true p.rehearse(true) end "
                    + "local spawn = function() error('spawn cannot be rehearsed by ?: its task would run after the "
                    + "question, for real; ask about the function the task runs instead', 2) end "
                    + "return \(subject)\n end)())").utf8)
            }
            return Array("help(\(subject))".utf8)
        }
        // `exit()` too, as Python's REPL takes it.
        let word = text.hasSuffix("()") ? String(text.dropLast(2)) : text
        guard word == "exit" || word == "quit" else { return nil }
        let type = state.pushRawGlobal(word)
        state.setStackTop(state.stackTop - 1)
        guard type == .nil else { return nil }
        return Array("print('Ctrl-D (or os.exit()) leaves the REPL')".utf8)
    }

    /// `text` when it is one argument: its parentheses balanced and none closing early
    /// (`help(a)(b)` is no call of help with one argument); nil otherwise.
    private static func soleArgument(_ text: Substring) -> String? {
        var depth = 0
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if depth < 0 { return nil }
        }
        let trimmed = text.trimmingCharacters()
        return depth == 0 && !trimmed.isEmpty ? String(trimmed) : nil
    }

    /// The global a `? call` sets when it starts a rehearsal for the call.
    static let dryRunToUndo = "__flireo_help_dry_run"

    /// After a `? call` that started a rehearsal: ends it, in a chunk of its own (one place,
    /// whether the call ended, failed or was stopped by Ctrl-C, after which the stopped chunk
    /// can run no more code).
    func restoreAfterHelp() {
        let type = state.pushRawGlobal(Self.dryRunToUndo)
        state.setStackTop(state.stackTop - 1)
        guard type != .nil,
              // What the call was predicted to change is forgotten with the rehearsal.
              let chunk = try? state.load(Array("\(Self.dryRunToUndo) = nil package.loaded['flireo.core.plan'].rehearse(false)".utf8),
                                          name: "=help", mode: "t")
        else { return }
        evaluate(chunk)
    }

    /// Runs a chunk in a host coroutine and prints its results, or its error.
    func evaluate(_ chunk: LuaRef) {
        let base = state.stackTop
        defer { state.setStackTop(base) }
        let count: Int32
        do {
            count = try state.callKeepingResults(chunk)
        } catch {
            // After the terminal's `^C` echo, the message starts a line of its own.
            let echoed = error.message.hasSuffix("interrupted!") && isatty(0) != 0
            // Ctrl-C stops a pasted block, not only its line, and the lines typed ahead
            // while the command ran (as a terminal's own interrupt throws them away): the
            // command after the one stopped is not sent behind the user's back.
            if error.message.hasSuffix("interrupted!") { reader?.send(.discardTypedAhead) }
            Console.error(ErrorReport(error, typed: true).text(prefix: echoed ? "\n" : ""))
            return
        }
        guard count > 0, let runtime = runtime else { return }
        let shown = min(count, Self.resultLimit)
        state.setStackTop(state.stackTop - (count - shown))
        do {
            var text = try runtime.render(count: shown, color: configuration.color, width: Console.columns)
            text.append(UInt8(ascii: "\n"))
            Console.result(bytes: text)
            if count > shown { Console.out("… \(count - shown) more results\n") }
        } catch where error.message.hasSuffix("interrupted!") {
            // (After the terminal's `^C` echo, on a line of its own.)
            Console.error((isatty(0) != 0 ? "\n" : "") + "interrupted! (while the result was shown)\n")
        } catch {
            Console.error("flireo: cannot show the result: \(error.message)\n")
        }
    }
}

import LuaKit
import Testing

@testable import FlireoREPL

/// How typed lines become chunks, and how errors are reported.
@Suite struct EvaluationTests {
    let state: LuaState

    init() throws {
        state = try LuaState()
    }

    private func compile(_ source: String) -> String {
        switch REPL.compile(state, Array(source.utf8)) {
        case .ready(let chunk):
            let values = (try? state.call(chunk)) ?? []
            return "ready " + values.map { "\($0.integerValue.map(String.init) ?? $0.stringValue ?? "?")" }.joined(separator: ",")
        case .incomplete: return "incomplete"
        case .failed(let error): return "failed " + error.message
        }
    }

    @Test func expressionsStatementsAndIncompleteChunks() {
        #expect(compile("1 + 1") == "ready 2")
        #expect(compile("=2 * 3") == "ready 6")
        #expect(compile("return 4") == "ready 4")
        #expect(compile("1, 'two'") == "ready 1,two")
        #expect(compile("x = 5") == "ready ")
        #expect(compile("x") == "ready 5")
        #expect(compile("local y = 1") == "ready ")
        #expect(compile("for i = 1, 3 do") == "incomplete")
        #expect(compile("for i = 1, 3 do\nprint(i)") == "incomplete")
        #expect(compile("s = [[open") == "incomplete")
        #expect(compile("{1,\n2}") == "ready ?")
        #expect(compile("x = = 1").hasPrefix("failed stdin:1: unexpected symbol near '='"))
        // `?`, `? x` and a bare `help` ask for help, as in other shells.
        try? state.run("function help(x) return x == nil and 'all' or 'on ' .. tostring(x) end", name: "=t")
        #expect(compile("?") == "ready all")
        #expect(compile(" help ") == "ready all")
        #expect(compile("? x") == "ready on 5")
        #expect(compile("?x") == "ready on 5")
        // A bare exit or quit says how to leave, unless the user made one.
        #expect(compile("exit") == "ready ")
        try? state.run("quit = 7", name: "=t")
        #expect(compile("quit") == "ready 7")
        // A stray parenthesis never closes the expression wrapper and runs what follows.
        #expect(compile("1)(print('injected')").hasPrefix("failed stdin:1:"))
    }

    @Test func typedBytesAreNeverLoadedAsBytecode() {
        #expect(compile("\u{1B}Lua junk").hasPrefix("failed "))
        #expect(compile("\u{1B}Lua junk").contains("binary chunk"))
    }

    @Test func errorReportsAreShort() {
        let plain = ErrorReport(LuaError(kind: .runtime, message: "stdin:1: boom", traceback: "stack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in main chunk\n\t[C]: in ?"))
        #expect(plain.text(prefix: "") == "stdin:1: boom\n")
        let deep = ErrorReport(report: "stdin:1: deep\nstack traceback:\n\t[C]: in function 'error'\n\tstdin:1: in upvalue 'f'\n\tstdin:1: in local 'g'\n\t(...tail calls...)\n\tstdin:1: in function <stdin:1>")
        #expect(deep.text(prefix: "! ") == "! stdin:1: deep\nstack traceback:\n\tstdin:1: in upvalue 'f'\n\tstdin:1: in local 'g'\n\tstdin:1: in function <stdin:1>\n")
        let long = ErrorReport(LuaError(kind: .runtime, message: "m", traceback: (1...10).map { "\tf:\($0): in x" }.joined(separator: "\n")))
        #expect(long.text(prefix: "").hasSuffix("\tf:6: in x\n\t… 4 more\n"))
        // A stack too deep for Lua's traceback: the levels it skipped count too.
        let frames = (1...10).map { "\tf:\($0): in x" } + ["\t...\t(skipping 999974 levels)"] + (11...21).map { "\tf:\($0): in x" }
        let deep2 = ErrorReport(LuaError(kind: .runtime, message: "stack overflow", traceback: frames.joined(separator: "\n")))
        #expect(deep2.text(prefix: "").hasSuffix("\tf:6: in x\n\t… 999989 more\n"), "\(deep2.text(prefix: ""))")
        let interrupted = ErrorReport(LuaError(kind: .runtime, message: "stdin:1: interrupted!", traceback: "stack traceback:\n\tf:1: in x\n\tf:2: in y"))
        #expect(interrupted.text(prefix: "") == "stdin:1: interrupted!\n")
        // At the prompt, an interrupt that landed in a library the line called is just that.
        let inLibrary = LuaError(kind: .runtime, message: "flireo/core/assistant.lua:50: interrupted!", traceback: "\tf:1: in x")
        #expect(ErrorReport(inLibrary, typed: true).text(prefix: "") == "interrupted!\n")
        #expect(ErrorReport(inLibrary).text(prefix: "") == "flireo/core/assistant.lua:50: interrupted!\n")
        // With the typed line in the traceback, it is named, as for an interrupt in the line itself.
        let fromLine = LuaError(kind: .runtime, message: "flireo/core/assistant.lua:50: interrupted!",
                                traceback: "stack traceback:\n\t[C]: in ?\n\tflireo/core/assistant.lua:50: in method 'unlink'\n\tstdin:1: in main chunk")
        #expect(ErrorReport(fromLine, typed: true).text(prefix: "") == "stdin:1: interrupted!\n")
        // An error object prints as its one line, without the library frames under it.
        let object = LuaError(kind: .runtime, message: "stdin:1: not_found (404): gone", traceback: "\tflireo/core/a.lua:9: in f",
                              value: .table(LuaTable(fields: [("code", .string("not_found"))])))
        #expect(ErrorReport(object).text(prefix: "") == "stdin:1: not_found (404): gone\n")
    }

    @Test func utf8DecodingIsStrict() {
        #expect(UTF8Decoding.decode([0x41]) == .scalar(0x41, length: 1))
        #expect(UTF8Decoding.decode([0xC3, 0xA9, 0x41]) == .scalar(0xE9, length: 2))
        #expect(UTF8Decoding.decode([0xF0, 0x9F, 0x98, 0x80]) == .scalar(0x1F600, length: 4))
        #expect(UTF8Decoding.decode([0xE2, 0x82]) == .incomplete)
        #expect(UTF8Decoding.decode([]) == .incomplete)
        #expect(UTF8Decoding.decode([0xFF]) == .invalid)
        #expect(UTF8Decoding.decode([0x80]) == .invalid)
        #expect(UTF8Decoding.decode([0xC0, 0x80]) == .invalid)
        #expect(UTF8Decoding.decode([0xE0, 0x80, 0x80]) == .invalid)
        #expect(UTF8Decoding.decode([0xED, 0xA0, 0x80]) == .invalid)
        #expect(UTF8Decoding.decode([0xF4, 0x90, 0x80, 0x80]) == .invalid)
        #expect(UTF8Decoding.decode([0xC3, 0x41]) == .invalid)
    }

    @Test func standardPathsFollowXDG() {
        let banner = REPLConfiguration.Banner(versionLine: "v")
        let defaults = REPLConfiguration(banner: banner, environment: ["HOME": "/home/me"])
        #expect(defaults.historyPath == "/home/me/.local/state/flireo/history")
        #expect(defaults.startupFile == "/home/me/.config/flireo/init.lua")
        let xdg = REPLConfiguration(banner: banner, environment: ["HOME": "/home/me", "XDG_STATE_HOME": "/s", "XDG_CONFIG_HOME": "/c"])
        #expect(xdg.historyPath == "/s/flireo/history")
        #expect(xdg.startupFile == "/c/flireo/init.lua")
        let relative = REPLConfiguration(banner: banner, environment: ["HOME": "/home/me", "XDG_STATE_HOME": "rel"])
        #expect(relative.historyPath == "/home/me/.local/state/flireo/history")
        let homeless = REPLConfiguration(banner: banner, environment: [:])
        #expect(homeless.historyPath == nil)
        #expect(!REPLConfiguration(banner: banner, environment: ["NO_COLOR": "1"]).color)
    }
}

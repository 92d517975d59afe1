#if canImport(Glibc)
import Glibc
#endif
import LuaKit
import Synchronization

/// What a shipped script asked the host to say if Ctrl-C stops it (see
/// `flireo.native.system.on_interrupt`): one script runs per process.
public enum ScriptInterruption {
    private static let stored = Mutex<(note: String?, removal: String?, json: String?, claimed: Bool)>((nil, nil, nil, false))

    /// Whether the script took on the bulk scripts' contract (`cli.parse{mutating = true}`
    /// or `cli.on_interrupt`): Ctrl-C, SIGTERM, SIGHUP or a closed standard output then
    /// end it with its note and 130, 143, 129 or 141, a script file as a shipped script.
    public static var claimed: Bool {
        get { stored.withLock { $0.claimed } }
        set { stored.withLock { $0.claimed = newValue } }
    }

    /// The note, or nil when the script set none.
    public static var note: String? {
        get { stored.withLock { $0.note } }
        set { stored.withLock { $0.note = newValue } }
    }

    /// What the host writes on standard output if Ctrl-C stops the script (a script run
    /// with --json: one JSON object, so that the output's reader learns of it), or nil.
    public static var json: String? {
        get { stored.withLock { $0.json } }
        set { stored.withLock { $0.json = newValue } }
    }

    /// A file the host removes if Ctrl-C stops the script (a journal that holds no plan
    /// yet: nothing was sent, and left behind it would only block the next run).
    public static var removal: String? {
        get { stored.withLock { $0.removal } }
        set { stored.withLock { $0.removal = newValue } }
    }
}

/// `flireo.native.system`: what the bulk runner needs of the process and that plain
/// Lua lacks: whether a stream is a terminal, its width, the source of the shipped
/// scripts (their headers are their usage text), and a line of stdin that Ctrl-C
/// interrupts. The clock is the flireo module's.
enum SystemModule {
    static let name = "flireo.native.system"

    static var functions: [String: LuaFunction] {
        [
            // isatty(fd) -> boolean: 0 stdin, 1 stdout, 2 stderr.
            "isatty": { call in
                call.push(isatty(Int32(clamping: try call.integer(1))) != 0)
                return 1
            },
            // columns() -> integer: the terminal width of stderr (COLUMNS, else 80).
            "columns": { call in
                var size = winsize()
                if ioctl(2, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
                    call.push(Int(size.ws_col))
                } else if let text = getenv("COLUMNS").map({ String(cString: $0) }), let columns = Int(text), columns > 0 {
                    call.push(columns)
                } else {
                    call.push(80)
                }
                return 1
            },
            // on_interrupt(note [, remove [, json]]): what the host says after "NAME: interrupted; "
            // if Ctrl-C stops the script from now on (the journal, and how to go on), a file
            // it then removes, and a line it then writes on standard output (--json).
            "on_interrupt": { call in
                ScriptInterruption.note = try call.string(1)
                ScriptInterruption.removal = try call.optionalString(2)
                ScriptInterruption.json = try call.optionalString(3)
                claim(call.state)
                return 0
            },
            // trap_broken_pipe(): from now on a standard output whose reader went away
            // stops the script as Ctrl-C does (its journal synced, the next commands said)
            // instead of ending the process at once with SIGPIPE.
            "trap_broken_pipe": { call in
                LuaState.setBrokenPipeInterrupts(true)
                claim(call.state)
                return 0
            },
            // stdout_started() -> whether the script has written to stdout (sent or buffered).
            "stdout_started": { call in
                call.push(LuaState.standardOutputStarted())
                return 1
            },
            // stdout_error() -> why output written to stdout was lost (a full disk), or nil.
            "stdout_error": { call in
                if let error = LuaState.standardOutputError() {
                    call.push(String(cString: strerror(error)))
                } else {
                    call.pushNil()
                }
                return 1
            },
            // script_source(name) -> the text of shipped script `name`, or nil.
            "script_source": { call in
                let name = try call.string(1)
                guard let source = FlireoStdlib.scripts[name] else {
                    call.pushNil()
                    return 1
                }
                call.push(source)
                return 1
            },
        ]
    }

    /// The script takes on the bulk contract: kill and a closed terminal stop it as Ctrl-C
    /// does (its journal synced), and the host says what to do next.
    private static func claim(_ state: LuaState) {
        guard !ScriptInterruption.claimed else { return }
        ScriptInterruption.claimed = true
        state.setTerminationInterrupts(true)
    }

    static var asyncFunctions: [String: LuaAsyncFunction] {
        [
            // read_line() -> the next line of stdin without its newline, or nil at the end.
            // It waits off the Lua thread: Ctrl-C interrupts it at once.
            "read_line": { _ in
                LuaAsyncOperation.starting { completion in
                    let reader = LineReader(completion: completion)
                    reader.start()
                    return { reader.cancel() }
                }
            },
        ]
    }
}

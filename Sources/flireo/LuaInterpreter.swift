#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI
import FlireoLua
import FlireoREPL
import LuaKit

/// The `lua`-compatible interpreter: `lua.c`'s `pmain`, with every chunk run in a host
/// coroutine by LuaKit's scheduler.
struct LuaInterpreter {
    let argv: [String]
    /// The source of a script shipped in the binary (`flireo run NAME`), run instead of
    /// reading the script file; its chunk is named `=NAME`.
    var embeddedScript: String? = nil
    /// Set when a shipped script was stopped by Ctrl-C (exit code 130), SIGTERM (143) or SIGHUP (129).
    private let interrupted = Flag()
    /// Set when the REPL ran: tasks left at its end are the session's, not a script's.
    private let sessionEnded = Flag()

    /// A flag the interpreter's non-mutating steps can set.
    private final class Flag {
        var isSet = false
        /// The signal that stopped it, when not SIGINT.
        var signal: Int32?
        /// A script outside the bulk contract: it ends by the signal itself, as lua would.
        var reraise = false
    }

    /// Runs the command line and returns the exit code.
    func run() -> Int32 {
        var options = LuaOptions(argv: argv)
        if let bad = options.badOption {
            Output.err(options.usage(for: bad))
            return 1
        }
        if options.flags.help {
            Output.out(Usage.help)
            return 0
        }
        if options.flags.version {
            Output.out("flireo \(Usage.version) — \(Usage.luaCopyright)\n")
            return 0
        }
        if options.script < argv.count, !options.endedByDoubleDash, embeddedScript == nil {
            let misplaced = MisplacedOptions.inScriptArguments(argv[(options.script + 1)...], given: options.flags)
            let script = argv[options.script]
            if let option = misplaced.target {
                Output.err(
                    "flireo: \(option) comes after the script name, where it goes to the script and not to flireo, so this run "
                        + "would reach another account than the one it names. flireo's options come first: "
                        + "flireo \(option) \(script) …; to give it to the script, end flireo's options with --: "
                        + "flireo -- \(script) \(option) …\n")
                return 2
            }
            // The safe reading of a --dry-run anywhere: nothing is changed.
            if misplaced.dryRun, !options.flags.dryRun {
                options.flags.dryRun = true
                Output.err("flireo: --dry-run after the script name: this run is a dry run (flireo's options come before the script name)\n")
            }
            // --verbose or --rate-limit there is the script's: said once, the run goes on.
            if !misplaced.noted.isEmpty {
                let names = misplaced.noted.joined(separator: " and ")
                Output.err(
                    "flireo: note: \(names) after the script name \(misplaced.noted.count == 1 ? "goes" : "go") to the script, "
                        + "not to flireo (flireo's options come first: flireo \(misplaced.noted[0]) … \(script) …; "
                        + "flireo -- \(script) … gives them to the script without this note)\n")
            }
        }
        // With -i the REPL's banner shows the version.
        if options.version && !options.interactive { Output.out("flireo \(Usage.version) — \(Usage.luaCopyright)\n") }

        var stateOptions = LuaState.Options()
        stateOptions.ignoreEnvironment = options.ignoreEnvironment
        let state: LuaState
        do {
            state = try LuaState(options: stateOptions)
        } catch {
            Output.err("flireo: \(error.message)\n")
            return 1
        }
        // A shipped script speaks in its own name (`audit: cannot write standard output`).
        let programName = embeddedScript != nil && options.script < argv.count ? argv[options.script] : "flireo"
        LuaState.setProgramName(programName)
        var environment = ProcessEnvironment.current
        if options.ignoreEnvironment { environment["FLIREO_PATH"] = nil }
        FlireoStdlib.install(into: state, environment: environment)
        guard let session = FlireoSession.start(state, flags: options.flags, environment: environment) else { return 1 }
        defer { session.stop() }
        state.setInterruptible(true)
        defer { state.setInterruptible(false) }
        // A mutation stopped after it was sent is said as it happens, except in a shipped
        // script: its journal keeps such a step in doubt and the next run settles it.
        InterruptedMutations.reported = embeddedScript == nil
        createArgTable(state, script: options.script)
        state.useGenerationalGC()

        let succeeded = runAll(state, options, session)
        let stopped = finishTasks(state, succeeded: succeeded)
        let unobserved = state.scheduler.takeUnobservedFailures()
        for report in unobserved { Output.err("flireo: error in a spawned task: \(report)\n") }
        // What it had in flight was said; it ends as the signal ends lua (the shell reports
        // 128 + the signal's number either way), once the state is closed (Output.finish).
        if interrupted.isSet, interrupted.reraise, let signal = interrupted.signal {
            Output.endingSignal.withLock { $0 = signal }
        }
        if interrupted.isSet { return 128 + (interrupted.signal ?? SIGINT) }
        // Output lost (a full disk) fails the run, as it fails `cat`: a truncated file must
        // not look like a finished one. A script that failed said why already.
        if let error = LuaState.standardOutputError() ?? (sessionEnded.isSet ? REPL.lostOutput() : nil), succeeded {
            Output.err("\(programName): cannot write standard output: \(String(cString: strerror(error)))\n")
            return 1
        }
        return succeeded && unobserved.isEmpty && !stopped ? 0 : 1
    }

    /// Runs the tasks the script left running to their end, as a script that ended well
    /// expects; after a failure they are stopped instead (a task left linking numbers
    /// would go on changing data behind an error). Either way, what stopped them is said.
    /// - Returns: whether Ctrl-C stopped them.
    private func finishTasks(_ state: LuaState, succeeded: Bool) -> Bool {
        var interruptedTasks = 0
        state.scheduler.didInterrupt = { interruptedTasks += $0 }
        // SIGTERM and SIGHUP stop the tasks as Ctrl-C does, as they stopped the script: what
        // they had in flight is said (QA round 29: silent once the main chunk had ended).
        let quiet = sessionEnded.isSet
        if !quiet { state.setTerminationInterrupts(true) }
        defer {
            state.scheduler.didInterrupt = nil
            if !quiet { state.setTerminationInterrupts(false) }
        }
        let tasks = { (count: Int) in count == 1 ? "the task" : "the \(count) tasks" }
        if !succeeded, case let count = state.scheduler.interruptAll(), count > 0 {
            Output.err("flireo: stopping \(tasks(count)) the script left running\n")
            interruptedTasks = 0
        }
        state.scheduler.drain()
        guard succeeded, interruptedTasks > 0 else { return false }
        // At the REPL's end, Ctrl-C is how the user chose to stop the tasks still running
        // (as the prompt said): the session ended as asked.
        if sessionEnded.isSet {
            // After the terminal's `^C` echo, on a line of its own.
            let start = isatty(2) != 0 ? "\n" : ""
            Output.err(start + "flireo: Ctrl-C stopped \(interruptedTasks) background task\(interruptedTasks == 1 ? "" : "s")\n")
            return false
        }
        let signal = LuaState.lastInterruptSignal
        let by = signal == SIGTERM ? "SIGTERM" : signal == SIGHUP ? "SIGHUP" : "Ctrl-C"
        if signal == SIGTERM || signal == SIGHUP {
            interrupted.isSet = true
            interrupted.signal = signal
            interrupted.reraise = !ScriptInterruption.claimed && embeddedScript == nil
        }
        Output.err("flireo: interrupted! (\(by) stopped \(tasks(interruptedTasks)) the script left running)\n")
        return true
    }

    private func runAll(_ state: LuaState, _ options: LuaOptions, _ session: FlireoSession) -> Bool {
        if !options.ignoreEnvironment, !handleLuaInit(state) { return false }
        if !runArguments(state, upTo: options.script, skipping: options.longOptionValues) { return false }
        if options.script < argv.count, !handleScript(state, options.script) { return false }
        if options.interactive {
            // The script's tasks go on while the prompt waits, as tasks started there do.
            runREPL(state, options: options, session: session)
            sessionEnded.isSet = true
        } else if options.script == argv.count, !options.hasExecute, !options.version {
            if isatty(0) != 0 {
                runREPL(state, options: options, session: session)
                sessionEnded.isSet = true
            } else {
                return report(state) { () throws(LuaError) in try state.loadFile(nil) }
            }
        }
        return true
    }

    /// `arg`: the script at 0, the interpreter and options below, the script's arguments above.
    private func createArgTable(_ state: LuaState, script: Int) {
        let base = script == argv.count ? 0 : script
        var hash: [(key: LuaValue, value: LuaValue)] = []
        var array: [LuaValue] = []
        for (i, a) in argv.enumerated() {
            if i - base >= 1 {
                array.append(.string(a))
            } else {
                hash.append((key: .integer(Int64(i - base)), value: .string(a)))
            }
        }
        state.push(.table(LuaTable(array: array, hash: hash)), on: state.L)
        state.setRawGlobal("arg")
    }

    /// LUA_INIT_5_4 or LUA_INIT: `@file` runs a file, anything else is a chunk.
    private func handleLuaInit(_ state: LuaState) -> Bool {
        for name in ["LUA_INIT_5_4", "LUA_INIT"] {
            guard let value = getenv(name).map({ String(cString: $0) }) else { continue }
            if value.hasPrefix("@") {
                return report(state) { () throws(LuaError) in try state.loadFile(String(value.dropFirst())) }
            }
            return report(state) { () throws(LuaError) in try state.load(value, name: "=" + name) }
        }
        return true
    }

    /// `-e`, `-l` and `-W`, in their order on the command line.
    private func runArguments(_ state: LuaState, upTo script: Int, skipping values: Set<Int>) -> Bool {
        var i = 1
        while i < script {
            let a = argv[i]
            if a.hasPrefix("--") || values.contains(i) {  // flireo's long options, already applied
                i += 1
                continue
            }
            let option = a.dropFirst().first
            if option == "e" || option == "l" {
                var extra = String(a.dropFirst(2))
                if extra.isEmpty {
                    i += 1
                    extra = argv[i]
                }
                let ok = option == "e"
                    ? report(state) { () throws(LuaError) in try state.load(extra, name: "=(command line)") }
                    : requireLibrary(state, extra)
                if !ok { return false }
            } else if option == "W" {
                state.enableWarnings()
            }
            i += 1
        }
        return true
    }

    /// `-l g=mod`: `g = require("mod")`; `-l mod`: `mod = require("mod")`.
    private func requireLibrary(_ state: LuaState, _ spec: String) -> Bool {
        let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let global = String(parts[0])
        let module = parts.count == 2 ? String(parts[1]) : global
        // `require` is called straight from the host, as lua.c does from C: its
        // messages carry no chunk position.
        do {
            let count = try state.callKeepingResults(state.globalRef("require"), arguments: [.string(module)])
            state.setStackTop(state.stackTop - count + 1)
            state.setRawGlobal(global)
            return true
        } catch {
            Output.err("flireo: \(error.description)\n")
            return false
        }
    }

    /// Runs the script at argv[index] with `arg[1...]` as its arguments.
    private func handleScript(_ state: LuaState, _ index: Int) -> Bool {
        let name = argv[index]
        let fromStdin = name == "-" && argv[index - 1] != "--"
        let type = state.pushRawGlobal("arg")
        let value = try? state.value(at: -1)
        state.setStackTop(state.stackTop - 1)
        guard type == .table, case .table(let table)? = value else {
            Output.err("flireo: 'arg' is not a table\n")
            return false
        }
        let arguments = table.array
        // kill, a closed terminal or a service manager stop a journaled run as Ctrl-C does:
        // the journal synced, and the commands that go on said. A shipped script from the
        // start; a script file once it takes on the same contract (ScriptInterruption.claimed).
        // Any other script is stopped as Ctrl-C stops it too, so that a request in flight is
        // said (QA round 28: SIGTERM killed a script with links applied and nothing on stderr),
        // and ends by the signal all the same; a reader that went away, silently (as lua ends)
        // but for those requests. (A shipped script that reads only ends at once, as lua.)
        state.setTerminationInterrupts(true)
        if embeddedScript == nil { LuaState.setBrokenPipeInterrupts(true) }
        defer {
            state.setTerminationInterrupts(false)
            LuaState.setBrokenPipeInterrupts(false)
        }
        do {
            if let embeddedScript {
                try state.call(try state.load(Array(embeddedScript.utf8), name: "=" + name, mode: "t"), arguments: arguments)
            } else {
                try state.call(try state.loadFile(fromStdin ? nil : name), arguments: arguments)
            }
            return true
        } catch where (embeddedScript != nil || ScriptInterruption.claimed) && error.value.stringValue?.hasSuffix("interrupted!") == true {
            // A bulk script stopped by Ctrl-C: what to do next, not where Lua was.
            interrupted.isSet = true
            if let removal = ScriptInterruption.removal { unlink(removal) }
            let note = ScriptInterruption.note ?? "a journaled run continues where it stopped when the same command "
                + "is run again with --resume, or is reverted with `flireo run undo JOURNAL`"
            // After the terminal's `^C` (and a progress bar), on a line of its own.
            let signal = LuaState.lastInterruptSignal
            let how = switch signal {
            case SIGTERM: "stopped by SIGTERM"
            case SIGHUP: "stopped by SIGHUP"
            case SIGPIPE: "stopped: its standard output was closed"
            default: "interrupted"
            }
            if signal == SIGTERM || signal == SIGHUP || signal == SIGPIPE { interrupted.signal = signal }
            Output.err((isatty(2) != 0 ? "\n" : "") + "\(name): \(how); \(note)\n")
            // With --json, the reader of the output learns of it too: one object, so not when
            // the summary (or part of it) went out already, nor when the reader went away.
            if let json = ScriptInterruption.json, signal != SIGPIPE, !LuaState.standardOutputStarted() {
                Output.out(KnownSecrets.redact(json) + "\n")
            }
            return false
        } catch {
            let signal = LuaState.lastInterruptSignal
            let stopped = [SIGTERM, SIGHUP, SIGPIPE].contains(signal) && error.value.stringValue?.hasSuffix("interrupted!") == true
            if !(stopped && signal == SIGPIPE) { Output.err("flireo: \(Self.errorReport(error))\n") }
            if stopped {
                interrupted.isSet = true
                interrupted.signal = signal
                interrupted.reraise = true
            }
            return false
        }
    }

    /// Loads with `load`, runs, and prints any error as `flireo: message` plus traceback.
    private func report(_ state: LuaState, arguments: [LuaValue] = [], _ load: () throws(LuaError) -> LuaRef) -> Bool {
        do {
            try state.call(try load(), arguments: arguments)
            return true
        } catch {
            Output.err("flireo: \(Self.errorReport(error))\n")
            return false
        }
    }

    /// What lua's message handler prints: a string (or number) error with its traceback; an
    /// error object with `__tostring` as that text alone (a structured flireo error reads
    /// `code: message`); any other object as `(error object is a … value)` and traceback.
    static func errorReport(_ error: LuaError) -> String {
        switch error.value {
        case .string, .integer, .number:
            // An interrupt lands wherever Lua was, most often inside the flireo library
            // waiting for a request: the script's own line says more.
            if let line = userLine(ofInterrupt: error) {
                return line + ": interrupted!" + (error.traceback.map { "\n" + $0 } ?? "")
            }
            return error.description
        default:
            return error.message.hasPrefix("(error object is a ") ? error.description : error.message
        }
    }

    /// For "flireo/…:N: interrupted!", the first `file:line` of the traceback outside the
    /// flireo library (the script's own line), if any.
    static func userLine(ofInterrupt error: LuaError) -> String? {
        let library = { (position: Substring) in position.hasPrefix("flireo/") || position.hasPrefix("flireo.lua:") }
        guard error.message.hasSuffix(": interrupted!"), library(Substring(error.message)), let traceback = error.traceback else {
            return nil
        }
        for line in traceback.split(separator: "\n") {
            let frame = line.drop { $0 == "\t" || $0 == " " }
            guard !frame.hasPrefix("["), !library(frame), let end = frame.range(of: ": in ")?.lowerBound else { continue }
            let position = frame[..<end]
            guard let colon = position.lastIndex(of: ":"), position[position.index(after: colon)...].allSatisfy(\.isNumber),
                  position.index(after: colon) < position.endIndex else { continue }
            return String(position)
        }
        return nil
    }
}

#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import LuaKit
import Synchronization

/// The interactive loop of flireo: reads lines with libedit on a reader thread while the
/// Lua thread keeps driving the scheduler, evaluates them as `lua.c` does (each in a
/// host coroutine, so Ctrl-C interrupts it and cancels its operations), prints results
/// with `flireo.inspect`, and keeps a redacted history file.
///
/// Create and run it on the Lua thread, after the state is set up (the host's modules
/// installed, `setInterruptible(true)` called).
///
/// ```swift
/// var configuration = REPLConfiguration(banner: .init(versionLine: "flireo 0.1.0"), environment: environment)
/// configuration.secrets = [apiKey]
/// REPL(state: state, configuration: configuration).run()
/// ```
public final class REPL {
    let state: LuaState
    let configuration: REPLConfiguration
    private let policy: HistoryPolicy
    private(set) var runtime: REPLRuntime?
    private(set) var reader: LineReader?
    /// Shares the terminal between the line being edited and background output.
    private var ownership: TerminalOwnership?
    /// Since when background work runs on the Lua thread without a break (read by the line
    /// reader's thread).
    private let backgroundRunning = Since()

    /// An instant two threads share: since when background work has kept the Lua thread,
    /// 0 while it does not. Pauses shorter than ``joinedPause`` (10 ms: tasks that yield to
    /// each other through `sleep(0)`) do not end the stretch; a real wait (a task polling
    /// every 20 ms) does.
    private final class Since: Sendable {
        private let start = Atomic<UInt64>(0)
        // Written by the Lua thread only (begin and end).
        private let lastStart = Atomic<UInt64>(0)
        private let lastEnd = Atomic<UInt64>(0)
        static let joinedPause: UInt64 = 10_000_000

        /// Starts it (or goes on with the stretch a moment's pause interrupted), unless it
        /// runs already.
        /// - Returns: the milliseconds it has run, when it started now; nil if it was running.
        func begin() -> UInt64? {
            guard start.load(ordering: .acquiring) == 0 else { return nil }
            let now = DispatchTime.now().uptimeNanoseconds
            let previous = lastStart.load(ordering: .acquiring)
            let since = previous != 0 && now &- lastEnd.load(ordering: .acquiring) < Self.joinedPause ? previous : now
            start.store(since, ordering: .releasing)
            return (now &- since) / 1_000_000
        }

        func end() {
            let since = start.exchange(0, ordering: .acquiringAndReleasing)
            guard since != 0 else { return }
            lastStart.store(since, ordering: .releasing)
            lastEnd.store(DispatchTime.now().uptimeNanoseconds, ordering: .releasing)
        }

        /// Whether it runs now (or paused only a moment ago) and has for `milliseconds` at least.
        func running(for milliseconds: Int32) -> Bool {
            let now = DispatchTime.now().uptimeNanoseconds
            var since = start.load(ordering: .acquiring)
            if since == 0, now &- lastEnd.load(ordering: .acquiring) < Self.joinedPause {
                since = lastStart.load(ordering: .acquiring)
            }
            return since != 0 && now &- since >= UInt64(milliseconds) * 1_000_000
        }
    }

    /// How long background work must have kept the Lua thread before a Ctrl-C at the
    /// prompt interrupts it: a task that spins, not one that happens to be decoding a page
    /// when the user clears the line (that Ctrl-C clears the line, as at an idle prompt).
    static let busyBeforeCtrlC: Int32 = 200

    /// - Parameters:
    ///   - state: the Lua state, on its own (current) thread.
    ///   - configuration: the banner, history, completion and help settings.
    public init(state: LuaState, configuration: REPLConfiguration) {
        self.state = state
        self.configuration = configuration
        self.policy = HistoryPolicy(secrets: configuration.secrets, scrub: configuration.scrub)
    }

    /// Runs the session until Ctrl-D or the end of input. Errors in what the user types
    /// are printed and the session goes on.
    public func run() {
        Self.ensureStandardInput()
        Console.setScrub(configuration.scrub)
        let terminal = isatty(0) != 0 && isatty(1) != 0
        let help = HelpDesk(sources: configuration.documentation, color: configuration.color)
        do {
            runtime = try REPLRuntime(state: state) { Console.out(help.text(for: $0)) }
        } catch {
            Console.error("flireo: the REPL cannot start: \(error.message)\n")
            return
        }
        printBanner(terminal: terminal)
        runStartupFile()
        let reader = makeReader(terminal: terminal)
        self.reader = reader
        Self.flushHistoryAtExit(reader)
        defer {
            reader.stop()
            self.reader = nil
            Self.exiting = nil
        }
        while true {
            reportBackgroundFailures()
            switch readChunk() {
            case .chunk(let chunk): evaluate(chunk)
            case .nothing: continue
            case .end:
                Console.out("\n")
                if state.scheduler.pendingOperations > 0 {
                    Console.error("flireo: waiting for background tasks to finish (Ctrl-C stops them)\n")
                }
                return
            }
        }
    }

    private func printBanner(terminal: Bool) {
        let banner = configuration.banner
        var text = banner.versionLine + "\n"
        if terminal {
            if let target = banner.target { text += "Target: \(target)\n" }
            if !banner.examples.isEmpty {
                text += "Try:\n" + banner.examples.map { "  \($0)\n" }.joined()
            }
            text += "help() lists what is there · Tab completes · Ctrl-C cancels · Ctrl-D exits\n"
        }
        Console.out(text)
    }

    private func runStartupFile() {
        guard let path = configuration.startupFile, access(path, R_OK) == 0 else { return }
        do {
            try state.call(try state.loadFile(path))
        } catch {
            Console.error(ErrorReport(error).text(prefix: "flireo: "))
        }
    }

    private func makeReader(terminal: Bool) -> LineReader {
        guard terminal, let runtime else { return LineReader(history: nil) { PlainLineSource() } }
        let history = configuration.historyPath.map { HistoryFile(path: $0, limit: configuration.historyLimit) }
        let completer = LuaThreadBound(value: Completer(
            runtime: runtime,
            moduleNames: configuration.moduleNames,
            hiddenModules: configuration.hiddenModules,
            stringCompletions: configuration.stringCompletions
        ))
        let mailbox = state.scheduler.mailbox
        let complete: LineEditor.Completer = { before in
            // Tab is answered on the Lua thread; a Lua thread busy elsewhere gets a beep.
            let reply = Reply<Completion?>()
            let done = DispatchSemaphore(value: 0)
            mailbox.post(.run { _ in
                reply.set(completer.value.complete(before))
                done.signal()
            })
            guard done.wait(timeout: .now() + .seconds(3)) == .success else { return nil }
            return reply.value ?? nil
        }
        let limit = configuration.historyLimit
        let ownership = TerminalOwnership()
        self.ownership = ownership
        // What Lua prints passes a stream of its own on the terminal too, so that the line
        // being edited is cleared only when a background task prints (see OutputHook).
        if isatty(0) != 0, isatty(1) != 0 {
            state.watchStandardOutput(onTerminal: true)
            Self.clearBeforeDirectOutput(state)
        }
        return LineReader(history: history) { () -> any LineSource in
            if let editor = LineEditor(entries: history?.load() ?? [], limit: limit, completer: complete, ownership: ownership) {
                return editor
            }
            return PlainLineSource()
        }
    }

    /// Reads one line, driving the scheduler (background tasks, Tab) until it arrives.
    func readLine(prompt: String) -> LineInput {
        guard let reader else { return .endOfInput }
        let reply = Reply<LineInput>()
        let mailbox = state.scheduler.mailbox
        // Whether background work is running on the Lua thread (between the scheduler's
        // willResume and willWait): a task that spins never reads its mailbox, so a Ctrl-C
        // the line editor read as a key while it has run for a while interrupts it as the
        // signal would. One that runs only a moment between waits is left alone.
        let busy = backgroundRunning
        let interruptHandle = state.interruptHandle
        reader.send(.read(prompt: prompt) { input in
            reply.set(input)
            if case .interrupted = input, busy.running(for: REPL.busyBeforeCtrlC) { interruptHandle.interrupt() }
            mailbox.post(.run { _ in })  // wakes the Lua thread
        })
        state.scheduler.externalSources += 1
        // Ctrl-C while background tasks run stops them (they spin, or wait on requests):
        // said, as the interrupt of a typed line is.
        var stopped = 0
        state.scheduler.didInterrupt = { stopped += $0 }
        func reportStopped() {
            guard stopped > 0 else { return }
            // On a line of its own, after the terminal's `^C`.
            Console.error("\nflireo: Ctrl-C stopped \(stopped) background task\(stopped == 1 ? "" : "s")\n")
            stopped = 0
        }
        // What background tasks print while the line is edited goes above it.
        if let ownership {
            // So do the HTTP client's notices (a long wait, pacing), from its own threads:
            // written by the Lua thread, which clears the line first and draws it again after.
            HostMessages.setRoute { text in
                mailbox.post(.run { _ in
                    ownership.enterBackground()
                    Console.error(text)
                })
            }
            state.scheduler.willResume = { [state] in
                // Ctrl-C reaches busy work as SIGINT; in its first moments it only clears the
                // line. Busy counts from the first task resumed after the scheduler last
                // waited for more than a moment: tasks looping on sleep(0) are busy too.
                if let ran = busy.begin() {
                    // What is left of the grace (none: SIGINT interrupts at once).
                    state.setInterruptGrace(milliseconds: max(0, REPL.busyBeforeCtrlC - Int32(clamping: ran)))
                }
                ownership.enterBackground()
            }
            // The line is cleared when background work prints, not each time it wakes.
            OutputHook.set { ownership.clearLine() }
            state.scheduler.willWait = { [unowned self] in
                // A task that failed says so now, above the line, not after the next command.
                busy.end()
                state.setInterruptGrace(milliseconds: 0)
                reportBackgroundFailures()
                reportStopped()
                ownership.leaveBackground()
                if state.takeDeferredInterrupt() { ownership.press(3) }  // Ctrl-C
            }
        }
        defer {
            HostMessages.setRoute(nil)
            reportStopped()
            state.scheduler.didInterrupt = nil
            state.scheduler.externalSources -= 1
            state.scheduler.willResume = nil
            state.scheduler.willWait = nil
            busy.end()
            state.setInterruptGrace(milliseconds: 0)
            _ = state.takeDeferredInterrupt()
            OutputHook.set(nil)
            ownership?.leaveBackground()
        }
        state.scheduler.run { reply.value != nil }
        return reply.value ?? .endOfInput
    }

    /// Records a chunk in the history unless the policy forbids it.
    func record(_ entry: [UInt8]) {
        guard policy.allows(entry) else { return }
        // Written by the reader thread while the line runs; a line that ends the process
        // (`os.exit()`) is still written: see `flushHistoryAtExit`.
        reader?.send(.record(entry, written: nil))
    }

    /// The reader whose history `exit` waits for (one REPL per process).
    nonisolated(unsafe) private static var exiting: LineReader?

    /// Makes `exit` (os.exit in a line) wait for the history the reader has yet to write.
    private static func flushHistoryAtExit(_ reader: LineReader) {
        if exiting == nil { atexit { REPL.exiting?.flush() } }
        exiting = reader
    }

    private func reportBackgroundFailures() {
        for report in state.scheduler.takeUnobservedFailures() {
            Console.error(ErrorReport(report: report).text(prefix: "flireo: error in a spawned task: "))
        }
    }

    /// What writes to the terminal without passing Lua's streams (`warn`, a child of
    /// `os.execute` or `io.popen`) clears the line being edited first, as Lua's output does.
    private static func clearBeforeDirectOutput(_ state: LuaState) {
        let source = """
            local clear = ...
            local execute, popen, lua_warn = os.execute, io.popen, warn
            if execute then os.execute = function(...) clear() return execute(...) end end
            if popen then io.popen = function(...) clear() return popen(...) end end
            if lua_warn then _ENV.warn = function(...) clear() return lua_warn(...) end end
            """
        guard let wrap = try? state.load(Array(source.utf8), name: "=repl", mode: "t") else { return }
        let top = state.stackTop
        defer { state.setStackTop(top) }
        wrap.push(on: state.L)
        state.pushFunction { _ in
            OutputHook.fire()
            return 0
        }
        _ = try? state.protectedCall(nargs: 1, nresults: 0)
    }

    /// A closed stdin (`<&-`) would let the next file opened take descriptor 0 and be
    /// read as input: put an empty stream there instead.
    private static func ensureStandardInput() {
        if fcntl(0, F_GETFD) < 0 && errno == EBADF {
            _ = open("/dev/null", O_RDONLY)
        }
    }
}

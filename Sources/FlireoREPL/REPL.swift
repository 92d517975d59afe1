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
    /// How much background work keeps the Lua thread (read by the line reader's thread).
    private let backgroundRunning = BusyStretch()

    /// A stretch of background work on the Lua thread, and how much of it the thread was
    /// busy: runs of work separated by pauses under ``joinedPause`` (10 ms) make one
    /// stretch. Work counts as busy once the stretch has lasted ``REPL/busyBeforeCtrlC``
    /// and the thread was busy for at least half of it, or its pauses were under
    /// ``shortPause`` on average: a spinning task, tasks looping on `sleep(0)`; not one
    /// printing every 5 ms, nor one polling every 20 ms.
    private final class BusyStretch: Sendable {
        // Written by the Lua thread only (begin and end); read by both.
        private let start = Atomic<UInt64>(0)       // the stretch's first run; 0: none yet
        private let runStart = Atomic<UInt64>(0)    // the current run; 0: not running
        private let busyBefore = Atomic<UInt64>(0)  // the stretch's runs before the current one
        private let lastEnd = Atomic<UInt64>(0)
        private let paused = Atomic<UInt64>(0)      // the stretch's pauses, in all
        private let pauses = Atomic<UInt64>(0)      // and how many
        static let joinedPause: UInt64 = 10_000_000
        /// Pauses shorter than this on average are tasks yielding to each other (`sleep(0)`).
        static let shortPause: UInt64 = 2_500_000

        /// A run of work starts (not while one runs).
        /// - Returns: the milliseconds of grace left before a Ctrl-C interrupts the work (0:
        ///   at once), or nil when a run was already going.
        func begin() -> Int32? {
            guard runStart.load(ordering: .acquiring) == 0 else { return nil }
            let now = DispatchTime.now().uptimeNanoseconds
            let pause = now &- lastEnd.load(ordering: .acquiring)
            if start.load(ordering: .acquiring) == 0 || pause >= Self.joinedPause {
                start.store(now, ordering: .releasing)
                busyBefore.store(0, ordering: .releasing)
                paused.store(0, ordering: .releasing)
                pauses.store(0, ordering: .releasing)
            } else {
                paused.store(paused.load(ordering: .acquiring) &+ pause, ordering: .releasing)
                pauses.store(pauses.load(ordering: .acquiring) &+ 1, ordering: .releasing)
            }
            runStart.store(now, ordering: .releasing)
            return grace(at: now)
        }

        func end() {
            let began = runStart.exchange(0, ordering: .acquiringAndReleasing)
            guard began != 0 else { return }
            let now = DispatchTime.now().uptimeNanoseconds
            busyBefore.store(busyBefore.load(ordering: .acquiring) &+ (now &- began), ordering: .releasing)
            lastEnd.store(now, ordering: .releasing)
        }

        /// Whether the work is busy now (see the type's description).
        var isBusy: Bool { grace(at: DispatchTime.now().uptimeNanoseconds) == 0 }

        /// The grace left at `now`: none once busy; while the thread was busy half the
        /// stretch or more, what is left of its first 0.2 s; otherwise a full 0.2 s.
        private func grace(at now: UInt64) -> Int32 {
            let first = start.load(ordering: .acquiring)
            let run = runStart.load(ordering: .acquiring)
            // Paused for more than a moment: a new stretch will start.
            guard first != 0, run != 0 || now &- lastEnd.load(ordering: .acquiring) < Self.joinedPause else {
                return REPL.busyBeforeCtrlC
            }
            let elapsed = now &- first
            let busy = busyBefore.load(ordering: .acquiring) &+ (run != 0 ? now &- run : 0)
            let count = pauses.load(ordering: .acquiring)
            let yielding = count > 0 && paused.load(ordering: .acquiring) / count < Self.shortPause
            guard busy &* 2 >= elapsed || yielding else { return REPL.busyBeforeCtrlC }
            let left = Int64(REPL.busyBeforeCtrlC) - Int64(elapsed / 1_000_000)
            return Int32(max(0, left))
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
    /// Whether what the REPL itself showed (results, prompts) was lost on a full disk:
    /// the errno of the first failure, or nil. Call it once the REPL has run.
    public static func lostOutput() -> Int32? { Console.lostOutput() }

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
            case .chunk(let chunk):
                evaluate(chunk)
                restoreAfterHelp()
            case .nothing: continue
            case .end:
                Console.out("\n")
                // (A task spawned just before, not yet started, is waited for too.)
                if state.scheduler.hasWorkLeft {
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
            // What is prose wraps at the terminal's width, between words (the target can be
            // a long configuration problem); the examples are code, shown as typed.
            var page = HelpPage(width: Console.columns, color: false)
            page.wrapped(banner.versionLine, indent: 0, hanging: 2)
            if let target = banner.target { page.wrapped("Target: \(target)", indent: 0, hanging: 2) }
            if !banner.examples.isEmpty {
                page.line("Try:")
                for example in banner.examples { page.line("  " + example) }
            }
            page.wrapped("help() lists what is there · Tab completes · Ctrl-C cancels · Ctrl-D exits", indent: 0)
            text = page.text
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
            // (A string completion waits a second at most for the account's listing.)
            guard done.wait(timeout: .now() + .milliseconds(1500)) == .success else { return nil }
            return reply.value ?? nil
        }
        let limit = configuration.historyLimit
        // The terminal as it is before the line editor makes it raw: put back if a second
        // Ctrl-C ends the process.
        if isatty(0) != 0 { LuaState.saveTerminalForInterrupt(0) }
        let ownership = TerminalOwnership()
        self.ownership = ownership
        // The line is cleared when background work prints, not each time it wakes; what
        // the script prints in the foreground is followed too (where it leaves the cursor).
        OutputHook.set { ownership?.willWrite($0) }
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
            if case .interrupted = input, busy.isBusy { interruptHandle.interrupt() }
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
            state.setDeferredInterruptDescriptor(ownership.keyDescriptor)
            state.scheduler.willResume = { [state] in
                // Ctrl-C reaches busy work as SIGINT; until it is busy, it only clears the line.
                if let grace = busy.begin() { state.setInterruptGrace(milliseconds: grace) }
                ownership.enterBackground()
            }
            state.scheduler.willWait = { [unowned self] in
                // A task that failed says so now, above the line, not after the next command.
                busy.end()
                reportBackgroundFailures()
                reportStopped()
                ownership.leaveBackground()
                // A Ctrl-C during the grace went to the line reader as a key (the handler
                // wrote it to the wake pipe): nothing else to do with it.
                _ = state.takeDeferredInterrupt()
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
            state.setDeferredInterruptDescriptor(-1)
            _ = state.takeDeferredInterrupt()
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
            // What a child process or `warn` writes is not known here.
            OutputHook.fire(nil)
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

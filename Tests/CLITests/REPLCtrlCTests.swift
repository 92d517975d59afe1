import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C at the REPL's prompt while background tasks run: it stops work that keeps the
/// processor, and only clears the line when tasks run a moment between waits.
@Suite(.blocking) struct REPLCtrlCTests {
    let home: ScratchHome

    init() throws {
        home = try ScratchHome()
    }

    private func start() throws -> TerminalSession {
        try TerminalSession.repl(environment: home.environment())
    }

    private func finish(_ session: TerminalSession) throws -> Int32 {
        try session.finish()
    }

    @Test func aBusyBackgroundTaskGivesWayToCtrlC() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("t = spawn(function() sleep(0.3) for i = 1, 1e12 do end end)")
        Thread.sleep(forTimeInterval: 1)  // the task spins while the prompt waits
        try session.send("\u{03}")
        // Ctrl-C reaches the task as an interruption (it was not typed at the prompt's
        // line: that is not an error to report, but it is said), and the prompt is back.
        try session.expect("\r\nflireo: Ctrl-C stopped 1 background task\r\n", timeout: 10)
        try session.expect("\r> ", timeout: 10)
        #expect(try session.enter("t:done()").contains("\r\ntrue"))
        #expect(try session.enter("1 + 1").contains("\r\n2"))
        // A task that fails on its own is reported when it fails, not after the next command.
        try session.enter("u = spawn(function() sleep(0.3) error('task failed') end)")
        try session.expect("task failed", timeout: 10)
        #expect(try finish(session) == 0)
    }

    @Test func aTaskBusyFromItsFirstInstructionLetsThePromptShowAndCtrlCStopIt() throws {
        defer { home.remove() }
        let session = try start()
        // No wait before the loop: it runs before the line editor has the terminal.
        try session.enter("t = spawn(function() for i = 1, 1e12 do end end)", timeout: 10)
        Thread.sleep(forTimeInterval: 0.5)  // Ctrl-C stops work that has kept the thread a while
        try session.send("\u{03}")
        try session.expect("\r\nflireo: Ctrl-C stopped 1 background task\r\n", timeout: 10)
        // (Ctrl-C was read as a key, ending the line: a fresh prompt follows.)
        try session.expect("> ", timeout: 10)
        #expect(try session.enter("t:done()").contains("\r\ntrue"))
        #expect(try finish(session) == 0)
    }

    @Test func ctrlCThatClearsTheLineLeavesTasksThatOnlyRunAMomentAlone() throws {
        defer { home.remove() }
        let session = try start()
        // Busy a millisecond or so at a time, every 20 ms: Ctrl-C typed to clear a line
        // lands while it runs, which once stopped it and the sleeping task with it. (3e5
        // iterations a burst was judged busy on a clean-clone run, where the suite's other
        // processes stretched each burst to half of the 20 ms.)
        try session.enter("t1 = spawn(function() while true do local s = 0 for i = 1, 1e5 do s = s + i end sleep(0.02) end end)")
        try session.enter("t2 = spawn(function() sleep(1000) end)")
        // Short bursts every 5 ms: pauses too short to end a stretch, too long to be busy.
        try session.enter("t3 = spawn(function() while true do local s = 0 for i = 1, 1e4 do s = s + i end sleep(0.005) end end)")
        for _ in 0..<12 {
            try session.send("abc")
            Thread.sleep(forTimeInterval: 0.03)
            try session.send("\u{03}")
            Thread.sleep(forTimeInterval: 0.05)
        }
        try session.send("print('done:', t1:done(), t2:done(), t3:done())\r")
        let alive = try session.expect("done:\t", timeout: 10) + (try session.expect("\r\n> ", timeout: 10))
        #expect(alive.contains("done:\tfalse\tfalse\tfalse\r\n") && !alive.contains("stopped"), "\(alive.debugDescription)")
        try session.enter("t1:cancel() t2:cancel() t3:cancel()")
        #expect(try finish(session) == 0)
    }

    @Test func keysTypedAfterACtrlCThatClearsTheLineAreKept() throws {
        defer { home.remove() }
        let session = try start()
        // Bursts of work tens of milliseconds long: the Ctrl-C often comes during one, and
        // the keys typed after it must land on the fresh line, not before the ^C.
        try session.enter("t = spawn(function() while true do local s = 0 for i = 1, 2e6 do s = s + i end sleep(0.03) end end)")
        for round in 1...6 {
            try session.send("print('before\(round)')")
            Thread.sleep(forTimeInterval: 0.02)
            try session.send("\u{03}")
            Thread.sleep(forTimeInterval: 0.05)  // as a person types: the Ctrl-C is handled by then
            try session.send("print('after\(round)')\r")
            let shown = try session.expect("\r\nafter\(round)\r\n", timeout: 10)
            #expect(!shown.contains("\r\nbefore\(round)\r\n"), "round \(round): \(shown.debugDescription)")
        }
        try session.send("t:cancel() print('ended:', (pcall(t.wait, t)))\r")
        try session.expect("ended:\tfalse", timeout: 10)
        try session.expect("\r\n> ", timeout: 10)
        #expect(try finish(session) == 0)
    }

    @Test func ctrlCDuringACommandThrowsAwayTheLinesTypedAhead() throws {
        defer { home.remove() }
        let session = try start()
        // Typed while `sleep(3)` runs, then Ctrl-C: the lines typed ahead must not run
        // after it (they could be the next mutation of a sequence being stopped).
        // In one write, as fast typing or a paste without bracketed-paste marks arrives: the
        // line editor reads it all, and keeps what follows the first line for later.
        try session.send("sleep(3)\rprint('SHOULD NOT RUN')\rtyped_ahead = 1\r")
        Thread.sleep(forTimeInterval: 0.3)
        try session.send("\u{03}")
        try session.expect("interrupted!", timeout: 10)
        try session.expect("\r\n> ", timeout: 10)
        Thread.sleep(forTimeInterval: 0.3)
        let shown = try session.enter("print('after:', typed_ahead)")
        #expect(shown.contains("after:\tnil"), "\(shown.debugDescription)")
        #expect(!session.transcript.contains("SHOULD NOT RUN\r\n"), "\(session.transcript.suffix(400).debugDescription)")
        #expect(try finish(session) == 0)
    }

    @Test func ctrlCDuringAQuestionLeavesDryRunAsItWas() throws {
        defer { home.remove() }
        let session = try start()
        // `? call` runs the call as a dry run; stopped by Ctrl-C, it cannot turn that off itself.
        try session.send("? sleep(3)\r")
        Thread.sleep(forTimeInterval: 0.5)
        try session.send("\u{03}")
        try session.expect("interrupted!", timeout: 10)
        try session.expect("\r\n> ", timeout: 10)
        #expect(try session.enter("flireo.config.dry_run").contains("\r\nfalse"))
        #expect(try finish(session) == 0)
    }

    @Test func aSecondCtrlCThatEndsTheProcessLeavesTheTerminalAsItWas() throws {
        defer { home.remove() }
        let session = try start()
        // A task inside one long C call cannot be interrupted: a second Ctrl-C ends the
        // process, as in lua, and the terminal must not stay without echo.
        try session.enter("t = spawn(function() sleep(0.2) local x = ('a'):rep(3e5):find('.-b') end)")
        Thread.sleep(forTimeInterval: 1)
        try session.send("\u{03}")
        Thread.sleep(forTimeInterval: 0.1)
        try session.send("\u{03}")
        #expect(try session.waitForExit() == 130)
        // The line editor's raw mode is gone: echo and line mode as the shell had them.
        let after = try #require(session.localModes)
        let sane = tcflag_t(ECHO) | tcflag_t(ICANON)
        #expect(after & sane == sane, "local modes left: \(String(after, radix: 16))")
    }

    @Test func ctrlDWithTasksRunningWaitsAndCtrlCThenEndsTheSessionAsAsked() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("t = spawn(function() sleep(1000) end)")
        try session.send("\u{4}")
        try session.expect("flireo: waiting for background tasks to finish (Ctrl-C stops them)", timeout: 10)
        try session.send("\u{03}")
        try session.expect("flireo: Ctrl-C stopped 1 background task", timeout: 10)
        // On a line of its own, after the terminal's `^C`.
        #expect(!session.transcript.contains("^Cflireo"), "\(session.transcript.suffix(300).debugDescription)")
        // The user ended the session and chose to stop its tasks: not a failure.
        #expect(try session.waitForExit() == 0)
        #expect(!session.transcript.contains("the script left running"), "\(session.transcript.suffix(300))")
    }

    @Test func tasksThatKeepYieldingToEachOtherAreBusyToo() throws {
        defer { home.remove() }
        let session = try start()
        // No wait in between: the scheduler never idles, so Ctrl-C stops them, as it stops a spin.
        try session.enter("for i = 1, 20 do spawn(function() while true do sleep(0) end end) end")
        Thread.sleep(forTimeInterval: 0.5)
        try session.send("\u{03}")
        try session.expect("flireo: Ctrl-C stopped 20 background tasks", timeout: 10)
        try session.expect("> ", timeout: 10)
        #expect(try session.enter("1 + 1").contains("\r\n2"))
        #expect(try finish(session) == 0)
    }
}

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
        // Busy a few milliseconds at a time, every 20 ms: Ctrl-C typed to clear a line
        // lands while it runs, which once stopped it and the sleeping task with it.
        try session.enter("t1 = spawn(function() while true do local s = 0 for i = 1, 3e5 do s = s + i end sleep(0.02) end end)")
        try session.enter("t2 = spawn(function() sleep(1000) end)")
        for _ in 0..<12 {
            try session.send("abc")
            Thread.sleep(forTimeInterval: 0.03)
            try session.send("\u{03}")
            Thread.sleep(forTimeInterval: 0.05)
        }
        try session.send("print('done:', t1:done(), t2:done())\r")
        let alive = try session.expect("done:\t", timeout: 10) + (try session.expect("\r\n> ", timeout: 10))
        #expect(alive.contains("done:\tfalse\tfalse\r\n") && !alive.contains("stopped"), "\(alive.debugDescription)")
        try session.enter("t1:cancel() t2:cancel()")
        #expect(try finish(session) == 0)
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

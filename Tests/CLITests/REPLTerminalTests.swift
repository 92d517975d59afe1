import Foundation
import Testing
import TestSupport

#if canImport(Glibc)
import Glibc
#endif

/// The REPL of the built binary, typed at through a pseudo-terminal.
@Suite(.blocking) struct REPLTerminalTests {
    let home: ScratchHome

    init() throws {
        home = try ScratchHome()
    }

    private func start(_ arguments: [String] = [], _ overrides: [String: String?] = [:]) throws -> TerminalSession {
        try TerminalSession.repl(arguments, environment: home.environment(overrides))
    }

    private func finish(_ session: TerminalSession) throws -> Int32 {
        try session.finish()
    }

    @Test func anExpressionPrintsItsPrettyResult() throws {
        defer { home.remove() }
        let session = try start()
        #expect(try session.enter("{b = {1, 2}, a = 'x'}").contains(#"{ a = "x", b = { 1, 2 } }"#))
        #expect(try session.enter("return 1, 'two', nil").contains("\r\n1\t\"two\"\tnil"))
        #expect(try session.enter("=2^10").contains("\r\n1024.0"))
        #expect(try session.enter("local hidden = 1") == "local hidden = 1\r\n")
        #expect(try session.enter("hidden").contains("\r\nnil"))
        #expect(try finish(session) == 0)
    }

    @Test func anAPIErrorIsOneLineNamingTheTypedLine() throws {
        defer { home.remove() }
        let session = try start(["--sandbox"])
        try session.enter("a = flireo.assistants():list()[1]")
        try session.enter("a:unlink()")
        let again = try session.enter("a:unlink()")
        #expect(again.contains("\r\nstdin:1: no_phone_number (400): "), "\(again)")
        #expect(!again.contains("stack traceback") && !again.contains("flireo/core"), "\(again)")
        let bad = try session.enter("flireo.assistant('nope')")
        #expect(bad.contains("\r\nstdin:1: invalid_parameters: Invalid 'id'"), "\(bad)")
        #expect(!bad.contains("stack traceback"), "\(bad)")
        // A plain error keeps its traceback; a call's every result is still shown.
        #expect(try session.enter("(function() return 1, 2, 3 end)()").contains("\r\n1\t2\t3"))
        #expect(try session.enter("error('boom')").contains("stdin:1: boom"))
        #expect(try finish(session) == 0)
    }

    @Test func dryRunShowsInTheBannerAndThePrompt() throws {
        defer { home.remove() }
        let session = try TerminalSession(["--sandbox", "--dry-run"], environment: home.environment())
        try session.expect("dry run: mutations are predicted, not sent")
        // On the sandbox the banner's examples link a number: nothing real changes.
        try session.expect("  a:link(flireo.phone_numbers{available = true}())\r\n")
        try session.expect("\r\ndry-run> ")
        // --dry-run holds for the session.
        try session.send("flireo.config.dry_run = false\r")
        try session.expect("cannot be turned off")
        try session.expect("\r\ndry-run> ")
        #expect(try finish(session) == 0)
        // Switched on in the session, the prompt follows it.
        let other = try TerminalSession(["--sandbox"], environment: home.environment())
        try other.expect("\r\n> ")
        try other.send("flireo.config.dry_run = true\r")
        try other.expect("\r\ndry-run> ")
        try other.send("flireo.config.dry_run = false\r")
        try other.expect("\r\n> ")
        #expect(try finish(other) == 0)
    }

    @Test func theBannerShowsTargetVersionAndExamples() throws {
        defer { home.remove() }
        let session = try start([], ["FLIREO_BASE_URL": "http://127.0.0.1:9/flireo", "FLIREO_API_KEY": "sk_test_banner_key"])
        let banner = session.transcript
        #expect(banner.hasPrefix("flireo 0.1.0 — Lua 5.4.4"))
        #expect(banner.contains("Target: http://127.0.0.1:9/flireo\r\n"))
        #expect(banner.contains("Try:\r\n  a = flireo.assistants()()\r\n  a:phone()\r\n"), "\(banner)")
        // A real account is not offered a line that changes it; the sandbox is.
        #expect(!banner.contains(":link("), "\(banner)")
        #expect(!banner.contains("sk_test_banner_key"))
        #expect(try finish(session) == 0)
    }

    @Test func theBannerAndTheClientNameTheProfile() throws {
        defer { home.remove() }
        let config = try home.write("config/flireo/config", "[staging]\nbase_url = http://127.0.0.1:9/staging\napi_key = sk_test_staging_0123456789\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: config)
        let session = try start(["--profile", "staging"], ["FLIREO_BASE_URL": nil, "FLIREO_API_KEY": nil])
        #expect(session.transcript.contains("Target: http://127.0.0.1:9/staging (profile staging)\r\n"), "\(session.transcript)")
        // A client shown at the prompt says which one it is before its functions.
        #expect(try session.enter("flireo").contains("\r\nflireo<http://127.0.0.1:9/staging> {"))
        #expect(!session.transcript.contains("sk_test_staging"))
        #expect(try finish(session) == 0)
    }

    @Test func backgroundTasksProgressWhileTheUserTypes() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("t = spawn(function() sleep(0.3) flag = 'set by a task' end)")
        try session.send("fla")
        Thread.sleep(forTimeInterval: 1.5)  // the task finishes while the line is being edited
        #expect(try session.enter("g").contains(#""set by a task""#))
        #expect(try finish(session) == 0)
    }

    @Test func backgroundOutputGoesAboveTheLineBeingEdited() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("t = spawn(function() sleep(0.3) print('bg one') io.write('bg two\\n') end)")
        try session.send("print(40")
        // The line is cleared, the output takes its place, and prompt and line come back below it.
        let shown = try session.expect("\r> print(40")
        #expect(shown.contains("\r\u{1B}[Jbg one\r\nbg two\r\n"), "\(shown.debugDescription)")
        #expect(!shown.contains("print(40bg"))
        // The line goes on where it was: the text typed before and after the output is one line.
        #expect(try session.enter(" + 2)").contains("\r\n42"))
        // Output that does not end its line keeps its text; the line comes back on a row of its own.
        try session.enter("t = spawn(function() sleep(0.3) io.write('no newline') end)")
        try session.send("x")
        let partial = try session.expect("\r> x")
        #expect(partial.contains("no newline" + String(repeating: " ", count: 100) + "\r"), "\(partial.debugDescription)")
        #expect(try session.enter(" = 5; print(x * 2)").contains("\r\n10"))
        #expect(try finish(session) == 0)
    }

    @Test func ctrlCStopsCodeThatRunsToShowAResult() throws {
        defer { home.remove() }
        let session = try start()
        // A result's __tostring is the script's code: a loop there is stopped as a typed loop is
        // (QA round 30: the REPL hung, and a second Ctrl-C killed the session).
        try session.enter("slow = setmetatable({}, {__tostring = function() while true do end end})")
        try session.send("slow\r")
        Thread.sleep(forTimeInterval: 0.5)
        try session.send("\u{3}")
        try session.expect("interrupted! (while the result was shown)")
        try session.expect("\r\n> ")
        #expect(try session.enter("print(1 + 1)").contains("\r\n2"))
        #expect(try finish(session) == 0)
    }

    @Test func aLineATaskBeganBeforeThePromptKeepsItsText() throws {
        defer { home.remove() }
        let session = try start()
        // The task writes before the prompt is drawn, then waits (QA round 30: the prompt was
        // drawn after the text and the next output wiped the row, text and all).
        try session.send("t = spawn(function() io.write('checking... ') sleep(0.5) print('found') end)\r")
        let shown = try session.expect("found\r\n")
        // The prompt goes to a row of its own; what the task prints next goes on after the text.
        #expect(shown.contains("checking... " + String(repeating: " ", count: 100) + "\r"), "\(shown.debugDescription)")
        #expect(shown.contains("\r\u{1B}[1A\u{1B}[12C\u{1B}[Jfound"), "\(shown.debugDescription)")
        #expect(try session.enter("print(1 + 1)").contains("\r\n2"))
        #expect(try finish(session) == 0)
    }

    @Test func aProgressLineRedrawnWithCarriageReturnsStaysOneRowAboveTheLine() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("""
            t = spawn(function() for i = 1, 3 do sleep(0.3) io.stderr:write('\\rprogress ' .. i) end \
            sleep(0.3) io.stderr:write(' done\\n') end)
            """)
        try session.send("x")
        let shown = try session.expect(" done\r\n")
        // Each update after the first goes back up to the progress row (the one above the
        // prompt), to the end of its text, and clears from there: one row, not one per update.
        for next in ["\rprogress 2", "\rprogress 3", " done\r\n"] {
            #expect(shown.contains("\r\u{1B}[1A\u{1B}[10C\u{1B}[J" + next), "\(shown.debugDescription)")
        }
        // The line typed meanwhile is still there, whole.
        #expect(try session.enter(" = 1; print(x + 1)").contains("\r\n2"))
        #expect(try finish(session) == 0)
    }

    @Test func outputThatBypassesLuasStreamsGoesAboveTheLineToo() throws {
        defer { home.remove() }
        let session = try start()
        // warn() writes C's stderr; a child of os.execute the terminal itself.
        try session.enter("warn('@on') t = spawn(function() sleep(0.3) warn('W1') os.execute('echo CHILD') end)")
        try session.send("typed")
        let shown = try session.expect("\r> typed", timeout: 10)
        #expect(shown.contains("\u{1B}[JLua warning: W1"), "\(shown.debugDescription)")
        #expect(shown.contains("CHILD\r\n"), "\(shown.debugDescription)")
        #expect(!shown.contains("typedLua") && !shown.contains("typedCHILD"), "\(shown.debugDescription)")
        #expect(try session.enter("").contains("\r\n"))
        #expect(try finish(session) == 0)
    }

    @Test func aTaskThatWakesWithoutPrintingLeavesTheLineAlone() throws {
        defer { home.remove() }
        let session = try start()
        // 150 wakes in 1.5 s, then one line printed.
        try session.enter("t = spawn(function() for i = 1, 150 do sleep(0.01) end print('done') end)")
        try session.send("local half = 'typed")
        let shown = try session.expect("done", timeout: 30)
        // The line was cleared once, for the output, not on every wake (it flickered).
        #expect(shown.components(separatedBy: "\u{1B}[J").count == 2, "\(shown.debugDescription)")
        #expect(!shown.contains("\r> local half"), "\(shown.debugDescription)")
        try session.expect("\r> local half = 'typed")
        #expect(try session.enter("'").contains("\r\n"))
        #expect(try finish(session) == 0)
    }

    @Test func theClientsNoticesGoAboveTheLineBeingEdited() throws {
        defer { home.remove() }
        let session = try start(["--sandbox", "--rate-limit", "5/s"])
        // Paced requests in the background: the pacing notice comes from the HTTP client's
        // own thread while a line is being typed.
        try session.enter("t = spawn(function() for i = 1, 40 do flireo.request('GET', '/v1/assistants?limit=1') end end)")
        try session.send("print(40")
        // The line is cleared before the notice, and drawn again below it.
        let notice = try session.expect("flireo: pacing requests to http://127.0.0.1:", timeout: 30)
        #expect(notice.hasSuffix("\r\u{1B}[J\r\u{1B}[Kflireo: pacing requests to http://127.0.0.1:"), "\(notice.debugDescription)")
        // It names the server it paces (a script may have two clients).
        try session.expect(" at 5/s (", timeout: 10)
        try session.expect("\r> print(40", timeout: 10)
        #expect(try session.enter(" + 2)").contains("\r\n42"))
        #expect(try finish(session) == 0)
    }

    @Test func aPastedTabIsTextAndATabThatIndentsIsToo() throws {
        defer { home.remove() }
        let session = try start()
        // Pasted (between the terminal's bracketed-paste marks): the Tab in the string stays.
        try session.send("\u{1B}[200~s = \"a\tb\"\u{1B}[201~")
        try session.enter("")
        #expect(session.pasteModeOn > 0, "the REPL asks the terminal to mark pastes")
        #expect(try session.enter("#s").contains("\r\n3"))
        // Typed at the start of a line, a Tab indents instead of listing every global.
        let indented = try session.enter("\tx = 5")
        #expect(!indented.contains("loadfile"), "\(indented.debugDescription)")
        #expect(try session.enter("x").contains("\r\n5"))
        #expect(try finish(session) == 0)
    }

    @Test func aPasteIsTextEvenItsControlKeysAndRunsLineByLine() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("previous = 1")  // an entry an Up arrow would recall
        // ^A, ^D, an Up arrow and a colour code in a paste are text, not keys; CR LF ends
        // one line; the last line, without a line break, waits for Enter.
        try session.send("\u{1B}[200~a = \"x\u{01}y\u{04}\u{1B}[Az\"\r\nb = #a\r\nc = b * 2\u{1B}[201~")
        let pasted = try session.expect("> c = b * 2")
        #expect(pasted.contains("> b = #a\r\n"), "\(pasted.debugDescription)")
        #expect(!pasted.contains("> \r\n"), "CR LF is one line break, not two: \(pasted.debugDescription)")
        try session.enter("")
        #expect(try session.enter("print(b, c)").contains("\r\n8\t16"))
        // Ctrl-C stops the pasted block, not only the line running.
        try session.send("\u{1B}[200~sleep(5)\rflag = 'ran'\r\u{1B}[201~")
        try session.expect("sleep(5)")
        Thread.sleep(forTimeInterval: 0.5)
        try session.send("\u{03}")
        try session.expect("interrupted!")
        try session.expect("\r\n> ")
        #expect(try session.enter("flag").contains("\r\nnil"))
        // A paste whose end mark never comes: after a second, keys are keys again.
        try session.send("\u{1B}[200~print('half'")
        Thread.sleep(forTimeInterval: 1.5)
        try session.send(" .. 'way')\r")
        try session.expect("halfway", timeout: 10)
        try session.expect("\r\n> ")
        #expect(try finish(session) == 0)
    }

    @Test func aLineThatEndsTheProcessIsInTheHistory() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("x = 1")
        try session.send("os.exit(0)\r")
        #expect(try session.waitForExit() == 0)
        let history = try String(contentsOfFile: home.historyPath, encoding: .utf8)
        #expect(history == "x = 1\nos.exit(0)\n", "\(history.debugDescription)")
    }

    @Test func aWrappedLineOfWideCharactersIsClearedWhole() throws {
        defer { home.remove() }
        let session = try start()  // 100 columns
        try session.enter("t = spawn(function() sleep(0.3) print('bg done') end)")
        // "> s = '" and 60 characters of two columns each: 127 columns, so the cursor is
        // one row below where the line starts, and clearing it goes up that row first.
        try session.send("s = '" + String(repeating: "字", count: 60))
        let shown = try session.expect("bg done")
        #expect(shown.hasSuffix("\r\u{1B}[1A\u{1B}[Jbg done"), "\(shown.suffix(40).debugDescription)")
        #expect(try session.enter("'; print(#s)").contains("\r\n180"))
        #expect(try finish(session) == 0)
    }

    @Test func ctrlRSearchesTheHistory() throws {
        defer { home.remove() }
        let session = try start()
        #expect(try session.enter("print('search' .. 'able')").contains("\r\nsearchable"))
        try session.enter("x = 1")
        try session.send("\u{12}sear")
        try session.expect("able')")
        #expect(try session.enter("").contains("\r\nsearchable"))
        #expect(try finish(session) == 0)
    }

    @Test func anArrowKeyEndsACtrlRSearchAndMovesOnTheMatch() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("x = 'phone'")
        try session.enter("y = 1")
        // Ctrl-R, a search, then the right arrow and Z: the match, edited, with no escape text in it.
        try session.send("\u{12}pho")
        try session.expect("phone'")
        try session.send("\u{1B}[CZ")
        Thread.sleep(forTimeInterval: 0.3)
        try session.enter("")
        let shown = try session.enter("x")
        #expect(shown.contains("\r\n\"pZhone\""), "\(session.transcript.suffix(300).debugDescription)")
        #expect(!session.transcript.contains("[CZ"), "\(session.transcript.suffix(300).debugDescription)")
        #expect(try finish(session) == 0)
    }

    /// The lines of a transcript wider than `columns` once colour codes are left out.
    private static func linesWider(than columns: Int, in shown: String) -> [String] {
        let plain = shown.replacing(/\u{1B}\[[0-9;?]*[A-Za-z]/, with: "")
        let wide = plain.components(separatedBy: "\r\n").filter { $0.count > columns }
        if !wide.isEmpty { print("wider than \(columns):", wide) }
        return wide
    }

    @Test func theBannerAndHelpFitTheTerminalsWidth() throws {
        defer { home.remove() }
        // Not configured: the banner's target is a long explanation.
        let session = try start([], ["FLIREO_BASE_URL": nil, "FLIREO_API_KEY": nil])
        let shown = session.transcript + (try session.enter("help(require('flireo.bulk').run)"))
        #expect(shown.contains("Target: not configured"), "\(shown)")
        #expect(shown.contains("max_failures?: integer"), "\(shown)")
        #expect(Self.linesWider(than: 100, in: shown).isEmpty)
        #expect(try finish(session) == 0)
    }

    @Test func helpAndCompletionNeverShowTheKey() throws {
        defer { home.remove() }
        let key = "sk_test_help_key_ABCDEFGH12345"
        let session = try start([], ["FLIREO_BASE_URL": "http://127.0.0.1:9", "FLIREO_API_KEY": key])
        try session.enter("k = os.getenv('FLIREO_API_KEY')")
        try session.enter("help(k)")
        try session.enter("help(k .. ' x')")
        try session.enter("m = {[k] = print, other = 1}")
        try session.enter("help(m)")
        // Typed with Tabs, then cleared with Ctrl-U.
        let complete = { (typed: String) in
            try session.send(typed)
            Thread.sleep(forTimeInterval: 0.5)
            try session.send("\u{15}")
            try session.enter("")
        }
        try complete("m.\t\t")
        // The only completion is not typed out either.
        try session.enter("cfg = {[k] = true}")
        try complete("cfg.s\t")
        #expect(!session.transcript.contains(key), "\(session.transcript.suffix(600))")
        #expect(session.transcript.contains("[redacted]"), "\(session.transcript.suffix(600))")
        #expect(try finish(session) == 0)
    }

    @Test func helpFitsANarrowTerminalAndShowsNoControlCharacters() throws {
        defer { home.remove() }
        let session = try TerminalSession([], environment: home.environment(), columns: 40)
        try session.expect("exits")
        try session.expect("\r\n> ")
        var shown = ""
        for line in ["help(json.encode)", "help(flireo)", "help()", "help(flireo.connect)", "help('\\27[31mred')",
                     "help('\\u{9b}31mC1\\u{202E}')", "'\\u{9b}32mvalue\\u{2066}'"] {
            shown += try session.enter(line)
        }
        #expect(shown.contains("\"\\27[31mred\" is a string"), "\(shown.suffix(300))")
        #expect(!shown.contains("\u{1B}[31m"))
        // C1 controls (U+009B is CSI) and bidirectional overrides are escaped as Lua writes them.
        #expect(shown.contains("\"\\u{9B}31mC1\\u{202E}\" is a string"), "\(shown.suffix(300))")
        #expect(shown.contains("\\u{9B}32mvalue\\u{2066}\""), "\(shown.suffix(300))")
        #expect(!shown.unicodeScalars.contains("\u{9B}") && !shown.unicodeScalars.contains("\u{202E}"))
        // (Code in the examples is shown as typed.)
        #expect(Self.linesWider(than: 40, in: shown).filter { !$0.hasPrefix("  ") || !$0.contains("(") }.isEmpty)
        #expect(try finish(session) == 0)
    }

    @Test func pageInsertAndCtrlDeleteKeysTypeNothing() throws {
        defer { home.remove() }
        let session = try start()
        // Page Up/Down search the history (nothing matches here), Insert and the function
        // keys do nothing, Shift-Home/End move, Ctrl-Delete at the end deletes nothing: no
        // `~`, `5~` or `H` in the line, with a modifier held or not.
        try session.send("x = 'a\u{1B}[5~b\u{1B}[6~c\u{1B}[2~d\u{1B}[3;5~e\u{1B}[1;2H\u{1B}[1;2F\u{1B}[5;5~\u{1B}[2;2~\u{1B}[17~\u{1B}[15;2~'")
        Thread.sleep(forTimeInterval: 0.3)
        try session.enter("")
        let shown = try session.enter("x")
        #expect(shown.contains("\r\n\"abcde\""), "\(session.transcript.suffix(300).debugDescription)")
        #expect(try finish(session) == 0)
    }

    @Test func aMultiLineForLoop() throws {
        defer { home.remove() }
        let session = try start()
        try session.send("for i = 1, 3 do\r")
        try session.expect(">> ")
        try session.send("print(i * 10)\r")
        try session.expect(">> ")
        #expect(try session.enter("end").contains("\r\n10\r\n20\r\n30"))
        #expect(try finish(session) == 0)
    }

    @Test func tabCompletesMethodsOfObjectsAndGlobals() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("t = spawn(function() return 42 end)")
        try session.send("t:wa\t")
        try session.expect("it(")
        #expect(try session.enter(")").contains("\r\n42"))
        try session.enter("mysupervalue = 7")
        try session.send("mysuperv\t")
        try session.expect("alue")
        #expect(try session.enter("").contains("\r\n7"))
        try session.send("json.enc\t")
        try session.expect("ode(")
        #expect(try session.enter("{1, 2})").contains(#""[1,2]""#))
        try session.send("pa\t")
        try session.expect("parallel")  // several candidates: listed
        try session.send("\u{3}")
        try session.expect("\r\n> ")
        // flireo.config's settings, though reading an unknown one raises.
        try session.send("flireo.config.dr\t")
        try session.expect("y_run")
        #expect(try session.enter("").contains("\r\nfalse"))
        #expect(try finish(session) == 0)
    }

    @Test func historyIsWrittenPrivateAndRedacted() throws {
        defer { home.remove() }
        let session = try start([], ["FLIREO_API_KEY": "sk-test-secret-42"])
        try session.enter("key = 'sk-test-secret-42'")
        try session.enter("cfg = {api_key = 'another'}")
        try session.enter("answer = 6 * 7")
        try session.send("for i = 1, 2 do\r")
        try session.expect(">> ")
        try session.send("print(i)\r")
        try session.expect(">> ")
        try session.enter("end")
        #expect(try finish(session) == 0)
        let history = try String(contentsOfFile: home.historyPath, encoding: .utf8)
        #expect(history == "answer = 6 * 7\nfor i = 1, 2 do\\nprint(i)\\nend\n")
        let attributes = try FileManager.default.attributesOfItem(atPath: home.historyPath)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)

        // The next session recalls it with the up arrow.
        let next = try start()
        try next.send("\u{1B}[A\u{1B}[A")
        try next.expect("answer = 6 * 7")
        try next.enter("")
        #expect(try next.enter("answer").contains("\r\n42"))
        #expect(try finish(next) == 0)

        // A result that is the key is shown masked, as stderr is (a shared screen).
        let third = try start([], ["FLIREO_API_KEY": "sk-test-secret-42"])
        let shown = try third.enter("os.getenv('FLIREO_API_KEY')")
        #expect(shown.contains("[redacted]") && !shown.contains("sk-test-secret-42"), "\(shown.debugDescription)")
        #expect(try finish(third) == 0)
    }

    /// A command that waits (an operation in flight) and one that computes forever.
    static let endlessCommands = [
        (command: "sleep(30)", check: "1 + 1", expected: "2"),
        (command: "n = 0 while true do n = n + 1 end", check: "n > 0", expected: "true"),
        // io.read waits in read(2): Ctrl-C ends it at once, not after Enter, as in lua.
        (command: "z = io.read()", check: "z", expected: "nil"),
    ]

    @Test(arguments: endlessCommands)
    func ctrlCInterruptsTheCommandWithinASecond(command: String, check: String, expected: String) throws {
        defer { home.remove() }
        let session = try start()
        // A second is the goal; a loaded machine gets some slack.
        #expect(try session.interrupt(command) < 3)
        #expect(try session.enter(check).contains("\r\n" + expected))
        #expect(try finish(session) == 0)
    }

    @Test(arguments: ["io.write('name? ') print('got', io.read())", "io.write('name? ') for l in io.lines() do print('got', l) end"])
    func ctrlCStopsAScriptWaitingInIORead(script: String) throws {
        defer { home.remove() }
        let session = try TerminalSession(["-e", script], environment: home.environment())
        try session.expect("name? ")
        Thread.sleep(forTimeInterval: 0.3)
        let pressed = Date()
        try session.send("\u{3}")
        #expect(try session.waitForExit(timeout: 15) == 1, "\(session.transcript)")
        #expect(Date().timeIntervalSince(pressed) < 5)
        #expect(session.transcript.contains("interrupted!"), "\(session.transcript)")
        #expect(!session.transcript.contains("got"), "\(session.transcript)")
    }

    @Test func ctrlCClearsTheLineBeingEdited() throws {
        defer { home.remove() }
        let session = try start()
        try session.send("error('must not run')")
        try session.send("\u{3}")
        try session.expect("^C\r\n> ")
        try session.send("for i = 1, 2 do\r")
        try session.expect(">> ")
        try session.send("\u{3}")
        try session.expect("^C\r\n> ")
        #expect(try session.enter("print('after')").contains("\r\nafter"))
        #expect(!session.transcript.contains("stdin:1: must not run"))
        #expect(try finish(session) == 0)
    }

    @Test func ctrlZSuspendsAndFgResumesTheLine() throws {
        defer { home.remove() }
        // A shell that does job control runs flireo as a job, reports the stop, then `fg`.
        let script = "'\(TerminalSession.binary)'; echo \"stopped with $?\"; fg; echo \"done with $?\""
        let session = try TerminalSession(
            ["--norc", "--noprofile", "-m", "-c", script], environment: home.environment(), program: "/bin/bash"
        )
        try session.expect("Ctrl-D exits")
        try session.expect("\r\n> ")
        try session.send("x = 41")
        try session.expect("x = 41")
        try session.send("\u{1A}")
        try session.expect("^Z")
        // 148: stopped by SIGTSTP (128 + 20), as the shell sees any Ctrl-Z'd job.
        try session.expect("stopped with 148")
        // Resumed, the line being edited is drawn again and can still be finished.
        try session.expect("> x = 41")
        try session.enter("")
        #expect(try session.enter("print(x + 1)").contains("\r\n42"))
        try session.send("\u{4}")
        try session.expect("done with 0")
    }

    @Test func ctrlDExitsOnlyOnAnEmptyLine() throws {
        defer { home.remove() }
        let session = try start()
        try session.send("x = 1\u{4}")
        Thread.sleep(forTimeInterval: 0.3)
        try session.send("\u{15}")  // Ctrl-U: the line is empty again
        try session.send("\u{4}")
        #expect(try session.waitForExit() == 0)
        #expect(!session.transcript.contains("x = 1\r\n"), "the line was not run")
    }

    @Test func ctrlDAtAContinuationPromptEndsTheChunkNotTheSession() throws {
        defer { home.remove() }
        let session = try start()
        try session.enter("kept = 42")
        try session.send("x =\r")
        try session.expect(">> ")
        try session.send("\u{4}")
        // As lua: the unfinished chunk's error, and the prompt again, the session's state intact.
        try session.expect("<eof>", timeout: 10)
        try session.expect("\r\n> ", timeout: 10)
        #expect(try session.enter("kept").contains("\r\n42"))
        #expect(try finish(session) == 0)
    }

    @Test func typedShortcutsAndErrorLines() throws {
        defer { home.remove() }
        let session = try start()
        // An error in a bare expression names the typed line, as lua does.
        try session.enter("t = {}")
        #expect(try session.enter("t.nosuch.x").contains("stdin:1: attempt to index a nil value (field 'nosuch')"))
        // A trailing comment still works, and does not move the error's line.
        #expect(try session.enter("1 + 1 -- two").contains("\r\n2"))
        #expect(try session.enter("t.nosuch.x -- a comment").contains("stdin:1: attempt to index a nil value"))
        #expect(try session.enter("'a--b' -- c").contains("a--b"))
        // exit() says how to leave, as a bare exit does; `? a:b` is help(a.b).
        #expect(try session.enter("exit()").contains("Ctrl-D (or os.exit()) leaves the REPL"))
        #expect(!(try session.enter("? string:format").contains("expected")))
        // `help name`, as mongosh and the `?` shortcut take it.
        #expect(try session.enter("help flireo.connect").contains("flireo.connect(opts?) -> client"))

        #expect(try finish(session) == 0)
    }

    @Test func helpShowsSignaturesAndDocumentation() throws {
        defer { home.remove() }
        let session = try start()
        #expect(try session.enter("help(parallel)").contains("\r\nparallel(items, fn, opts?) -> results, failures\r\n"))
        try session.enter("task = spawn(function() return 1 end)")
        let task = try session.enter("help(task)")
        #expect(task.contains("\r\nluakit.Task\r\n"))
        #expect(task.contains("task:done() -> done"))
        #expect(try session.enter("help(task.cancel)").contains("task:cancel()\r\n"))
        let overview = try session.enter("help()")
        #expect(overview.contains("Globals:"))
        #expect(!overview.contains("flireo.native") && !overview.contains("AppendFile"), "internals are not listed")
        #expect(try session.enter("help(help)").contains("help(value?)"))
        // A name finds the documentation of the API, never the implementation's notes.
        #expect(try session.enter("help(\"Assistant:link\")").contains("assistant:link(number, opts?) -> result"))
        let guess = try session.enter("help(\"link\")")
        #expect(guess.contains("did you mean flireo.Assistant:link?"), "\(guess.debugDescription)")
        // A function reached through the module's metatable is found by its name; a
        // string value is said to be one, not looked up as a name.
        let inspect = try session.enter("help(flireo.inspect)")
        #expect(inspect.contains("flireo.inspect(value, opts?)"), "\(inspect.debugDescription)")
        #expect(try session.enter("help(flireo.version)").contains("\"0.1.0\" is a string."))
        #expect(try finish(session) == 0)
    }

    @Test func colourOnATerminalUnlessNoColor() throws {
        defer { home.remove() }
        let coloured = try start([], ["NO_COLOR": nil])
        #expect(try coloured.enter("'s'").contains("\u{1B}[32m\"s\"\u{1B}[0m"))
        #expect(try finish(coloured) == 0)
        let plain = try start()
        #expect(try plain.enter("'s'").contains("\r\n\"s\"\r\n"))
        #expect(try finish(plain) == 0)
        // A terminal that cannot show colours says so with TERM=dumb.
        let dumb = try start([], ["NO_COLOR": nil, "TERM": "dumb"])
        #expect(try dumb.enter("'s'").contains("\r\n\"s\"\r\n"))
        #expect(try finish(dumb) == 0)
        #expect(dumb.pasteModeOn == 0, "no bracketed paste either")
    }

    @Test func afterAScriptWithTheScriptsGlobals() throws {
        defer { home.remove() }
        let script = try home.write("script.lua", "greeting = 'hello from the script'\nlocal hidden = 1\n")
        let session = try start(["-i", script])
        #expect(try session.enter("greeting, hidden").contains("\"hello from the script\"\tnil"))
        #expect(try finish(session) == 0)
    }

    @Test func theStartupFileRunsUnlessE() throws {
        defer { home.remove() }
        _ = try home.write("config/flireo/init.lua", "startup_marker = 'ran'\n")
        let session = try start()
        #expect(try session.enter("startup_marker").contains(#""ran""#))
        #expect(try finish(session) == 0)
        let ignoring = try start(["-E"])
        #expect(try ignoring.enter("startup_marker").contains("\r\nnil"))
        #expect(try finish(ignoring) == 0)
    }
}

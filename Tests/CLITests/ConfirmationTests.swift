import Foundation
import TestSupport
import Testing

/// The confirmation prompt of a mutating script on a real terminal: "n" and Ctrl-C send
/// nothing and leave no journal behind; Ctrl-C stops the prompt at once; "y" applies.
@Suite(.blocking) struct ConfirmationTests {
    /// QA round 29: an export to a terminal wrote names' escape sequences raw (recolouring,
    /// retitling the operator's terminal); audit escaped them. Both escape them now.
    /// A scratch home and a sandbox, and the environment that runs flireo against it.
    static func serving() throws -> (home: ScratchHome, server: SandboxProcess, environment: [String: String]) {
        let home = try ScratchHome()
        let key = "sk_confirmation_key_12345"
        let server = try SandboxProcess.serving(key: key)
        return (home, server, home.environment(["FLIREO_BASE_URL": server.baseURL, "FLIREO_API_KEY": key]))
    }

    @Test func anExportToATerminalEscapesNames() throws {
        let (home, server, environment) = try Self.serving()
        defer { home.remove(); server.stop() }
        let renamed = try Subprocess.run(["-e", """
            local a = flireo.assistants():list()[1]
            flireo.request("PATCH", "/v1/assistants/" .. a.id, {name = "red \\27[31mX\\27[0m bell\\a rlo\\u{202E}"})
            """], environment: environment)
        #expect(renamed.status == 0, "\(renamed.stderr)")
        let session = try TerminalSession(["run", "export-links"], environment: environment)
        #expect(try session.waitForExit() == 0)
        #expect(session.transcript.contains("red \\027[31mX\\027[0m bell\\a rlo\\u{202E}"), "\(session.transcript)")
        #expect(!session.transcript.contains("\u{1B}[31m") && !session.transcript.contains("\u{202E}"), "\(session.transcript)")
        // To a file or a pipe, the name is the name.
        let piped = try Subprocess.run(["run", "export-links"], environment: environment)
        #expect(piped.stdout.contains("red \u{1B}[31mX\u{1B}[0m bell\u{7} rlo\u{202E}"), "\(piped.stdout)")
    }

    @Test func answersAtThePrompt() throws {
        let (home, server, environment) = try Self.serving()
        defer { home.remove(); server.stop() }
        let journal = home.url.appendingPathComponent("unlink.jsonl").path
        func prompt() throws -> TerminalSession {
            let session = try TerminalSession(["run", "unlink", "--default", "--journal", journal], environment: environment)
            try session.expect("Apply 3 changes to ")
            try session.expect("[y/N] ")
            return session
        }

        let no = try prompt()
        try no.send("n\r")
        #expect(try no.waitForExit() == 1)
        #expect(no.transcript.contains("unlink: nothing changed"), "\(no.transcript)")
        #expect(!FileManager.default.fileExists(atPath: journal))

        // Ctrl-C while the prompt waits: no Enter needed.
        let interrupted = try prompt()
        Thread.sleep(forTimeInterval: 0.3)
        let pressed = Date()
        try interrupted.send("\u{3}")
        #expect(try interrupted.waitForExit(timeout: 15) == 130, "\(interrupted.transcript)")
        #expect(Date().timeIntervalSince(pressed) < 5)
        #expect(interrupted.transcript.contains("unlink: interrupted; nothing was sent and no journal was written"),
                "\(interrupted.transcript)")
        #expect(!interrupted.transcript.contains("traceback"))
        #expect(!FileManager.default.fileExists(atPath: journal))

        // stderr sent to a log: the question is asked on the terminal itself, not in the log.
        let log = home.url.appendingPathComponent("run.log").path
        let logged = try TerminalSession(
            ["-c", #"exec "$0" run unlink --default --journal "$1" 2>"$2""#, TerminalSession.binary, journal, log],
            environment: environment, program: "/bin/sh"
        )
        try logged.expect("Apply 3 changes to ")
        try logged.expect("[y/N] ")
        try logged.send("n\r")
        #expect(try logged.waitForExit() == 1, "\(logged.transcript)")
        let logText = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        #expect(logText.contains("unlink: nothing changed") && !logText.contains("[y/N]"), "\(logText)")
        #expect(!FileManager.default.fileExists(atPath: journal))

        // Neither sent anything: all three changes are still to do.
        let yes = try prompt()
        try yes.send("y\r")
        #expect(try yes.waitForExit() == 0, "\(yes.transcript)")
        #expect(yes.transcript.contains("3 done, 0 skipped, 0 failed"), "\(yes.transcript)")
        #expect(FileManager.default.fileExists(atPath: journal))
    }

    /// QA round 30: the plan shown at the question was carried out on the account as it had
    /// become meanwhile; a shared default link then released an assistant no line named.
    @Test func aDefaultLinkIsCheckedAgainAfterTheQuestion() throws {
        let (home, server, environment) = try Self.serving()
        defer { home.remove(); server.stop() }
        // A default holder moved to another default number; then, while the question waits,
        // an assistant with no number is linked to a default number elsewhere.
        let picked = try Subprocess.run(["-e", """
            local fx = flireo.request("GET", "/_sandbox/fixture").data
            local holder = flireo.assistant(fx.assistants_on_default_number[1])
            local held = holder:phone().id
            local target, other
            for _, id in ipairs(fx.default_numbers) do
              if id ~= held then if target then other = other or id else target = id end end
            end
            print(holder.id, target, fx.assistant_without_number, other)
            """], environment: environment)
        let ids = picked.stdout.split(whereSeparator: \.isWhitespace).map(String.init)
        try #require(ids.count == 4, "\(picked.stdout) \(picked.stderr)")
        let csv = home.url.appendingPathComponent("move.csv").path
        try "assistant_id,phone_number\n\(ids[0]),\(ids[1])\n".write(toFile: csv, atomically: true, encoding: .utf8)
        let journal = home.url.appendingPathComponent("move.jsonl").path
        let session = try TerminalSession(["run", "link-from-csv", "--journal", journal, csv], environment: environment)
        try session.expect("[y/N] ")
        let outsider = try Subprocess.run(["-e", "flireo.assistant('\(ids[2])'):link('\(ids[3])')"], environment: environment)
        #expect(outsider.status == 0, "\(outsider.stderr)")
        try session.send("y\r")
        #expect(try session.waitForExit() == 1, "\(session.transcript)")
        #expect(session.transcript.contains("the account changed while the question waited"), "\(session.transcript)")
        #expect(session.transcript.contains("\(ids[2]) is on a shared default number now"), "\(session.transcript)")
        // Nothing was sent: the outsider keeps its number.
        let kept = try Subprocess.run(["-e", "print(flireo.assistant('\(ids[2])'):phone().id)"], environment: environment)
        #expect(kept.stdout == ids[3] + "\n", "\(kept.stdout) \(kept.stderr)")
    }
}

import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Ctrl-C during a slow request: the REPL on a sandbox that answers after 20 s.
@Suite struct REPLSlowRequestTests {
    /// `flireo sandbox serve` with latency, as a subprocess; its URL once it listens.
    final class SlowSandbox {
        let process: Process
        let url: String

        init(latencyMilliseconds: Int) throws {
            let server = try SandboxProcess(
                binary: Subprocess.flireo,
                arguments: ["--port", "0", "--api-key", "sk_slow_sandbox_key", "--latency-ms", String(latencyMilliseconds)],
                timeout: 30)
            process = server.process
            url = server.baseURL
        }

        func stop() {
            kill(process.processIdentifier, SIGKILL)  // not SIGTERM: that waits for the slow requests
            process.waitUntilExit()
        }
    }

    @Test func ctrlCDuringASlowRequestReturnsToThePrompt() throws {
        let home = try ScratchHome()
        defer { home.remove() }
        let sandbox = try SlowSandbox(latencyMilliseconds: 20_000)
        defer { sandbox.stop() }
        let session = try TerminalSession([], environment: home.environment([
            "FLIREO_BASE_URL": sandbox.url, "FLIREO_API_KEY": "sk_slow_sandbox_key",
        ]))
        try session.expect("Ctrl-D exits")
        try session.expect("\r\n> ")
        // A second is the goal; a loaded machine gets some slack.
        #expect(try session.interrupt("flireo.assistants():list()") < 3)
        #expect(try session.enter("1 + 1").contains("\r\n2"))
        try session.send("\u{4}")
        #expect(try session.waitForExit() == 0)
    }

    @Test func tabCompletesAssistantIdsAndNumbersInsideStrings() throws {
        let home = try ScratchHome()
        defer { home.remove() }
        let session = try TerminalSession(["--sandbox"], environment: home.environment([:]))
        try session.expect("Ctrl-D exits")
        try session.expect("\r\n> ")
        // The default sandbox's fixture is deterministic: this assistant always exists.
        try session.send("a = flireo.assistant(\"c77c\t")
        try session.expect("d6f9-e11d-4745-b428-8a8afe65d95a\"")  // the rest of the id, and the closing quote
        try session.enter(")")
        #expect(try session.enter("a.id").contains("c77cd6f9-e11d-4745-b428-8a8afe65d95a"))
        try session.send("a:link(\"+31\t\t")
        try session.expect("a:link(\"+31")
        try session.expect("  +31")  // the account's numbers, listed in columns
        try session.send("\u{3}")
        try session.expect("> ")
        try session.send("\u{4}")
        #expect(try session.waitForExit() == 0)
    }
}

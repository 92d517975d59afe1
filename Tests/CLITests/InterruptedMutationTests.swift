import Foundation
import TestSupport
import Testing

/// A script stopped by Ctrl-C while a link is in flight: the link may have been applied,
/// and the script says so; its error names the script's own line, not the library's.
@Suite(.blocking) struct InterruptedMutationTests {
    /// A scratch directory and, in it, `slow-link.lua`: it prints `sending` and then links a
    /// free number (named on stderr) while the sandbox holds every request for 3 s.
    /// With `spawned`, the link is a task the main chunk leaves running as it ends.
    static func slowLink(spawned: Bool = false) throws -> (directory: URL, script: URL) {
        let directory = try Subprocess.scratchDirectory()
        let script = directory.appendingPathComponent("slow-link.lua")
        try """
            local fx = flireo.request("GET", "/_sandbox/fixture").data
            flireo.request("PUT", "/_sandbox/faults", {latency_ms = 3000})
            local a = flireo.assistant(fx.assistant_without_number)
            io.stderr:write("number ", fx.free_custom_number, "\\n")
            \(spawned ? "spawn(function() a:link(fx.free_custom_number) end)" : "")
            print("sending") io.stdout:flush()
            \(spawned ? "" : "print(a:link(fx.free_custom_number))")
            """.write(to: script, atomically: true, encoding: .utf8)
        return (directory, script)
    }

    @Test func aScriptSaysTheLinkMayHaveBeenAppliedAndNamesItsOwnLine() throws {
        let key = "sk_interrupted_mutation_key"
        let server = try SandboxProcess.serving(key: key)
        defer { server.stop() }
        let (directory, script) = try Self.slowLink()
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try Subprocess.run(
            ["--rate-limit", "off", script.path], environment: ["FLIREO_BASE_URL": server.baseURL, "FLIREO_API_KEY": key],
            timeout: 30, interruptAfter: 0.5, interruptOnOutput: "sending"
        )
        #expect(result.status == 1, "\(result.stderr)")
        #expect(result.stderr.contains("/phone-number (phone_number_id ") && result.stderr.contains(") was interrupted after it was sent: the server may have applied it"),
                "\(result.stderr)")
        #expect(result.stderr.contains("slow-link.lua:7: interrupted!"), "\(result.stderr)")
        #expect(!result.stderr.contains("flireo/core/assistant.lua:51: interrupted!"), "\(result.stderr)")
    }

    /// QA round 28: SIGTERM (what `timeout` and service managers send) or SIGHUP killed a
    /// script of one's own at once, links in flight applied and nothing said. It stops as
    /// Ctrl-C stops it, the request in flight named with its number, and ends with 143 or 129.
    /// QA round 29: once the main chunk had ended, waiting for a task it left running, the
    /// signal still killed the script silently.
    @Test(arguments: [(SIGTERM, Int32(143), false), (SIGHUP, Int32(129), false), (SIGTERM, Int32(143), true)])
    func terminationSaysWhatWasInFlight(signal: Int32, status: Int32, spawned: Bool) throws {
        let (directory, script) = try Self.slowLink(spawned: spawned)
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("out.txt").path, err = directory.appendingPathComponent("err.txt").path
        let run = try Subprocess.run("/bin/bash", ["-c", """
            '\(Subprocess.flireo)' --sandbox '\(script.path)' > '\(out)' 2> '\(err)' & P=$!
            for i in $(seq 600); do grep -q sending '\(out)' 2>/dev/null && break; sleep 0.05; done
            sleep 0.5; kill -\(signal) $P; wait $P; echo "status $?"
            """], timeout: 60)
        let stderr = try String(contentsOfFile: err, encoding: .utf8)
        let number = stderr.components(separatedBy: "number ").dropFirst().first?.prefix(36) ?? "?"
        #expect(run.stdout == "status \(status)\n", "\(run.stdout) \(stderr)")
        #expect(stderr.contains("/phone-number (phone_number_id \(number)) was interrupted after it was sent: the server may have applied it"),
                "\(stderr)")
        #expect(stderr.contains(spawned ? "interrupted! (SIGTERM stopped the task the script left running)" : "slow-link.lua:7: interrupted!"),
                "\(stderr)")
    }

    /// QA round 28: a reader that went away (`| head -1`) ended a script at once, a link in
    /// flight applied and nothing said. It still ends silently with 141, as lua does, but
    /// for the warning about that link.
    @Test func aReaderThatGoesAwaySaysWhatWasInFlight() throws {
        let directory = try Subprocess.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("piped.lua")
        try """
            local fx = flireo.request("GET", "/_sandbox/fixture").data
            flireo.request("PUT", "/_sandbox/faults", {latency_ms = 2000})
            spawn(function() flireo.assistant(fx.assistant_without_number):link(fx.free_custom_number) end)
            for i = 1, 100000 do print(i) sleep(0.001) end
            """.write(to: script, atomically: true, encoding: .utf8)
        let run = try Subprocess.run("/bin/bash", ["-c", "'\(Subprocess.flireo)' --sandbox '\(script.path)' | head -1; echo \"status ${PIPESTATUS[0]}\""])
        #expect(run.stdout == "1\nstatus 141\n", "\(run.stdout) \(run.stderr)")
        #expect(run.stderr.contains("/phone-number (phone_number_id ") && run.stderr.contains("was interrupted after it was sent"),
                "\(run.stderr)")
        #expect(!run.stderr.contains("interrupted!") && !run.stderr.contains("traceback"), "\(run.stderr)")
    }

    /// QA round 28: a wait inside a coroutine of the script's own (where Lua cannot yield to
    /// the host, so the Lua thread blocks) handed Ctrl-C to the pcall, flireo.try or
    /// coroutine.resume around it as an ordinary error: the script ran on and exited 0, and a
    /// retry loop spun at full speed. Ctrl-C ends each as it ends a script waiting anywhere.
    @Test(arguments: [
        "while true do local ok, e = flireo.try(coroutine.wrap(function() print('waiting') sleep(10) end)) io.stderr:write('retry\\n') end",
        "while true do local ok = pcall(coroutine.wrap(function() while true do pcall(sleep, 0.01) print('waiting') end end)) io.stderr:write('retry\\n') end",
        "local co = coroutine.create(function() print('waiting') sleep(10) end) coroutine.resume(co) print('script continued')",
    ])
    func ctrlCInACoroutineOfTheScriptsOwnEndsTheScript(code: String) throws {
        let result = try Subprocess.run(["--sandbox", "-e", code], timeout: 30, interruptAfter: 0.5, interruptOnOutput: "waiting")
        #expect(result.status == 1, "\(result.status) \(result.stderr.suffix(400))")
        #expect(result.stderr.contains("interrupted!"), "\(result.stderr.suffix(400))")
        #expect(!result.stdout.contains("script continued"), "\(result.stdout)")
        #expect(result.stderr.components(separatedBy: "retry").count <= 2, "\(result.stderr.prefix(400))")
    }
}

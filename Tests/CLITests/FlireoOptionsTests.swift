import Foundation
import TestSupport
import Testing

/// flireo's own options: --sandbox, --dry-run, --verbose, --help, and the configuration
/// errors a user meets first.
@Suite("flireo options", .blocking)
struct FlireoOptionsTests {
    private let clean = ["FLIREO_BASE_URL": "", "FLIREO_API_KEY": "", "FLIREO_PROFILE": "", "XDG_CONFIG_HOME": "/nonexistent"]

    @Test("--help and --version")
    func helpAndVersion() throws {
        let help = try Subprocess.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("--sandbox"))
        #expect(help.stdout.contains("usage: flireo [options] [script [args]]"))
        let version = try Subprocess.run(["--version"])
        #expect(version.stdout.hasPrefix("flireo 0.1.0"))
        // How to give the key, which no flag takes.
        #expect(help.stdout.contains("The API key: FLIREO_API_KEY, or api_key / api_key_env in the profile"))
        // Help on one command: an answer (exit 0, standard output), not a usage error.
        let run = try Subprocess.run(["run", "--help"])
        #expect(run.status == 0 && run.stdout.hasPrefix("usage: flireo run") && run.stdout.contains("  audit "), "\(run.stderr)")
        #expect(try Subprocess.run(["run"]).status == 2)
        let topics = [(["help", "run"], "usage: flireo run"), (["help", "sandbox"], "OVERVIEW: Serve the sandbox API"),
                      (["help", "audit"], "Reports what deserves a look"), (["help", "run", "audit"], "Reports what deserves a look"),
                      (["run", "-h"], "usage: flireo run")]
        for (arguments, start) in topics {
            let topic = try Subprocess.run(arguments)
            #expect(topic.status == 0 && topic.stdout.contains(start), "\(arguments): \(topic.stdout)")
        }
        // In the REPL: `?` is help(), the result types are listed, and named without their module.
        let repl = try Subprocess.run(["--sandbox", "-i"], stdin: "?\nhelp('PhoneNumber')\n? flireo.phone_numbers()()\n"
            + "? flireo.assistant(flireo.assistants():list()[1].id):phone\n")
        #expect(repl.status == 0, "\(repl.stderr)")
        #expect(repl.stdout.contains("Results (help(\"flireo.PhoneNumber\"), or help(r) for a result r):"), "\(repl.stdout)")
        #expect(repl.stdout.contains("  flireo.LinkResult "), "\(repl.stdout)")
        // A method of a call's result, as `? a:link` (QA round 30: a syntax error about code not typed).
        #expect(repl.stdout.contains("assistant:phone() -> number") && !repl.stderr.contains("function arguments expected"),
                "\(repl.stdout) \(repl.stderr)")
        // (In the overview, then from each of the two lines asking about a phone number.)
        #expect(repl.stdout.components(separatedBy: "  A phone number: {id, number, type").count == 4, "\(repl.stdout)")
        // Asking what a mutation answers does not send it: the call is a dry run.
        let asked = try Subprocess.run(["--sandbox", "-i"], stdin: """
            a = flireo.assistant(flireo.request('GET', '/_sandbox/fixture').data.assistants_on_default_number[1])
            ? a:unlink()
            help(a:unlink())
            help(a:unlink()); -- with a semicolon and a comment
            staging = flireo.connect{}
            ? staging.assistant(a.id):unlink()
            help(flireo.connect{dry_run = false}.assistant(a.id):unlink())
            ? (function() flireo.config.dry_run = false return a:unlink() end)()
            ? spawn(function() sleep(0) return a:unlink() end)
            help (a:unlink())
            print('dry after:', flireo.config.dry_run, 'deletes:', flireo.request('GET', '/_sandbox/stats').data.routes['DELETE /v1/assistants/{id}/phone-number'])
            print('linked:', a:phone() ~= nil)
            flireo.config.dry_run = true
            ? a:unlink()
            print('still planned linked:', a:phone() ~= nil)

            """)
        // (`help(a:unlink())` typed whole is the same question.)
        // A client from flireo.connect, one that asks not to be dry, and a call that turns dry run
        // off are rehearsed as well (QA round 30: they were sent); in a dry run, asking leaves the
        // plan as it was.
        #expect(asked.stdout.components(separatedBy: "flireo.UnlinkResult").count == 9, "\(asked.stdout) \(asked.stderr)")
        // A task would run after the question, for real: spawn is refused there (QA round 31).
        #expect(asked.stderr.contains("spawn cannot be rehearsed by ?"), "\(asked.stderr)")
        #expect(asked.stdout.contains("still planned linked:\ttrue"), "\(asked.stdout) \(asked.stderr)")
        #expect(asked.stdout.contains("dry after:\tfalse\tdeletes:\tnil"), "\(asked.stdout) \(asked.stderr)")
        #expect(asked.stdout.contains("linked:\ttrue"), "\(asked.stdout)")
        let unknown = try Subprocess.run(["help", "nosuch"])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix("flireo help: no help on 'nosuch': the topics are"), "\(unknown.stderr)")
        // A script that only reads takes --dry-run and says it changes nothing.
        let reading = try Subprocess.run(["--sandbox", "run", "audit", "--json", "--dry-run"])
        #expect(reading.status == 0 && reading.stderr.contains("audit: it only reads: --dry-run changes nothing"), "\(reading.stderr)")
        // A mistyped option shows flireo's options too, not only lua's.
        let typo = try Subprocess.run(["--dryrun", "-e", "print(1)"])
        #expect(typo.status == 1 && typo.stderr.contains("Flireo options (before the script):\n  --sandbox"), "\(typo.stderr)")
    }

    @Test("--sandbox gives a working client with data, for -e, a script, or stdin")
    func sandbox() throws {
        let result = try Subprocess.run(["--sandbox", "-e", "print(#flireo.assistants():list() > 0, flireo.base_url:match('^http://127%.0%.0%.1:%d+$') ~= nil)"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "true\ttrue\n")
        // FLIREO_API_KEY names the sandbox's key when unset, so a second client can be made from it.
        let second = try Subprocess.run(["--sandbox", "-e", """
            local other = flireo.connect({base_url = flireo.base_url, api_key_env = "FLIREO_API_KEY"})
            print(#other.assistants():list() == #flireo.assistants():list())
            """], environment: ["FLIREO_API_KEY": "sk_live_a_real_key_exported_1234"])
        #expect(second.status == 0 && second.stdout == "true\n", "\(second.stderr)")
        // No account is needed: a config file that would be refused (a key readable by
        // others) and an unknown FLIREO_PROFILE do not stop a rehearsal.
        let home = try Subprocess.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let config = home.appendingPathComponent("flireo/config")
        try FileManager.default.createDirectory(at: config.deletingLastPathComponent(), withIntermediateDirectories: true)
        try "[default]\nbase_url = https://api.flireo.example\napi_key = sk_live_SECRETSECRET123456\n".write(to: config, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: config.path)
        let rehearsal = try Subprocess.run(["--sandbox", "--verbose", "-e", "print(flireo.assistants():count() > 0)"],
                                           environment: ["XDG_CONFIG_HOME": home.path, "FLIREO_PROFILE": "nope"])
        #expect(rehearsal.status == 0 && rehearsal.stdout == "true\n", "\(rehearsal.stderr)")
        #expect(rehearsal.stderr.contains("(--sandbox), API key set (--sandbox), rate limit off\n"), "\(rehearsal.stderr)")
        // A shipped script interrupted there is not told to --resume: the sandbox is gone.
        let onSandbox = "print(require('flireo.cli').on_sandbox())"
        #expect(try Subprocess.run(["--sandbox", "-e", onSandbox]).stdout == "true\n")
        #expect(try Subprocess.run(["--base-url", "http://127.0.0.1:9", "-e", onSandbox], environment: ["FLIREO_API_KEY": "k"]).stdout == "false\n")
        // connect{} naming no server is the run's own client: the sandbox, unpaced as it is;
        // --rate-limit paces every client of the run, unless one names its own.
        let own = try Subprocess.run(["--sandbox", "-e", """
            local c = flireo.connect({})
            print(c.base_url == flireo.base_url, c._native.requests_per_second, #c.assistants():list() > 0)
            """], environment: ["FLIREO_API_KEY": ""])
        #expect(own.status == 0 && own.stdout == "true\tnil\ttrue\n", "\(own.stdout) \(own.stderr)")
        let paced = try Subprocess.run(["--sandbox", "--rate-limit", "5/s", "-e", """
            print(flireo.connect({})._native.requests_per_second, flireo.connect({rate_limit = "2/s"})._native.requests_per_second)
            """])
        #expect(paced.status == 0 && paced.stdout == "5.0\t2.0\n", "\(paced.stdout) \(paced.stderr)")
    }

    @Test("connect{} under --profile is the profile's account; a named profile reads its own api_key_env; another server needs its key")
    func connectAndProfiles() throws {
        let key = "sk_profile_staging_key"
        let server = try SandboxProcess.serving(key: key)
        defer { server.stop() }
        let directory = try Subprocess.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("flireo"), withIntermediateDirectories: true)
        let config = directory.appendingPathComponent("flireo/config")
        try """
            [default]
            base_url = \(server.baseURL)
            api_key_env = FLIREO_API_KEY
            rate_limit = off
            [profile staging]
            base_url = \(server.baseURL)
            api_key_env = STAGING_KEY
            rate_limit = off
            """.write(to: config, atomically: true, encoding: .utf8)
        // "Production" exported in the shell: a server nobody listens on.
        let shell = ["XDG_CONFIG_HOME": directory.path, "FLIREO_BASE_URL": "http://127.0.0.1:1", "FLIREO_API_KEY": key,
                     "STAGING_KEY": key, "FLIREO_PROFILE": ""]
        let staged = try Subprocess.run(["--profile", "staging", "-e", """
            local c = flireo.connect({})
            print(c.base_url == flireo.base_url, #c.assistants():list() > 0)
            """], environment: shell)
        #expect(staged.status == 0 && staged.stdout == "true\ttrue\n", "\(staged.stdout) \(staged.stderr)")
        // A profile named in connect reads the variable its api_key_env names, FLIREO_API_KEY too.
        let named = try Subprocess.run(["-e", "print(#flireo.connect({profile = 'default'}).assistants():list() > 0)"],
                                       environment: shell)
        #expect(named.status == 0 && named.stdout == "true\n", "\(named.stdout) \(named.stderr)")
        // Another server without api_key_env: refused, saying what to give.
        let other = try Subprocess.run(["-e", "flireo.connect({base_url = '\(server.baseURL)'})"], environment: shell)
        #expect(other.status == 1 && other.stderr.contains("needs api_key_env"), "\(other.stderr)")
    }

    @Test("flireo options may come before run; after -- the word is a script again")
    func optionsBeforeRun() throws {
        let audit = try Subprocess.run(["--sandbox", "run", "audit", "--json"], environment: clean)
        #expect(audit.status == 0, "\(audit.stderr)")
        #expect(audit.stdout.contains("\"counts\""))
        let file = try Subprocess.run(["--sandbox", "--", "run"], environment: clean)
        #expect(file.status == 1)
        #expect(file.stderr.contains("cannot open run"))
        // A script of one's own called run, where `flireo run` takes the word: the usage says how.
        let directory = try Subprocess.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try "print('mine')".write(to: directory.appendingPathComponent("run"), atomically: true, encoding: .utf8)
        let mine = try Subprocess.run(["run"], environment: clean, directory: directory)
        #expect(mine.status == 2)
        #expect(mine.stderr.hasSuffix("(the file named run here runs as: flireo ./run)\n"), "\(mine.stderr)")
        #expect(try Subprocess.run(["./run"], environment: clean, directory: directory).stdout == "mine\n")
    }

    @Test("flireo's options after the script name: --dry-run makes the run dry, an account option is refused, run NAME takes them")
    func optionsAfterTheScript() throws {
        let key = "sk_after_script_key_1234"
        let server = try SandboxProcess.serving(key: key)
        defer { server.stop() }
        let directory = try Subprocess.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let script = directory.appendingPathComponent("s.lua")
        try """
            print("args", table.concat(arg, " "))
            local fx = flireo.request("GET", "/_sandbox/fixture").data
            local r = flireo.assistant(fx.assistant_without_number):link(fx.free_custom_number)
            print("dry", r.dry_run, flireo.request("GET", "/_sandbox/stats").data.routes["POST /v1/assistants/{id}/phone-number"])
            """.write(to: script, atomically: true, encoding: .utf8)
        let account = ["FLIREO_BASE_URL": server.baseURL, "FLIREO_API_KEY": key, "FLIREO_PROFILE": "", "XDG_CONFIG_HOME": "/nonexistent"]
        // Typed by habit after the script: the safe reading, and said; the script still sees it.
        let dry = try Subprocess.run(["--rate-limit", "off", script.path, "x", "--dry-run"], environment: account)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(dry.stdout == "args\tx --dry-run\ndry\ttrue\tnil\n", "\(dry.stdout)")
        #expect(dry.stderr.contains("flireo: --dry-run after the script name: this run is a dry run"), "\(dry.stderr)")
        // --sandbox (or --base-url, --profile) there would reach the configured account: refused, nothing run.
        for option in [["--sandbox"], ["--base-url", "http://127.0.0.1:9"], ["--profile=staging"]] {
            let refused = try Subprocess.run([script.path] + option, environment: account)
            #expect(refused.status == 2 && refused.stdout.isEmpty, "\(refused.stdout)")
            #expect(refused.stderr.contains("comes after the script name, where it goes to the script and not to flireo"), "\(refused.stderr)")
            // The corrected command keeps the option's value.
            let corrected = option.joined(separator: " ").replacingOccurrences(of: "=", with: " ")
            #expect(refused.stderr.contains("flireo \(corrected) \(script.path) …"), "\(refused.stderr)")
        }
        // --verbose or --rate-limit there is the script's: the run goes on, and a note says so.
        let noted = try Subprocess.run(["--rate-limit", "off", script.path, "--verbose", "--dry-run"], environment: account)
        #expect(noted.status == 0 && noted.stdout.hasPrefix("args\t--verbose --dry-run\n"), "\(noted.stdout)")
        #expect(noted.stderr.contains("flireo: note: --verbose after the script name goes to the script, not to flireo"),
                "\(noted.stderr)")
        #expect(!noted.stderr.contains("POST /v1/"), "no trace: \(noted.stderr)")
        // Given before the script as well, it is in effect: nothing to note.
        let both = try Subprocess.run(["--rate-limit", "off", script.path, "--rate-limit", "5/s", "--dry-run"], environment: account)
        #expect(both.status == 0 && !both.stderr.contains("note: --rate-limit"), "\(both.stderr)")
        // The same option on both sides reaches the account it names: the second is the script's.
        let twice = try Subprocess.run(["--sandbox", script.path, "--sandbox"], environment: clean)
        #expect(twice.status == 0 && twice.stdout.hasPrefix("args\t--sandbox\n"), "\(twice.stdout) \(twice.stderr)")
        // After --, the script's own arguments, whatever they say.
        let passed = try Subprocess.run(["--rate-limit", "off", "--", script.path, "--sandbox"], environment: account)
        #expect(passed.status == 0 && passed.stdout.hasPrefix("args\t--sandbox\ndry\tnil\t1\n"), "\(passed.stdout) \(passed.stderr)")
        // A shipped script has no options by those names: there they are flireo's, wherever written.
        let audit = try Subprocess.run(["run", "audit", "--json", "--sandbox"], environment: clean)
        #expect(audit.status == 0 && audit.stdout.contains("\"counts\""), "\(audit.stderr)")
        // Its plan names the server as this run's own sandbox, a URL nobody chose.
        let plan = try Subprocess.run(["run", "unlink", "--all", "--dry-run", "--sandbox"], environment: clean)
        #expect(plan.status == 0 && plan.stdout.contains(" (this run's --sandbox): "), "\(plan.stdout) \(plan.stderr)")
    }

    @Test("a refused connection names where the base URL came from, a refused key where the key did")
    func failuresNameTheirSource() throws {
        let server = try SandboxProcess.serving(key: "sk_right_key_123456")
        defer { server.stop() }
        let stale = ["FLIREO_BASE_URL": "http://127.0.0.1:9", "FLIREO_API_KEY": "sk_right_key_123456", "FLIREO_PROFILE": "",
                     "XDG_CONFIG_HOME": "/nonexistent"]
        let refused = try Subprocess.run(["-e", "flireo.assistants():list()"], environment: stale)
        #expect(refused.status == 1 && refused.stderr.contains("(the base URL is from environment FLIREO_BASE_URL)"), "\(refused.stderr)")
        let wrong = try Subprocess.run(["--base-url", server.baseURL, "-e", "flireo.assistants():list()"],
                                       environment: stale.merging(["FLIREO_API_KEY": "sk_stale_key_987654"]) { $1 })
        #expect(wrong.status == 1 && wrong.stderr.contains("unauthorized (401)"), "\(wrong.stderr)")
        #expect(wrong.stderr.contains("(the API key is from environment FLIREO_API_KEY)"), "\(wrong.stderr)")
        #expect(!wrong.stderr.contains("sk_stale_key_987654"))
    }

    @Test("a script file that takes on the bulk contract (a mutating cli.parse, cli.on_interrupt) ends as a shipped script")
    func scriptFilesTakeTheBulkContract() throws {
        let directory = try Subprocess.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let piped = directory.appendingPathComponent("piped.lua")
        try """
            local cli = require "flireo.cli"
            local opts = cli.parse(arg, {mutating = true})
            print(flireo.assistants():count())
            for i = 1, 100000 do print(i) end
            """.write(to: piped, atomically: true, encoding: .utf8)
        // `mine.lua --dry-run plan.csv | head`: the note and 141, not a traceback and 1.
        let head = try Subprocess.run("/bin/bash", ["-c", "'\(Subprocess.flireo)' --sandbox '\(piped.path)' | head -1; echo \"status ${PIPESTATUS[0]}\""])
        #expect(head.stdout.hasSuffix("status 141\n"), "\(head.stdout) \(head.stderr)")
        #expect(head.stderr.contains("piped.lua: stopped: its standard output was closed; "), "\(head.stderr)")
        #expect(!head.stderr.contains("stack traceback"), "\(head.stderr)")
        // Ctrl-C after cli.on_interrupt: its note and 130.
        let waiting = directory.appendingPathComponent("waiting.lua")
        try """
            require("flireo.cli").on_interrupt("J.jsonl")
            print("ready")
            for i = 1, 300 do sleep(0.1) end
            """.write(to: waiting, atomically: true, encoding: .utf8)
        let stopped = try Subprocess.run([waiting.path], interruptOnOutput: "ready")
        #expect(stopped.status == 130, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("waiting.lua: interrupted; the journal J.jsonl records what was done"), "\(stopped.stderr)")
        // --resume is offered only by a script that continues runs (QA round 17: a script of
        // one's own was told to re-run with a --resume it never implemented), and undo only for
        // a journal with a plan (QA round 28: J.jsonl is none, and undo would refuse it).
        #expect(!stopped.stderr.contains("--resume") && !stopped.stderr.contains("undo"), "\(stopped.stderr)")
        for (spec, offered) in [("{mutating = true}", false), ("{mutating = true, resumable = true}", true)] {
            let journaled = directory.appendingPathComponent("journaled.lua")
            try """
                local cli = require "flireo.cli"
                local opts = cli.parse(arg, \(spec))
                local j = require("flireo.journal").create("\(directory.path)/own.jsonl", {script = opts.script})
                j:write_plan({{seq = 1, key = "a", action = "unlink"}})
                cli.on_interrupt(j.path)
                print("ready")
                for i = 1, 300 do sleep(0.1) end
                """.write(to: journaled, atomically: true, encoding: .utf8)
            try? FileManager.default.removeItem(at: directory.appendingPathComponent("own.jsonl"))
            // (Not --sandbox: a rehearsal's journal is neither resumed nor undone. No request is made.)
            let account = ["FLIREO_BASE_URL": "http://127.0.0.1:9", "FLIREO_API_KEY": "sk_unused_key_123456"]
            let first = try Subprocess.run([journaled.path, "--yes"], environment: account, interruptOnOutput: "ready")
            #expect(first.status == 130 && first.stderr.contains("--resume`") == offered, "\(spec): \(first.stderr)")
            #expect(first.stderr.contains("revert it with `flireo run undo \(directory.path)/own.jsonl`"), "\(spec): \(first.stderr)")
            // Given --resume all the same, the script that does not continue runs says so.
            let again = try Subprocess.run([journaled.path, "--yes", "--resume"], environment: account)
            #expect(again.status == 1, "\(again.stderr)")
            #expect(again.stderr.contains("--resume was given, but this script does not continue runs") == !offered,
                    "\(spec): \(again.stderr)")
        }
    }

    @Test("tasks run on the HTTP client's event loops; FLIREO_EXECUTOR=default keeps Swift's pool")
    func executor() throws {
        // Concurrent requests, then the names of the process's threads: Swift's own pool
        // (libdispatch's "com.apple.root.user-initiated-qos", cut to its last 15
        // characters by Linux) only exists when the event loops were not adopted.
        let script = """
            local pages = flireo.parallel({1, 2, 3, 4, 5, 6, 7, 8}, function(i)
              return flireo.assistants({page_size = 5})().id
            end, {concurrency = 8})
            local pid = io.open("/proc/self/stat"):read("l"):match("^(%d+)")
            local names = io.popen("cat /proc/" .. pid .. "/task/*/comm"):read("a")
            local pool = select(2, names:gsub("initiated%-qos", ""))
            print(#pages, names:find("NIO%-SGLTN") ~= nil, pool)
            """
        let adopted = try Subprocess.run(["--sandbox", "-"], stdin: script)
        #expect(adopted.status == 0, "\(adopted.stderr)")
        #expect(adopted.stdout == "8\ttrue\t0\n")
        let pool = try Subprocess.run(["--sandbox", "-"], stdin: script, environment: ["FLIREO_EXECUTOR": "default"])
        #expect(pool.status == 0, "\(pool.stderr)")
        let fields = pool.stdout.split(separator: "\t")
        #expect(fields.first == "8" && (Int(fields.last?.dropLast() ?? "") ?? 0) > 0, "\(pool.stdout)")
    }

    @Test("without a base URL the first API call says how to fix it; plain Lua still runs")
    func noBaseURL() throws {
        let plain = try Subprocess.run(["-e", "print('no API needed')"], environment: clean)
        #expect(plain.status == 0)
        // flireo.clock() counts from the start: never below zero, even on its first call.
        let clock = try Subprocess.run(["-e", "local t = flireo.clock() print(t >= 0 and t < 5)"], environment: clean)
        #expect(clock.stdout == "true\n", "\(clock.stdout)")
        let api = try Subprocess.run(["-e", "flireo.assistants():list()"], environment: clean)
        #expect(api.status == 1)
        #expect(api.stderr.contains("configuration"))
        #expect(api.stderr.contains("--sandbox"))
    }

    @Test("--dry-run prints one plan line per mutation on stderr and sends none")
    func dryRun() throws {
        let script = """
            local fx = flireo.request("GET", "/_sandbox/fixture").data
            local a = flireo.assistant(fx.assistant_without_number)
            a:link(fx.free_custom_number)
            flireo.assistant(fx.assistant_with_custom_number):unlink()
            local s = flireo.request("GET", "/_sandbox/stats").data
            local sent = 0
            for route, n in pairs(s.routes) do if route:match("^POST") or route:match("^DELETE") then sent = sent + n end end
            print("mutations sent", sent)
            """
        let result = try Subprocess.run(["--sandbox", "--dry-run", "-"], stdin: script)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "mutations sent\t0\n")
        let plan = result.stderr.split(separator: "\n").filter { $0.hasPrefix("dry-run: ") }
        #expect(plan.count == 2, "\(result.stderr)")
        #expect(plan.first?.hasPrefix("dry-run: link ") == true)
        #expect(plan.last?.hasPrefix("dry-run: unlink ") == true)
    }

    @Test("--verbose traces requests on stderr without the key")
    func verbose() throws {
        let result = try Subprocess.run(["--sandbox", "--verbose", "-e", "flireo.assistants({page_size = 5})()"])
        #expect(result.status == 0)
        #expect(result.stderr.contains("GET /v1/assistants"))
        #expect(!result.stderr.contains("sk_sandbox_0123456789abcdef"))
        // A second client's lines name its server, so two clients' traces can be told apart.
        let two = try Subprocess.run(["--sandbox", "--verbose", "-e", """
            local other = flireo.connect{base_url = flireo.base_url, api_key_env = "SANDBOX_KEY"}
            other.assistants():count() print(flireo.base_url)
            """], environment: ["SANDBOX_KEY": "sk_sandbox_0123456789abcdef"])
        let server = two.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(two.status == 0 && two.stderr.contains("flireo: [\(server)] GET /v1/assistants"), "\(two.stderr)")
        // Not even in the first line, where each setting's source is said: a key pasted where
        // the base URL belongs.
        let key = "sk_test_AAAAbbbbCCCCdddd1234"
        let pasted = try Subprocess.run(["--verbose", "--base-url", "https://\(key)", "-e", "print(1)"], environment: ["FLIREO_API_KEY": key])
        #expect(pasted.stderr.contains("flireo: base URL https://[redacted] (flag --base-url)"), "\(pasted.stderr)")
        #expect(!pasted.stderr.contains(key), "\(pasted.stderr)")
    }

    @Test("bad flireo options are one clear line and exit 1", arguments: [
        (["--base-url"], "flireo: '--base-url' needs argument"),
        (["--sandboxx"], "flireo: unrecognized option '--sandboxx'"),
        (["--dry-run=yes"], "flireo: option '--dry-run' takes no value"),
        (["--sandbox", "--base-url", "http://127.0.0.1:1", "-e", "print(1)"], "flireo: --sandbox cannot be combined with --base-url or --profile"),
        (["--rate-limit", "5/", "-e", "print(1)"], "flireo: configuration: Invalid rate limit \"5/\" in --rate-limit"),
        (["--rate-limit", "fast", "-e", "print(1)"], "flireo: configuration: Invalid rate limit \"fast\" in --rate-limit"),
        // A profile named on the command line that is not there is said before the script runs.
        (["--profile", "nonexist", "-e", "print('ran')"], "flireo: Profile \"nonexist\" not found"),
    ])
    func badOptions(arguments: [String], message: String) throws {
        let result = try Subprocess.run(arguments, environment: clean)
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix(message), "\(result.stderr)")
    }

    @Test("FLIREO_PROFILE naming a profile that is not there is said before the script runs")
    func unknownProfileFromEnvironment() throws {
        let result = try Subprocess.run(["-e", "print('ran')"], environment: clean.merging(["FLIREO_PROFILE": "nonexist"]) { $1 })
        #expect(result.status == 1)
        #expect(result.stderr.hasPrefix("flireo: Profile \"nonexist\" not found"), "\(result.stderr)")
        #expect(!result.stdout.contains("ran"))
    }

    @Test("http:// to another host is refused unless --allow-http")
    func insecureHTTP() throws {
        let refused = try Subprocess.run(["--base-url", "http://flireo.example", "-e", "flireo.assistants():list()"],
                                         environment: clean.merging(["FLIREO_API_KEY": "sk_test_key_123456"]) { $1 })
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("--allow-http") || refused.stderr.contains("http://"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("sk_test_key_123456"))
    }

    @Test("the API key, whole or in part, never reaches stderr, whatever built the message")
    func keyNeverOnStderr() throws {
        // A key of no known format, so only the process's own knowledge of it can hide it.
        let key = "flireoKeyOfNoFormat0123456789"
        var environment = clean
        environment["FLIREO_BASE_URL"] = "http://127.0.0.1:9"
        environment["FLIREO_API_KEY"] = key
        let chunks = [
            // A table key: LuaKit's option check and json.encode's path quote keys.
            "flireo.parallel({1}, print, {[K] = 1})",
            "json.encode({[K] = print})",
            // A cut or re-cased copy.
            "flireo.assistant(K:sub(1, 20))",
            "flireo.assistant(K:upper())",
            // The script's own error, raised in a task.
            "flireo.spawn(function() error('boom ' .. K:sub(3)) end)",
        ]
        for chunk in chunks {
            let result = try Subprocess.run(["-e", "local K = os.getenv('FLIREO_API_KEY'); " + chunk], environment: environment)
            #expect(result.status == 1, "\(chunk): \(result.stderr)")
            #expect(!result.stderr.lowercased().contains(key.dropFirst(6).prefix(14).lowercased()), "\(chunk): \(result.stderr)")
            #expect(result.stderr.contains("[redacted]") || result.stderr.contains("not shown"), "\(chunk): \(result.stderr)")
        }
        // A bulk script's error about a file named after the key, and one about an argument.
        let script = try Subprocess.run(["run", "link-from-csv", "--yes", key + ".csv"], environment: environment)
        #expect(script.status == 1 && script.stderr.contains("cannot open [redacted].csv"), "\(script.stderr)")
        let argument = try Subprocess.run(["run", "unlink", "--dry-run", key], environment: environment)
        #expect(argument.status == 1 && argument.stderr.contains("\"[redacted]\" is not an assistant id"), "\(argument.stderr)")
        // What Lua itself writes to stderr; other files get exactly what was written.
        let own = try Subprocess.run(["-e", """
            local K = os.getenv('FLIREO_API_KEY')
            io.stderr:write('mine: ', K:sub(1, 11), K:sub(12), '\\n') warn('@on') warn('warned: ', K:sub(1, 11), K:sub(12))
            io.output(io.stderr) io.write('default output: ', K, '\\n') io.output(io.stdout)
            io.stdout:write(K == os.getenv('FLIREO_API_KEY') and 'kept\\n' or 'changed\\n')
            """], environment: environment)
        #expect(own.status == 0 && own.stdout == "kept\n", "\(own.stderr)")
        #expect(own.stderr.contains("mine: [redacted]") && own.stderr.contains("warned: [redacted]"), "\(own.stderr)")
        #expect(own.stderr.contains("default output: [redacted]"), "\(own.stderr)")
        // Errors of file:write still name the caller and 'write', as lua says them.
        let misuse = try Subprocess.run(["-e", "io.stderr:write({})"], environment: environment)
        #expect(misuse.stderr.contains("(command line):1: bad argument #1 to 'write' (string expected, got table)"), "\(misuse.stderr)")
        #expect(!own.stderr.contains("0123456789"), "\(own.stderr)")
        // Written in pieces that each go out (flushed, or stderr unbuffered): at most the
        // first 11 characters show, fewer than the 12 that are masked anywhere.
        let pieces = try Subprocess.run(["-e", """
            local K = os.getenv('FLIREO_API_KEY')
            for i = 1, #K, 4 do io.stderr:write(K:sub(i, i + 3)) io.stderr:flush() end
            io.stderr:write(' after\\n')
            io.stderr:setvbuf('no')
            for i = 1, #K do io.stderr:write(K:sub(i, i)) end
            io.stderr:write(' and ', K:sub(1, 14)) io.stderr:write(K:sub(15), ' end\\n')
            """], environment: environment)
        #expect(pieces.status == 0, "\(pieces.stderr)")
        let lines = pieces.stderr.split(separator: "\n").map(String.init)
        #expect(lines == ["flireoKe[redacted] after", "flireoKeyOf[redacted] and [redacted] end"], "\(pieces.stderr)")
    }
}

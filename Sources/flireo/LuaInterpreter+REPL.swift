#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI
import FlireoLua
import FlireoREPL
import LuaKit

extension LuaInterpreter {
    /// Opens the REPL on `state`: with no script on a terminal, or after the script with `-i`.
    func runREPL(_ state: LuaState, options: LuaOptions, session: FlireoSession) {
        let environment = ProcessEnvironment.current
        InterruptedMutations.reported = true
        // Dry run can be switched on and off in the session (flireo.config.dry_run): the
        // prompt says which mode the next line runs in.
        let dryRunProbe = try? state.load(
            "return type(flireo) == 'table' and type(flireo.config) == 'table' and flireo.config.dry_run == true",
            name: "=prompt")
        // Called directly, not through the scheduler: a call there would also run the
        // background tasks that are ready, before the prompt is even asked for (a task busy
        // from its first instruction then kept the prompt from ever showing).
        let dryRun = { () -> Bool in
            guard let dryRunProbe else { return false }
            let top = state.stackTop
            defer { state.setStackTop(top) }
            dryRunProbe.push(on: state.L)
            guard (try? state.protectedCall(nargs: 0, nresults: 1)) != nil, case .boolean(true)? = try? state.value(at: -1) else {
                return false
            }
            return true
        }
        let banner = REPLConfiguration.Banner(
            versionLine: "flireo \(Usage.version) — \(Usage.luaCopyright)",
            target: session.target.map { dryRun() ? $0 + " — dry run: mutations are predicted, not sent" : $0 },
            // The first assistant from one page (a whole listing of a large account takes
            // minutes at the documented pace), and a link only where nothing real changes.
            examples: options.flags.sandbox
                ? ["a = flireo.assistants()()", "a:phone()", "a:link(flireo.phone_numbers{available = true}())", "help()"]
                : ["a = flireo.assistants()()", "a:phone()", "flireo.phone_numbers{available = true}:count()", "help()"]
        )
        var configuration = REPLConfiguration(banner: banner, environment: environment)
        configuration.promptMode = { dryRun() ? "dry-run" : nil }
        configuration.scrub = KnownSecrets.redact
        if options.ignoreEnvironment { configuration.startupFile = nil }
        configuration.secrets = [environment["FLIREO_API_KEY"], session.client.apiKey].compactMap { $0 }
            .flatMap { [$0, FlireoConfiguration.trimmedKey($0)] }
        let client = session.client
        configuration.stringCompletions = { before, prefix in
            guard let kind = client.completionKind(before: before) else { return [] }
            // The account's listing, a page per Tab (Tab stays snappy, and spends one request
            // of the rate limit; the next Tab reads the next page). The keyboard waits at most
            // a second for it (QA round 30: 2.7 s on a slow server, keys and Ctrl-C held; round
            // 31: 0.6 s left a first Tab at 1 s of latency without an answer): a page still
            // coming then goes on, and the next Tab shows it.
            if client.shouldFetch(kind) {
                blockingAwait { await client.fetchForCompletion(kind, timeout: .seconds(1)) }
            }
            return client.completions(before: before, prefix: prefix)
        }
        configuration.moduleNames = FlireoStdlib.moduleNames.filter { !$0.hasPrefix("meta.") }
        configuration.hiddenModules = ["flireo.native", "flireo.core."]
        // The stubs and the modules scripts use; the flireo module's own parts (core) and
        // the natives under the modules (meta.bulk, meta.native) are implementation.
        configuration.documentation = FlireoStdlib.moduleSources.filter {
            !$0.key.hasPrefix("flireo.core.") && $0.key != "meta.bulk" && $0.key != "meta.native"
        }
        REPL(state: state, configuration: configuration).run()
    }
}

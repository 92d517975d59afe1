#if canImport(Glibc)
import Glibc
#endif
import FlireoLua
import FlireoREPL
import LuaKit

extension LuaInterpreter {
    /// Opens the REPL on `state`: with no script on a terminal, or after the script with `-i`.
    func runREPL(_ state: LuaState, options: LuaOptions, session: FlireoSession) {
        let environment = ProcessEnvironment.current
        let banner = REPLConfiguration.Banner(
            versionLine: "flireo \(Usage.version) — \(Usage.luaCopyright)",
            target: session.target,
            examples: [
                "a = flireo.assistants():list()[1]",
                "a:phone()",
                "a:link(flireo.phone_numbers{available = true}:list()[1])",
            ]
        )
        var configuration = REPLConfiguration(banner: banner, environment: environment)
        if options.ignoreEnvironment { configuration.startupFile = nil }
        configuration.secrets = [environment["FLIREO_API_KEY"], session.client.apiKey].compactMap { $0 }
        configuration.stringCompletions = { before, prefix in
            session.client.completions(before: before, prefix: prefix)
        }
        if session.client.baseURL != nil, isatty(0) != 0 { prefetchCompletions(state) }
        configuration.moduleNames = FlireoStdlib.moduleNames.filter { !$0.hasPrefix("meta.") }
        configuration.documentation = FlireoStdlib.moduleSources
        REPL(state: state, configuration: configuration).run()
    }

    /// Fetches the first page of assistants and numbers in the background, so that ids
    /// complete from the first prompt.
    private func prefetchCompletions(_ state: LuaState) {
        _ = try? state.run("""
            spawn(function()
              pcall(function() flireo.assistants({page_size = 100})() end)
              pcall(function() flireo.phone_numbers({page_size = 100})() end)
            end)
            """, name: "=(prefetch)")
    }
}

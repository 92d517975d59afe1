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
            .flatMap { [$0, FlireoConfiguration.trimmedKey($0)] }
        let client = session.client
        configuration.stringCompletions = { before, prefix in
            guard let kind = client.completionKind(before: before) else { return [] }
            // The account's listing, read once (Tab stays snappy: at most 3 s a time, and a
            // listing cut short goes on at the next Tab).
            if client.shouldFetch(kind) {
                blockingAwait { await client.fetchForCompletion(kind, timeout: .seconds(3)) }
            }
            return client.completions(before: before, prefix: prefix)
        }
        configuration.moduleNames = FlireoStdlib.moduleNames.filter { !$0.hasPrefix("meta.") }
        configuration.documentation = FlireoStdlib.moduleSources
        REPL(state: state, configuration: configuration).run()
    }
}

import FlireoLua
import FlireoREPL
import LuaKit

extension LuaInterpreter {
    /// Opens the REPL on `state`: with no script on a terminal, or after the script with `-i`.
    func runREPL(_ state: LuaState, options: LuaOptions) {
        let environment = ProcessEnvironment.current
        let banner = REPLConfiguration.Banner(
            versionLine: "flireo \(Usage.version) — \(Usage.luaCopyright)",
            target: environment["FLIREO_BASE_URL"],
            examples: [
                "t = spawn(function() sleep(1) return \"done\" end)",
                "t:wait()",
                "json.encode({numbers = {1, 2.5}, none = json.null})",
            ]
        )
        var configuration = REPLConfiguration(banner: banner, environment: environment)
        if options.ignoreEnvironment { configuration.startupFile = nil }
        configuration.secrets = [environment["FLIREO_API_KEY"]].compactMap { $0 }
        configuration.moduleNames = FlireoStdlib.moduleNames.filter { !$0.hasPrefix("meta.") }
        configuration.documentation = FlireoStdlib.moduleSources
        REPL(state: state, configuration: configuration).run()
    }
}

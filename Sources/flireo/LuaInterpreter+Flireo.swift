import FlireoAPI
import FlireoLua
import FlireoSandbox
import LuaKit

/// The `flireo` client of an interpreter run: where it points (a server, or the
/// in-process sandbox) and the global it installs.
struct FlireoSession {
    let client: FlireoClientObject
    let sandbox: Sandbox?

    /// What the REPL's banner shows as the target.
    var target: String? {
        if let sandbox { return "sandbox (\(sandbox.baseURL))" }
        if let url = client.baseURL { return url + (client.profile.map { " (profile \($0))" } ?? "") }
        return client.configurationProblem.map { "not configured: \($0)" }
    }

    /// Starts the sandbox when asked, then installs `flireo` into `state`.
    /// - Returns: the session, or nil after printing why it could not start.
    static func start(_ state: LuaState, flags: FlireoFlags, environment: [String: String]) -> FlireoSession? {
        var options = FlireoRuntimeOptions()
        options.flags = flags.configuration
        options.environment = environment
        options.dryRun = flags.dryRun
        options.verbose = flags.verbose
        // A mistyped flag is reported now, not at the first request (or never).
        if let spec = flags.configuration.rateLimit {
            do {
                _ = try RateLimit.parse(spec, source: "--rate-limit")
            } catch {
                Output.err("flireo: \(error)\n")
                return nil
            }
        }
        var sandbox: Sandbox?
        if flags.sandbox {
            if flags.configuration.baseURL != nil || flags.configuration.profile != nil {
                Output.err("flireo: --sandbox cannot be combined with --base-url or --profile\n")
                return nil
            }
            let started: Result<Sandbox, any Error> = blockingAwait {
                do { return .success(try await Sandbox.start()) } catch { return .failure(error) }
            }
            switch started {
            case .success(let running):
                sandbox = running
                options.flags.baseURL = running.baseURL
                options.flags.apiKey = running.apiKeys.first
                (options.flags.baseURLSource, options.flags.apiKeySource) = ("--sandbox", "--sandbox")
                // No account is needed: the user's config file and FLIREO_PROFILE stay out.
                options.flags.readsProfiles = false
                // Scripts name the key by its variable (connect{api_key_env = "FLIREO_API_KEY"}):
                // under --sandbox it is the sandbox's, even with a real one exported.
                options.environment["FLIREO_API_KEY"] = running.apiKeys.first
                // The sandbox has no rate limit unless asked: pacing it at the documented
                // 100/min would only slow rehearsals down.
                if options.flags.rateLimit == nil { options.flags.rateLimit = "off" }
            case .failure(let error):
                Output.err("flireo: cannot start the sandbox: \(error)\n")
                return nil
            }
        }
        do {
            let client = try FlireoRuntime.install(into: state, options: options)
            // An account asked for by name (--profile, FLIREO_PROFILE) that cannot be used (a
            // profile not there, its key's variable unset) is said now, as a mistyped option
            // is, not at the first request.
            let named = flags.configuration.profile != nil || !(environment["FLIREO_PROFILE"] ?? "").allSatisfy(\.isWhitespace)
            if named, let problem = client.configurationProblem {
                Output.err("flireo: \(problem)\n")
                return nil
            }
            // NIO ignores SIGPIPE: without this, `flireo script.lua | head` would go on.
            state.watchStandardOutput()
            return FlireoSession(client: client, sandbox: sandbox)
        } catch {
            Output.err("flireo: cannot load the flireo module: \(error.description)\n")
            return nil
        }
    }

    /// Stops the in-process sandbox, if any.
    func stop() {
        guard let sandbox else { return }
        blockingAwait { await sandbox.stop() }
    }
}

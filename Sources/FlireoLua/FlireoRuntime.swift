import FlireoAPI
import LuaKit

#if canImport(Glibc)
import Glibc
#endif

/// How the host configures the global `flireo` client.
public struct FlireoRuntimeOptions: Sendable {
    /// Flags from the command line (`--base-url`, `--profile`, `--rate-limit`, …).
    public var flags = ConfigurationFlags()
    /// The process environment (`FLIREO_BASE_URL`, `FLIREO_API_KEY`, `FLIREO_PROFILE`).
    public var environment: [String: String] = [:]
    /// `--dry-run`: mutations are predicted, not sent.
    public var dryRun = false
    /// `--verbose`: every request, retry and reconciliation is traced on stderr.
    public var verbose = false

    /// Options with everything off.
    public init() {}
}

/// Installs the `flireo` module into a state: the native part (`flireo.native`) and the
/// Lua part (`stdlib/flireo/init.lua`), and sets the global `flireo`.
public enum FlireoRuntime {
    /// Installs the module and returns the global client (its key must be kept out of
    /// the host's own output, its base URL shown in banners).
    /// - Throws: `LuaError` if the Lua part fails to load (it never should).
    @discardableResult
    public static func install(into state: LuaState, options: FlireoRuntimeOptions) throws(LuaError) -> FlireoClientObject {
        _ = processStart  // flireo.clock() counts from here
        let client = FlireoClientObject(configuration: resolve(options.flags, options))
        // The last scrub for what Lua writes to stderr: no API key reaches it, whole or in part.
        state.filterStandardError(KnownSecrets.redact)
        state.register(AssistantObject.self)
        state.register(FlireoClientObject.self)

        var native: [(String, LuaValue)] = [
            ("default_client", .object(client)),
            ("dry_run", .boolean(options.dryRun)),
            ("version", .string(FlireoVersion.string)),
        ]
        native.append(("null", .null))
        state.push(.table(LuaTable(fields: native)), on: state.L)
        addFunctions(to: state, options: options)
        state.setLoadedModule("flireo.native")

        let count = try state.callKeepingResults(state.globalRef("require"), arguments: ["flireo"])
        state.setStackTop(state.stackTop - count + 1)
        state.setRawGlobal("flireo")
        return client
    }

    /// The functions of `flireo.native`, added to the table on top of the stack.
    private static func addFunctions(to state: LuaState, options: FlireoRuntimeOptions) {
        let functions: [(String, LuaFunction)] = [
            ("connect", { call in
                let settings = try call.value(1)
                var flags = ConfigurationFlags()
                flags.baseURL = settings["base_url"].stringValue
                flags.profile = settings["profile"].stringValue
                flags.rateLimit = settings["rate_limit"].stringValue
                // The run's own pacing (--rate-limit, or the sandbox's none) unless this
                // client names its own, or a profile that may.
                if flags.rateLimit == nil, flags.profile == nil { flags.rateLimit = options.flags.rateLimit }
                // Checked here so that a mistake names where it was made: an argument mistake.
                if let spec = flags.rateLimit {
                    do {
                        _ = try RateLimit.parse(spec, source: "connect{rate_limit}")
                    } catch let error as FlireoError {
                        throw FlireoError(code: .invalidParameters, message: error.message,
                                          details: .object(["parameter": .string("opts.rate_limit")]))
                    }
                }
                flags.baseURLSource = "connect{base_url}"
                // A URL that can name no server is said before what else the client lacks.
                if let url = flags.baseURL { try FlireoConfiguration.checkBaseURLSyntax(url) }
                if let variable = settings["api_key_env"].stringValue {
                    let shown = FlireoConfiguration.isVariableName(variable)
                    guard let key = options.environment[variable], !key.isEmpty else {
                        throw FlireoError.configuration(shown
                            ? "$\(variable) (api_key_env) is not set in the environment"
                            : "api_key_env names no variable set in the environment (not shown: it does not look like a name)")
                    }
                    flags.apiKey = key
                    flags.apiKeySource = shown ? "environment \(variable) (connect{api_key_env})" : "the environment (connect{api_key_env})"
                }
                let named = flags.baseURL != nil || flags.profile != nil
                if !named {
                    // No server named: the run's own (--base-url, --profile, --sandbox), as the
                    // global client's.
                    flags.baseURL = options.flags.baseURL
                    flags.baseURLSource = options.flags.baseURLSource
                    flags.profile = options.flags.profile
                    flags.readsProfiles = options.flags.readsProfiles
                    if flags.apiKey == nil { (flags.apiKey, flags.apiKeySource) = (options.flags.apiKey, options.flags.apiKeySource) }
                } else if flags.profile == nil, flags.apiKey == nil {
                    // Another server must not borrow the run's key (nor the default profile's).
                    throw FlireoError.configuration(
                        "connect{base_url = …} needs api_key_env, naming the variable that holds that server's key "
                            + "(the run's own key is not sent to another server), or a profile"
                    )
                }
                // An explicit server or profile does not take FLIREO_BASE_URL, FLIREO_API_KEY
                // or FLIREO_PROFILE as settings: the run's account is not borrowed.
                let client = FlireoClientObject(configuration: resolve(flags, options, environmentSettings: !named, connected: true))
                _ = try client.configurationOrError()
                call.push(object: client)
                return 1
            }),
            ("assistant", { call in
                let client = try call.object(1, as: FlireoClientObject.self)
                let id = try call.string(2)
                client.remember(assistants: [id])
                call.push(object: AssistantObject(client: client, id: id, name: try call.optionalString(3)))
                return 1
            }),
            ("clock", { call in
                // The start first: a global is made on its first use, which must not come after `now`.
                let start = processStart
                let elapsed = ContinuousClock.now - start
                call.push(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                return 1
            }),
            // table(array, fields) -> a table sized for that many items (a large column
            // grown one doubling at a time leaves each old copy behind as garbage).
            ("table", { call in
                let array = try call.integer(1), fields = try call.optionalInteger(2) ?? 0
                guard (0...50_000_000).contains(array), (0...50_000_000).contains(fields) else {
                    throw LuaArgumentError(index: array < 0 || array > 50_000_000 ? 1 : 2, message: "a size from 0 to 50000000 expected")
                }
                call.pushTable(array: Int(array), fields: Int(fields))
                return 1
            }),
            // canonical_url(text) -> the base URL spelled as the client spells it (journals
            // written with another spelling are the same server's).
            ("canonical_url", { call in
                call.push(FlireoConfiguration.canonicalBaseURL(try call.string(1)))
                return 1
            }),
            ("is_uuid", { call in
                call.push(FlireoValidation.isUUID(try call.string(1)))
                return 1
            }),
            ("holds_secret", { call in
                call.push(KnownSecrets.occur(in: try call.string(1)))
                return 1
            }),
            ("redact", { call in
                call.push(KnownSecrets.redact(try call.string(1)))
                return 1
            }),
            ("is_e164", { call in
                call.push(FlireoValidation.isE164(try call.string(1)))
                return 1
            }),
            ("error_metatable", { call in
                call.state.pushErrorMetatable(on: call.L)
                return 1
            }),
            ("assistant_methods", { call in
                call.state.pushMethodTable(ofType: AssistantObject.luaTypeName, on: call.L)
                return 1
            }),
        ]
        for (name, function) in functions {
            state.pushFunction(function)
            state.setField(name)
        }
    }

    /// The configuration from flags, environment and profile; with `--verbose`, a trace
    /// on stderr (the key never appears in it).
    /// - Parameter connected: a client of `flireo.connect`: its trace lines name its server,
    ///   so that two clients' lines can be told apart.
    static func resolve(
        _ flags: ConfigurationFlags, _ options: FlireoRuntimeOptions, environmentSettings: Bool = true, connected: Bool = false
    ) -> Result<FlireoConfiguration, FlireoError> {
        do {
            var configuration = try FlireoConfiguration.resolve(
                flags: flags, environment: options.environment, environmentSettings: environmentSettings
            )
            // On a terminal, on a line of its own: a progress bar's partial line is cleared
            // (it is drawn again at its next step).
            configuration.notice = { message in writeStandardError((isatty(2) != 0 ? "\r\u{1B}[K" : "") + "flireo: \(message)\n") }
            if options.verbose {
                let server = connected ? "[\(configuration.baseURL ?? "?")] " : ""
                configuration.trace = { event in writeStandardError("flireo: \(server)\(event)\n") }
                // Where each setting came from (the key itself never: "API key set (…)").
                writeStandardError("flireo: \(configuration)\n")
            }
            return .success(configuration)
        } catch let error as FlireoError {
            return .failure(error)
        } catch {
            return .failure(FlireoError.configuration("\(error)"))
        }
    }
}

extension FlireoClientObject {
    /// The configuration, or its error as a thrown `FlireoError`.
    func configurationOrError() throws -> FlireoConfiguration {
        try configurationResult.get()
    }
}

/// The instant `flireo.clock()` counts from.
private let processStart = ContinuousClock.now

/// Writes to stderr from any thread, with any key the process holds masked (a key
/// pasted where the base URL belongs would otherwise show in `--verbose`'s first line).
func writeStandardError(_ text: String) {
    let text = KnownSecrets.redact(text)
    if HostMessages.deliver(text) { return }
    writeFully(2, text)
}

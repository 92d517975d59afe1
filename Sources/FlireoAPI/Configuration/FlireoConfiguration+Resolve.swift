extension FlireoConfiguration {
    /// Resolves the configuration from flags, environment and the config file, each
    /// setting taken from the first that has it: flags, then the environment
    /// (`FLIREO_BASE_URL`, `FLIREO_API_KEY`, `FLIREO_PROFILE`), then the profile in
    /// `<configDirectory>/config`, an INI-like file. A profile named on purpose
    /// (`--profile`, `FLIREO_PROFILE`) is the account asked for: its `base_url` and key
    /// come right after the flags, before `FLIREO_BASE_URL` and `FLIREO_API_KEY`.
    ///
    /// ```ini
    /// # Lines starting with # or ; are comments. Values may be quoted.
    /// [default]
    /// base_url = https://api.flireo.example
    /// # A key in the file requires mode 0600 (chmod 600 ~/.config/flireo/config).
    /// api_key = sk_live_…
    /// # 100 (per minute), 100/min, 5/s, 3000/h or off.
    /// rate_limit = 100/min
    ///
    /// [profile staging]
    /// base_url = https://staging.flireo.example
    /// # Read the key from this environment variable instead.
    /// api_key_env = FLIREO_STAGING_KEY
    /// allow_insecure_http = false
    /// ```
    ///
    /// The profile is `--profile`, else `FLIREO_PROFILE`, else `default` (`[default]` or
    /// `[profile default]`); naming a profile that does not exist is an error, a missing
    /// `default` is not. Unknown settings are errors naming the line. A file holding an
    /// `api_key` in any profile is refused unless only its owner can read it. Error
    /// messages never quote a value, and any key met on the way is masked in them.
    ///
    /// - Parameters:
    ///   - flags: the command-line settings.
    ///   - environment: the process environment (pass `ProcessInfo.processInfo.environment`).
    ///   - configDirectory: the directory holding `config`; `nil` means
    ///     `$XDG_CONFIG_HOME/flireo`, else `$HOME/.config/flireo`.
    ///   - environmentSettings: whether `FLIREO_BASE_URL`, `FLIREO_API_KEY` and
    ///     `FLIREO_PROFILE` count (false for a second client that names its own server or
    ///     profile: it must not borrow the run's key); a variable a profile's
    ///     `api_key_env` names is read either way.
    /// - Returns: a configuration with a validated base URL and an API key.
    /// - Throws: ``FlireoError`` `configuration`: no base URL (suggesting `--sandbox`), no
    ///   key, an unknown profile, a malformed file, a key file readable by others (with the
    ///   `chmod 600` fix), an invalid URL or `http://` to a non-loopback host.
    public static func resolve(
        flags: ConfigurationFlags,
        environment: [String: String],
        configDirectory: String? = nil,
        environmentSettings: Bool = true
    ) throws -> FlireoConfiguration {
        // Any key this resolution could meet is masked in its errors.
        var secrets = [flags.apiKey, environment["FLIREO_API_KEY"]].compactMap { $0 }
        do {
            return try resolveUnredacted(
                flags: flags, environment: environment, configDirectory: configDirectory, environmentSettings: environmentSettings
            ) { file in
                for profile in file.profiles.values {
                    // An api_key_env that is no variable's name may be a key pasted there.
                    let pasted = profile["api_key_env"].map(\.value).flatMap { isVariableName($0) ? nil : $0 }
                    secrets += [profile["api_key"]?.value, pasted, profile["api_key_env"].flatMap { environment[$0.value] }]
                        .compactMap { $0 }
                }
            }
        } catch let error as FlireoError {
            throw Redactor(secrets: secrets).scrub(error)
        }
    }

    private static func resolveUnredacted(
        flags: ConfigurationFlags,
        environment: [String: String],
        configDirectory: String?,
        environmentSettings: Bool,
        noteKeys: (ProfileFile) -> Void
    ) throws -> FlireoConfiguration {
        func env(_ name: String) -> String? {
            guard let value = environment[name], !value.trimmingSpaces.isEmpty else { return nil }
            return value
        }
        // FLIREO_BASE_URL, FLIREO_API_KEY and FLIREO_PROFILE as settings; without them (a
        // second client that names its own server or profile), a variable is still read
        // where a profile's api_key_env names it.
        func setting(_ name: String) -> String? { environmentSettings ? env(name) : nil }
        let directory = flags.readsProfiles ? configDirectory ?? defaultConfigDirectory(environment: environment) : nil
        let path = directory.map { $0 + "/config" }
        let explicitProfile = flags.readsProfiles ? flags.profile ?? setting("FLIREO_PROFILE") : nil
        let profileName = explicitProfile ?? "default"
        let file = try path.flatMap { try ProfileFile.load(path: $0, noteKeys: noteKeys) }
        let profile = file?.profiles[profileName]
        if let explicitProfile, profile == nil {
            throw FlireoError.configuration(unknownProfileMessage(explicitProfile, file: file, path: path))
        }
        let profileSource = "profile '\(profileName)' in \(path ?? "config")"

        var configuration = FlireoConfiguration(baseURL: nil, apiKey: nil)
        configuration.sources.profile = profile == nil ? nil : profileName

        // A profile named on purpose (--profile, FLIREO_PROFILE) is the account asked for:
        // its own settings come before FLIREO_BASE_URL and FLIREO_API_KEY, which may be
        // left exported for another account. The default profile comes after them.
        let named = explicitProfile != nil
        if let value = flags.baseURL {
            (configuration.baseURL, configuration.sources.baseURL) = (value, flags.baseURLSource)
        } else if named, let setting = profile?["base_url"] {
            (configuration.baseURL, configuration.sources.baseURL) = (setting.value, profileSource)
        } else if let value = setting("FLIREO_BASE_URL") {
            (configuration.baseURL, configuration.sources.baseURL) = (value, "environment FLIREO_BASE_URL")
        } else if let setting = profile?["base_url"] {
            (configuration.baseURL, configuration.sources.baseURL) = (setting.value, profileSource)
        }
        // One server, one spelling (journals compare it): requests drop trailing slashes too.
        configuration.baseURL = configuration.baseURL.map(canonicalBaseURL)

        // The profile's key: its api_key, or the variable its api_key_env names.
        func profileKey() throws -> (APIKey, String)? {
            if let setting = profile?["api_key"] {
                return (try checkedKey(setting.value, from: profileSource), profileSource)
            }
            guard let setting = profile?["api_key_env"] else { return nil }
            // A key pasted where the variable's name belongs is never quoted back.
            let variable = isVariableName(setting.value)
            guard let value = env(setting.value) else {
                throw FlireoError.configuration(
                    "\(profileSource) reads the API key from \(variable ? "$" + setting.value : "the variable it names") "
                        + "(api_key_env, line \(setting.line)), but it is not set"
                )
            }
            let source = variable ? "environment \(setting.value) (api_key_env)" : "environment (api_key_env)"
            return (try checkedKey(value, from: source), source)
        }
        if let value = flags.allowInsecureHTTP {
            configuration.allowInsecureHTTP = value
        } else if let setting = profile?["allow_insecure_http"] {
            configuration.allowInsecureHTTP = try parseFlag(setting, path: path ?? "config")
        }

        // A profile's key is for the profile's server: it goes only where the profile's
        // base_url points (a profile without one lends its key to the server the run is
        // given). Elsewhere (`--base-url`, FLIREO_BASE_URL exported for a local server) it
        // is not read at all, and the key must come from the flags or FLIREO_API_KEY.
        // Profiles there, but none chosen and no [default]: name them.
        if configuration.baseURL == nil, let names = file?.profiles.keys.sorted(), !names.isEmpty, profile == nil {
            throw FlireoError.configuration(
                missingBaseURLMessage + " \(path ?? "The config file") has the profile\(names.count == 1 ? "" : "s") "
                    + names.map(shownName).joined(separator: ", ") + " but no [default]: choose one with --profile "
                    + "\(shownName(names[0])) (or FLIREO_PROFILE)"
            )
        }
        let server = try configuration.validatedBaseURL()
        let ownBaseURL = profile?["base_url"]
        let ownServer = ownBaseURL.flatMap { try? BaseURL($0.value, allowInsecureHTTP: true) }
        let profileKeyFits = ownBaseURL == nil || ownServer.map { $0.isSameServer(as: server) } == true
        if let value = flags.apiKey {
            (configuration.apiKey, configuration.sources.apiKey) = (try checkedKey(value, from: flags.apiKeySource), flags.apiKeySource)
        } else if named, profileKeyFits, let (key, source) = try profileKey() {
            (configuration.apiKey, configuration.sources.apiKey) = (key, source)
        } else if let value = setting("FLIREO_API_KEY") {
            let source = "environment FLIREO_API_KEY"
            (configuration.apiKey, configuration.sources.apiKey) = (try checkedKey(value, from: source), source)
        } else if profileKeyFits, let (key, source) = try profileKey() {
            (configuration.apiKey, configuration.sources.apiKey) = (key, source)
        } else if !profileKeyFits, let ownBaseURL, profile?["api_key"] != nil || profile?["api_key_env"] != nil {
            let own = ownServer.map { "\($0.origin) (its base_url)" }
                ?? "the server of its base_url (line \(ownBaseURL.line), which is not a valid URL)"
            let remedy = environmentSettings
                ? "Set FLIREO_API_KEY to that server's key, or give the server a profile of its own"
                : "Give that server's key with api_key_env, or a profile of its own"
            throw FlireoError.configuration(
                "The API key of \(profileSource) is for \(own), not for \(server.origin) (\(configuration.sources.baseURL)): "
                    + "a profile's key is never sent to another server. \(remedy)"
            )
        }

        if let value = flags.rateLimit {
            configuration.rateLimit = try RateLimit.parse(value, source: "--rate-limit")
            configuration.sources.rateLimit = "flag --rate-limit"
        } else if let setting = profile?["rate_limit"] {
            configuration.rateLimit = try RateLimit.parse(setting.value, source: "\(path ?? "config"):\(setting.line)")
            configuration.sources.rateLimit = profileSource
        }

        guard configuration.apiKey.map({ !$0.isEmpty }) ?? false else {
            throw FlireoError.configuration(
                "No API key: set FLIREO_API_KEY, or add api_key (file mode 0600) or api_key_env "
                    + "to profile '\(profileName)' in \(path ?? "the config file")"
            )
        }
        return configuration
    }

    /// `text` spelled one way for one server: no blanks around it, no trailing slashes,
    /// the scheme and host in lower case, the port without leading zeros and none that is
    /// the scheme's own (` HTTPS://API.flireo.example:0443/api/ ` is `https://api.flireo.example/api`).
    public static func canonicalBaseURL(_ text: String) -> String {
        var url = String(text.trimmingSpaces)
        while url.hasSuffix("/") { url.removeLast() }
        guard let schemeEnd = url.firstRange(of: "://") else { return url }
        let scheme = url[..<schemeEnd.lowerBound].lowercased()
        let rest: Substring = url[schemeEnd.upperBound...]
        let authorityEnd: String.Index = rest.firstIndex { (c: Character) in c == "/" || c == "?" || c == "#" } ?? rest.endIndex
        // A user name or password (refused later) keeps its case.
        guard !rest[..<authorityEnd].contains("@") else { return url }
        var authority = rest[..<authorityEnd].lowercased()
        // The port as a number (`:08080` is `:8080`), as the connection reads it.
        let hostEnd = authority.lastIndex(of: "]") ?? authority.startIndex
        if let colon = authority[hostEnd...].lastIndex(of: ":") {
            let digits = authority[authority.index(after: colon)...]
            if digits.allSatisfy({ ("0"..."9").contains($0) }), let port = Int(digits) {
                authority = authority[...colon] + String(port)
            }
        }
        for (name, port) in [("https", ":443"), ("http", ":80")] where scheme == name && authority.hasSuffix(port) {
            authority.removeLast(port.count)
        }
        let path = String(rest[authorityEnd...])
        return scheme + "://" + authority + path
    }

    /// The key without surrounding blanks (an `echo`ed secret ends in a line break, a CRLF
    /// file in a carriage return); one that still holds a control, blank or non-ASCII
    /// character is refused without being quoted: no HTTP header can carry it.
    static func checkedKey(_ raw: String, from source: String) throws -> APIKey {
        let key = trimmedKey(raw)
        guard key.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw FlireoError.configuration(
                "The API key from \(source) holds a character an HTTP header cannot carry (a space, line break, "
                    + "control or non-ASCII character); check how it was set"
            )
        }
        return APIKey(key)
    }

    /// `raw` without leading and trailing blanks and control characters.
    public static func trimmedKey(_ raw: String) -> String {
        let isBlank: (Unicode.Scalar) -> Bool = { $0.value <= 0x20 || $0.value == 0x7F }
        guard let first = raw.unicodeScalars.firstIndex(where: { !isBlank($0) }),
            let last = raw.unicodeScalars.lastIndex(where: { !isBlank($0) })
        else { return "" }
        return String(raw.unicodeScalars[first...last])
    }

    /// Whether `text` looks like an environment variable's name (`FLIREO_PROD_KEY`), and
    /// so may be shown; anything else may be a key pasted where the name belongs.
    public static func isVariableName(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 64 && text.unicodeScalars.allSatisfy {
            ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
        }
    }

    /// `$XDG_CONFIG_HOME/flireo`, else `$HOME/.config/flireo`, else `nil`.
    static func defaultConfigDirectory(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/flireo"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.config/flireo"
        }
        return nil
    }

    /// A profile's name for a message: as written, unless it could be an API key.
    private static func shownName(_ name: String) -> String {
        FlireoError.quoteSetting(name).hasPrefix("\"") ? name : "(a name that could be an API key, not shown)"
    }

    private static func unknownProfileMessage(_ name: String, file: ProfileFile?, path: String?) -> String {
        guard let file else {
            return "Profile \(FlireoError.quoteSetting(name)) not found: there is no config file at \(path ?? "$XDG_CONFIG_HOME/flireo/config")"
        }
        let known = file.profileNames.isEmpty ? "none" : file.profileNames.map(shownName).joined(separator: ", ")
        return "Profile \(FlireoError.quoteSetting(name)) not found in \(file.path) (profiles: \(known))"
    }

    private static func parseFlag(_ setting: ProfileFile.Setting, path: String) throws -> Bool {
        switch setting.value.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default:
            throw FlireoError.configuration("\(path):\(setting.line): allow_insecure_http must be true or false")
        }
    }
}

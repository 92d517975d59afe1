import FlireoAPI
import Foundation
import Testing

/// A temporary config directory holding `config` with `text` at `mode` (for this file and
/// ConfigFileFormatTests).
struct ConfigDirectory {
    let path: String

    init(_ text: String?, mode: Int = 0o600) throws {
        path = NSTemporaryDirectory() + "flireo-config-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        if let text {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        }
    }

    var file: String { path + "/config" }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

let profiles = """
    # flireo profiles
    [default]
    base_url = https://default.flireo.example
    api_key = key-from-default-profile
    rate_limit = 30/min

    [profile staging]
    base_url = "https://staging.flireo.example/api"
    api_key_env = STAGING_KEY
    rate_limit = off
    """

@Suite("Configuration and credentials")
struct ConfigurationTests {
    @Test("flags win over the environment, which wins over the profile")
    func precedence() throws {
        let directory = try ConfigDirectory(profiles)
        defer { directory.remove() }
        let environment = ["FLIREO_BASE_URL": "https://env.flireo.example", "FLIREO_API_KEY": "key-from-env"]

        let fromProfile = try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        #expect(fromProfile.baseURL == "https://default.flireo.example")
        #expect(fromProfile.sources.apiKey.contains("profile 'default'"))
        #expect(fromProfile.rateLimit == RateLimit(requests: 30, per: .seconds(60)))

        let fromEnvironment = try FlireoConfiguration.resolve(flags: .init(), environment: environment, configDirectory: directory.path)
        #expect(fromEnvironment.baseURL == "https://env.flireo.example")
        #expect(fromEnvironment.sources.apiKey == "environment FLIREO_API_KEY")
        #expect(fromEnvironment.sources.baseURL == "environment FLIREO_BASE_URL")

        let flags = ConfigurationFlags(baseURL: "https://flag.flireo.example", apiKey: "key-from-flag", rateLimit: "5/s")
        let fromFlags = try FlireoConfiguration.resolve(flags: flags, environment: environment, configDirectory: directory.path)
        #expect(fromFlags.baseURL == "https://flag.flireo.example")
        #expect(fromFlags.sources.apiKey == "flag --api-key")
        #expect(fromFlags.rateLimit == RateLimit(requests: 5, per: .seconds(1)))
    }

    @Test("the profile comes from --profile, else FLIREO_PROFILE; api_key_env reads the named variable")
    func profileSelection() throws {
        let directory = try ConfigDirectory(profiles)
        defer { directory.remove() }
        let environment = ["FLIREO_PROFILE": "staging", "STAGING_KEY": "key-from-staging-env"]
        let staging = try FlireoConfiguration.resolve(flags: .init(), environment: environment, configDirectory: directory.path)
        #expect(staging.baseURL == "https://staging.flireo.example/api")
        #expect(staging.rateLimit == nil)
        #expect(staging.sources.profile == "staging")
        #expect(staging.sources.apiKey == "environment STAGING_KEY (api_key_env)")

        let chosen = try FlireoConfiguration.resolve(
            flags: .init(profile: "default"), environment: environment, configDirectory: directory.path
        )
        #expect(chosen.baseURL == "https://default.flireo.example")

        let missingVariable = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(profile: "staging"), environment: [:], configDirectory: directory.path)
        }
        #expect(missingVariable.message.contains("$STAGING_KEY"))
    }

    @Test("a profile named with --profile or FLIREO_PROFILE comes before FLIREO_BASE_URL and FLIREO_API_KEY")
    func namedProfileBeforeEnvironment() throws {
        let directory = try ConfigDirectory(profiles)
        defer { directory.remove() }
        // Production's settings left exported in the shell.
        let production = ["FLIREO_BASE_URL": "https://prod.flireo.example", "FLIREO_API_KEY": "key-from-prod-env",
                          "STAGING_KEY": "key-from-staging-env"]
        for (flags, environment) in [
            (ConfigurationFlags(profile: "staging"), production),
            (ConfigurationFlags(), production.merging(["FLIREO_PROFILE": "staging"]) { $1 }),
        ] {
            let staging = try FlireoConfiguration.resolve(flags: flags, environment: environment, configDirectory: directory.path)
            #expect(staging.baseURL == "https://staging.flireo.example/api")
            #expect(staging.apiKey == APIKey("key-from-staging-env"))
            #expect(staging.sources.apiKey == "environment STAGING_KEY (api_key_env)")
        }
        // --profile default is named too; without a name the environment still wins.
        let named = try FlireoConfiguration.resolve(flags: .init(profile: "default"), environment: production, configDirectory: directory.path)
        #expect(named.baseURL == "https://default.flireo.example")
        #expect(named.sources.apiKey.contains("profile 'default'"))
        let unnamed = try FlireoConfiguration.resolve(flags: .init(), environment: production, configDirectory: directory.path)
        #expect(unnamed.baseURL == "https://prod.flireo.example")
        // A flag still comes first.
        let flagged = try FlireoConfiguration.resolve(
            flags: .init(baseURL: "https://flag.flireo.example", apiKey: "key-from-flag", profile: "staging"), environment: production,
            configDirectory: directory.path
        )
        #expect(flagged.baseURL == "https://flag.flireo.example")
        #expect(flagged.apiKey == APIKey("key-from-flag"))
        #expect(flagged.rateLimit == nil)
    }

    @Test("a profile's key is never sent to another server than the profile's")
    func profileKeyStaysWithItsServer() throws {
        let directory = try ConfigDirectory(profiles)
        defer { directory.remove() }
        let stagingKey = ["STAGING_KEY": "key-from-staging-env"]
        // --base-url elsewhere with a named profile's key, and FLIREO_BASE_URL exported for a
        // local server with the default profile's key: both refused, naming both servers.
        for (flags, environment, source) in [
            (ConfigurationFlags(baseURL: "https://other.flireo.example", profile: "staging"), stagingKey, "flag --base-url"),
            (ConfigurationFlags(), ["FLIREO_BASE_URL": "http://127.0.0.1:8080"], "environment FLIREO_BASE_URL"),
            (ConfigurationFlags(baseURL: "http://default.flireo.example", allowInsecureHTTP: true), [:], "flag --base-url"),
            (ConfigurationFlags(baseURL: "https://default.flireo.example:8443"), [:], "flag --base-url"),
        ] {
            let error = try #require(throws: FlireoError.self) {
                try FlireoConfiguration.resolve(flags: flags, environment: environment, configDirectory: directory.path)
            }
            #expect(error.code == .configuration)
            #expect(error.message.contains(" is for https://default.flireo.example (its base_url)")
                || error.message.contains(" is for https://staging.flireo.example (its base_url)"), "\(error.message)")
            #expect(error.message.contains("(\(source))"), "\(error.message)")
            #expect(error.message.contains("Set FLIREO_API_KEY to that server's key"))
            #expect(!error.message.contains("key-from"))
        }
        // The same server spelled otherwise (a path, the host's case, the default port) is the profile's.
        for url in ["https://STAGING.flireo.example/api/", "https://staging.flireo.example:443/v2", "https://staging.flireo.example"] {
            let same = try FlireoConfiguration.resolve(
                flags: .init(baseURL: url, profile: "staging"), environment: stagingKey, configDirectory: directory.path
            )
            #expect(same.apiKey == APIKey("key-from-staging-env"))
        }
        // With that server's own key, another server is fine, even with a profile named
        // (its key is not read: an unset api_key_env variable is no error then).
        for flags in [ConfigurationFlags(), ConfigurationFlags(baseURL: "https://other.flireo.example", profile: "staging")] {
            let keyed = try FlireoConfiguration.resolve(
                flags: flags, environment: ["FLIREO_BASE_URL": "http://127.0.0.1:8080", "FLIREO_API_KEY": "key-from-env"],
                configDirectory: directory.path
            )
            #expect(keyed.apiKey == APIKey("key-from-env"))
            #expect(keyed.sources.apiKey == "environment FLIREO_API_KEY")
        }
        // A second client (connect{}) reads no FLIREO_API_KEY: its remedy is its own api_key_env.
        var connect = ConfigurationFlags(baseURL: "http://localhost:9", profile: "default")
        connect.baseURLSource = "connect{base_url}"
        let second = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(
                flags: connect, environment: ["FLIREO_API_KEY": "key-from-env"], configDirectory: directory.path, environmentSettings: false
            )
        }
        #expect(second.message.contains("not for http://localhost:9 (connect{base_url})"), "\(second.message)")
        #expect(second.message.contains("Give that server's key with api_key_env"), "\(second.message)")
    }

    @Test("one server, one spelling: blanks, trailing slashes, case, a port's leading zeros and the scheme's own port go")
    func canonicalBaseURL() throws {
        for (given, canonical) in [
            (" HTTPS://API.Flireo.example:443/Gateway/ ", "https://api.flireo.example/Gateway"),
            ("http://LOCALHOST:80", "http://localhost"),
            ("http://127.0.0.1:8080//", "http://127.0.0.1:8080"),
            ("https://[::1]:443/", "https://[::1]"),
            ("https://api.flireo.example:80", "https://api.flireo.example:80"),
            // The port as the connection reads it: leading zeros go.
            ("http://127.0.0.1:08080/", "http://127.0.0.1:8080"),
            ("https://api.flireo.example:0443", "https://api.flireo.example"),
            ("http://[::1]:0080/api", "http://[::1]/api"),
        ] {
            let configuration = try FlireoConfiguration.resolve(
                flags: .init(baseURL: given, apiKey: "k"), environment: [:], configDirectory: "/nonexistent"
            )
            #expect(configuration.baseURL == canonical, "\(given)")
        }
    }

    @Test("a profile whose base_url is not a valid URL lends its key to no other server")
    func invalidProfileServer() throws {
        for own in ["api.flireo.example", "https://api.flireo.example?x=1", "https://api.flireo.example:99999", "ftp://api.flireo.example"] {
            let directory = try ConfigDirectory("[default]\nbase_url = \(own)\napi_key = key-from-default-profile\n")
            defer { directory.remove() }
            let error = try #require(throws: FlireoError.self) {
                try FlireoConfiguration.resolve(
                    flags: .init(), environment: ["FLIREO_BASE_URL": "https://staging.flireo.example"], configDirectory: directory.path
                )
            }
            #expect(error.message.contains("is for the server of its base_url (line 2, which is not a valid URL)"), "\(own): \(error.message)")
            #expect(!error.message.contains("key-from"))
        }
    }

    @Test("without profiles (--sandbox) neither the file nor FLIREO_PROFILE takes part")
    func withoutProfiles() throws {
        // A file that would be refused (a key readable by others) and an unknown profile.
        let directory = try ConfigDirectory(profiles, mode: 0o644)
        defer { directory.remove() }
        var flags = ConfigurationFlags(baseURL: "http://127.0.0.1:9", apiKey: "sandbox-key", profile: "staging")
        (flags.baseURLSource, flags.apiKeySource, flags.readsProfiles) = ("--sandbox", "--sandbox", false)
        let sandbox = try FlireoConfiguration.resolve(
            flags: flags, environment: ["FLIREO_PROFILE": "nope"], configDirectory: directory.path
        )
        #expect(sandbox.apiKey == APIKey("sandbox-key"))
        #expect(sandbox.sources.profile == nil)
        #expect(sandbox.sources.baseURL == "--sandbox" && sandbox.sources.apiKey == "--sandbox")
        #expect(sandbox.rateLimit == RateLimit.documented)
        // With profiles, the same file is refused.
        flags.readsProfiles = true
        #expect(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: flags, environment: [:], configDirectory: directory.path)
        }
    }

    @Test("an unknown profile names the known ones")
    func unknownProfile() throws {
        let directory = try ConfigDirectory(profiles)
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(profile: "prod"), environment: [:], configDirectory: directory.path)
        }
        #expect(error.code == .configuration)
        #expect(error.message.contains("Profile \"prod\" not found"))
        #expect(error.message.contains("default, staging"))
    }

    @Test("no base URL anywhere is a clear error that suggests --sandbox")
    func noBaseURL() throws {
        let directory = try ConfigDirectory(nil)
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: ["FLIREO_API_KEY": "k"], configDirectory: directory.path)
        }
        #expect(error.code == .configuration)
        #expect(error.message.contains("--sandbox"))
        #expect(error.description.hasPrefix("configuration: No base URL configured"))
        let clientError = try #require(throws: FlireoError.self) {
            try FlireoClient(configuration: FlireoConfiguration(baseURL: nil, apiKey: "k"))
        }
        #expect(clientError.message.contains("--sandbox"))
        // A file with profiles but no [default]: they are named, with how to choose one.
        let named = try ConfigDirectory("[profile staging]\nbase_url = https://staging.example\n[profile prod]\nbase_url = https://prod.example\n")
        defer { named.remove() }
        let unchosen = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: ["FLIREO_API_KEY": "k"], configDirectory: named.path)
        }
        #expect(unchosen.message.hasSuffix("has the profiles prod, staging but no [default]: choose one with --profile prod (or FLIREO_PROFILE)"),
                "\(unchosen.message)")
    }

    @Test("the README's example file reads as it says: comments after values are comments")
    func readmeExample() throws {
        let readme = try String(contentsOfFile: #filePath.components(separatedBy: "/Tests/")[0] + "/README.md", encoding: .utf8)
        let block = try #require(readme.components(separatedBy: "```ini\n").dropFirst().first?.components(separatedBy: "```").first)
        let directory = try ConfigDirectory(block)
        defer { directory.remove() }
        let production = try FlireoConfiguration.resolve(
            flags: .init(), environment: ["FLIREO_PROD_KEY": "key-from-variable"], configDirectory: directory.path)
        #expect(production.baseURL == "https://api.flireo.example")
        #expect(production.sources.apiKey == "environment FLIREO_PROD_KEY (api_key_env)")
        #expect(production.rateLimit == RateLimit(requests: 100, per: .seconds(60)))
        let staging = try FlireoConfiguration.resolve(
            flags: .init(profile: "staging"), environment: [:], configDirectory: directory.path)
        #expect(staging.baseURL == "https://staging.flireo.example")
        #expect(staging.apiKey?.revealed == "sk_live_your_key_here")
        let quoted = try ConfigDirectory("[default]\nbase_url = \"https://q.example/api\"  ; why\napi_key = k#1 # note\n")
        defer { quoted.remove() }
        let parsed = try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: quoted.path)
        #expect(parsed.baseURL == "https://q.example/api")
        #expect(parsed.apiKey?.revealed == "k#1")
    }

    @Test("a key with a trailing line break is trimmed; one with a control character inside is refused unquoted")
    func keyHygiene() throws {
        let directory = try ConfigDirectory(nil)
        defer { directory.remove() }
        let flags = ConfigurationFlags(baseURL: "https://x.example")
        for padded in ["sk_live_hygiene_key_0123\n", " sk_live_hygiene_key_0123\r\n", "\tsk_live_hygiene_key_0123 "] {
            let configuration = try FlireoConfiguration.resolve(
                flags: flags, environment: ["FLIREO_API_KEY": padded], configDirectory: directory.path)
            #expect(configuration.apiKey?.revealed == "sk_live_hygiene_key_0123")
        }
        for broken in ["sk_live_hygiene\nkey_0123", "sk_live_hygiene key_0123", "sk_live_hygiene_kéy_0123"] {
            let error = try #require(throws: FlireoError.self) {
                try FlireoConfiguration.resolve(flags: flags, environment: ["FLIREO_API_KEY": broken], configDirectory: directory.path)
            }
            #expect(error.message.contains("cannot carry"))
            #expect(!error.message.contains("hygiene"))
        }
    }

    @Test("a key written where api_key_env wants a variable's name is not quoted back")
    func keyInsteadOfVariableName() throws {
        let directory = try ConfigDirectory("[default]\nbase_url = https://x.example\napi_key_env = sk_live_pasted_here_0123\n")
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        }
        #expect(error.message.contains("api_key_env, line 3"))
        #expect(!error.message.contains("pasted"))
    }

    @Test("no API key is a clear error naming every way to give one")
    func noKey() throws {
        let directory = try ConfigDirectory(nil)
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(baseURL: "https://x.example"), environment: [:], configDirectory: directory.path)
        }
        #expect(error.message.contains("FLIREO_API_KEY"))
        #expect(error.message.contains("api_key_env"))
    }

    @Test("a config file holding a key is refused unless mode 0600, with the chmod fix", arguments: [0o644, 0o640, 0o604, 0o660])
    func openKeyFileRefused(_ mode: Int) throws {
        let directory = try ConfigDirectory(profiles, mode: mode)
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        }
        #expect(error.code == .configuration)
        #expect(error.message.contains("chmod 600 \(directory.file)"))
        #expect(error.message.contains(String(mode, radix: 8)))
    }

    @Test("owner-only files are accepted, and a file without a key may be readable by others")
    func acceptedModes() throws {
        for mode in [0o600, 0o400] {
            let directory = try ConfigDirectory(profiles, mode: mode)
            defer { directory.remove() }
            #expect(throws: Never.self) {
                try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
            }
        }
        let directory = try ConfigDirectory("[default]\nbase_url = https://x.example\n", mode: 0o644)
        defer { directory.remove() }
        let configuration = try FlireoConfiguration.resolve(
            flags: .init(), environment: ["FLIREO_API_KEY": "k"], configDirectory: directory.path
        )
        #expect(configuration.baseURL == "https://x.example")
    }

    @Test("a malformed file names the path and line, never the value", arguments: [
        ("[default]\nbase_ur = https://x.example\n", "2: unknown setting 'base_ur' (known: "),
        ("[default]\nbase-url = https://x.example\n", "2: unknown setting 'base-url'; did you mean 'base_url'? (known: "),
        ("[default]\napikey = secret-value-here\n", "2: unknown setting 'apikey'; did you mean 'api_key'? (known: "),
        ("api_key = secret-value-here\n", "1: setting 'api_key' is outside any [profile] section"),
        ("[default\n", "1: a section header must end with ']'"),
        ("[default]\njust some words secret-value-here\n", "2: expected 'name = value'"),
    ])
    func malformed(_ text: String, _ expected: String) throws {
        let directory = try ConfigDirectory(text)
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        }
        #expect(error.message.contains(directory.file + ":" + expected))
        #expect(!error.message.contains("secret-value-here"))
    }

    @Test("every problem of a malformed file is named at once, one a line")
    func everyProblemAtOnce() throws {
        let directory = try ConfigDirectory("[default]\nbase-url = https://x.example\napikey = secret-value-here\n")
        defer { directory.remove() }
        let error = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory.path)
        }
        let lines = error.message.split(separator: "\n")
        #expect(lines.count == 2, "\(error.message)")
        #expect(lines.first?.contains(directory.file + ":2: unknown setting 'base-url'") == true, "\(error.message)")
        #expect(lines.last?.contains(directory.file + ":3: unknown setting 'apikey'") == true, "\(error.message)")
        #expect(!error.message.contains("secret-value-here"))
    }

    @Test("the config directory is $XDG_CONFIG_HOME/flireo, else ~/.config/flireo")
    func directoryLookup() throws {
        let directory = try ConfigDirectory(profiles)
        defer { directory.remove() }
        let xdg = (directory.path as NSString).deletingLastPathComponent
        let linked = xdg + "/flireo"
        try? FileManager.default.removeItem(atPath: linked)
        try FileManager.default.createSymbolicLink(atPath: linked, withDestinationPath: directory.path)
        defer { try? FileManager.default.removeItem(atPath: linked) }
        let configuration = try FlireoConfiguration.resolve(flags: .init(), environment: ["XDG_CONFIG_HOME": xdg])
        #expect(configuration.baseURL == "https://default.flireo.example")
        let fallback = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(profile: "x"), environment: ["HOME": "/nonexistent-home"])
        }
        #expect(fallback.message.contains("/nonexistent-home/.config/flireo/config"))
    }

    @Test("plain http:// is refused for non-loopback hosts unless allowed", arguments: [
        ("http://api.flireo.example", false, false),
        ("http://10.0.0.5:8080", false, false),
        ("http://api.flireo.example", true, true),
        ("http://127.0.0.1:8080", false, true),
        ("http://localhost:8080/", false, true),
        ("http://[::1]:8080", false, true),
        ("https://api.flireo.example", false, true),
    ])
    func insecureHTTP(_ url: String, _ allowed: Bool, _ accepted: Bool) {
        let configuration = FlireoConfiguration(baseURL: url, apiKey: "k", allowInsecureHTTP: allowed)
        if accepted {
            #expect(throws: Never.self) { try FlireoClient(configuration: configuration) }
        } else {
            let error = try? #require(throws: FlireoError.self) { try FlireoClient(configuration: configuration) }
            #expect(error?.code == .configuration)
            #expect(error?.message.contains("Refusing plain http://") == true)
        }
    }

    @Test("base URLs with credentials, queries or other schemes are refused", arguments: [
        "https://user:pass@api.flireo.example", "https://api.flireo.example?x=1", "ftp://api.flireo.example", "not a url", "",
        "http://127.0.0.1:70000", "http://127.0.0.1:99999999999999999999", "http://127.0.0.1:0", "http://[::1]:65536/api",
        "https://api.flireo.example:x",
    ])
    func invalidBaseURLs(_ url: String) {
        let error = try? #require(throws: FlireoError.self) {
            try FlireoClient(configuration: FlireoConfiguration(baseURL: url, apiKey: "k"))
        }
        #expect(error?.code == .configuration)
        #expect(error?.message.contains("user:pass") != true)
    }

    @Test("a base URL ending in /v1 is refused, naming the URL without it; a prefix before /v1 stays allowed")
    func versionInTheBaseURL() throws {
        for (url, without) in [("https://api.flireo.example/v1", "https://api.flireo.example"),
                               ("http://127.0.0.1:8080/gateway/V1/", "http://127.0.0.1:8080/gateway")] {
            let error = try #require(throws: FlireoError.self) {
                try FlireoClient(configuration: FlireoConfiguration(baseURL: url, apiKey: "k"))
            }
            #expect(error.code == .configuration)
            #expect(error.message.contains("it ends in /v1") && error.message.hasSuffix("give it without: \"\(without)\""), "\(error.message)")
        }
        _ = try FlireoClient(configuration: FlireoConfiguration(baseURL: "https://gw.example/v1x/flireo", apiKey: "k"))
    }
}

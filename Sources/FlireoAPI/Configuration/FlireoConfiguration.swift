/// Everything a ``FlireoClient`` needs: where the API is, the key, timeouts, retries,
/// pacing and the trace. Build one directly, or resolve flags, environment and the
/// config file with ``resolve(flags:environment:configDirectory:)``.
///
/// Printing or dumping a configuration never shows the key (see ``APIKey``).
public struct FlireoConfiguration: Sendable, CustomStringConvertible {
    /// The API's base URL (`https://api.example.com`); request paths such as
    /// `/v1/assistants` are appended. `nil` is a configuration error at client creation.
    public var baseURL: String?
    /// The API key, sent as `Authorization: Bearer <key>`; `nil` sends no header.
    public var apiKey: APIKey?
    /// Connect, read and per-attempt timeouts.
    public var timeouts: Timeouts
    /// When and how long to retry.
    public var retryPolicy: RetryPolicy
    /// Client-side pacing; `nil` turns it off (server 429s and an exhausted
    /// `X-RateLimit-Remaining` are still honoured).
    public var rateLimit: RateLimit?
    /// Accept `http://` to a host that is not loopback.
    public var allowInsecureHTTP: Bool
    /// Receives the request trace (`--verbose`), or `nil` for none.
    public var trace: TraceSink?
    /// Receives what a person should know without `--verbose` (a long wait the server
    /// imposed, the client's own pacing: so that neither is taken for a hang), or `nil`
    /// for none.
    public var notice: (@Sendable (String) -> Void)?
    /// The largest response body accepted, in bytes.
    public var maxResponseBytes: Int
    /// Where each setting came from, for `--verbose` and error messages.
    public var sources: Sources

    /// Where each setting came from: `flag --base-url`, `environment FLIREO_API_KEY`,
    /// `profile 'staging' in /home/me/.config/flireo/config`, or `default`.
    public struct Sources: Sendable, Equatable {
        /// The source of ``FlireoConfiguration/baseURL``.
        public var baseURL: String
        /// The source of ``FlireoConfiguration/apiKey``.
        public var apiKey: String
        /// The source of ``FlireoConfiguration/rateLimit``.
        public var rateLimit: String
        /// The profile in use, if a config file was read.
        public var profile: String?

        /// Creates sources.
        public init(baseURL: String = "code", apiKey: String = "code", rateLimit: String = "default", profile: String? = nil) {
            self.baseURL = baseURL
            self.apiKey = apiKey
            self.rateLimit = rateLimit
            self.profile = profile
        }
    }

    /// Creates a configuration.
    /// - Parameters:
    ///   - baseURL: the API's base URL.
    ///   - apiKey: the API key.
    ///   - timeouts: connect, read and per-attempt timeouts.
    ///   - retryPolicy: when and how long to retry.
    ///   - rateLimit: client-side pacing, `nil` for off (default: the documented 100/min).
    ///   - allowInsecureHTTP: accept `http://` to a non-loopback host.
    ///   - trace: the trace sink.
    ///   - maxResponseBytes: the largest response body accepted (default 16 MiB).
    public init(
        baseURL: String?,
        apiKey: APIKey?,
        timeouts: Timeouts = .default,
        retryPolicy: RetryPolicy = .default,
        rateLimit: RateLimit? = .documented,
        allowInsecureHTTP: Bool = false,
        trace: TraceSink? = nil,
        maxResponseBytes: Int = 16 << 20
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeouts = timeouts
        self.retryPolicy = retryPolicy
        self.rateLimit = rateLimit
        self.allowInsecureHTTP = allowInsecureHTTP
        self.trace = trace
        self.maxResponseBytes = max(1024, maxResponseBytes)
        self.sources = Sources()
    }

    /// A summary without the key: `base URL https://… (environment FLIREO_BASE_URL), API key set (…), rate limit 100/min`.
    public var description: String {
        // A URL with a user or password in it is never echoed (the password may be the key).
        let url = baseURL.map { $0.contains("@") ? "[a URL with credentials]" : $0 } ?? "none"
        let key = apiKey == nil ? "none" : "set"
        let pacing = rateLimit?.description ?? "off"
        var text = "base URL \(url) (\(sources.baseURL)), API key \(key) (\(sources.apiKey)), rate limit \(pacing)"
        if let profile = sources.profile { text += ", profile \(profile)" }
        return text
    }

    /// The validated base URL.
    func validatedBaseURL() throws -> BaseURL {
        guard let baseURL else { throw FlireoError.configuration(Self.missingBaseURLMessage) }
        guard !baseURL.trimmingSpaces.isEmpty else {
            // Given, but empty (`--base-url ""`, an unset shell variable): not "none configured".
            throw FlireoError.configuration("The base URL from \(sources.baseURL) is empty: expected https://host[:port][/path]")
        }
        return try BaseURL(baseURL, allowInsecureHTTP: allowInsecureHTTP)
    }

    /// Checks `text` as a base URL, all but plain `http://` to another host (which depends
    /// on the settings): what a client is given first is checked first.
    /// - Parameter text: a base URL as given.
    /// - Throws: ``FlireoError`` `configuration` saying what is wrong.
    public static func checkBaseURLSyntax(_ text: String) throws {
        _ = try BaseURL(text, allowInsecureHTTP: true)
    }

    static let missingBaseURLMessage =
        "No base URL configured: pass --base-url, set FLIREO_BASE_URL, or add base_url to a profile in "
        + "$XDG_CONFIG_HOME/flireo/config (default ~/.config/flireo/config). To try flireo without an account, run it with --sandbox."
}

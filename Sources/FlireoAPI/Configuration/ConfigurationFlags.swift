/// The command-line settings that take part in configuration resolution; `nil` means
/// the flag was not given.
public struct ConfigurationFlags: Sendable, Equatable {
    /// `--base-url`.
    public var baseURL: String?
    /// `--api-key` (visible to other users in the process list; the environment is safer).
    public var apiKey: String?
    /// `--profile`.
    public var profile: String?
    /// `--rate-limit` (`100`, `100/min`, `5/s`, `off`).
    public var rateLimit: String?
    /// `--allow-insecure-http`.
    public var allowInsecureHTTP: Bool?
    /// How ``baseURL`` is named in `--verbose` and in errors (`flag --base-url`,
    /// `connect{base_url}`, `--sandbox`).
    public var baseURLSource = "flag --base-url"
    /// How ``apiKey`` is named in `--verbose` and in errors.
    public var apiKeySource = "flag --api-key"
    /// Whether the config file, ``profile`` and `FLIREO_PROFILE` take part: not for
    /// `--sandbox`, which needs no account and must not be stopped by one's file.
    public var readsProfiles = true

    /// Creates flags.
    /// - Parameters:
    ///   - baseURL: `--base-url`.
    ///   - apiKey: `--api-key`.
    ///   - profile: `--profile`.
    ///   - rateLimit: `--rate-limit`.
    ///   - allowInsecureHTTP: `--allow-insecure-http`.
    public init(
        baseURL: String? = nil,
        apiKey: String? = nil,
        profile: String? = nil,
        rateLimit: String? = nil,
        allowInsecureHTTP: Bool? = nil
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.profile = profile
        self.rateLimit = rateLimit
        self.allowInsecureHTTP = allowInsecureHTTP
    }
}

/// The version of flireo, sent in every request's `User-Agent` (`flireo/0.1.0`).
public enum FlireoVersion {
    /// The semantic version string.
    public static let string = "0.1.0"

    /// The `User-Agent` header value every request carries.
    public static let userAgent = "flireo/\(string)"
}

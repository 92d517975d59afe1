import HTTPTypes

// The non-standard headers the sandbox sends. The names are literal tokens, valid by
// construction, so the failable initializer cannot fail here.
extension HTTPField.Name {
    /// Requests allowed per window.
    static let rateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    /// Requests left in the window.
    static let rateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    /// When the window closes, unix seconds.
    static let rateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
    /// Names an injected failure: `before-change` or `after-change`.
    static let sandboxFault = HTTPField.Name("X-Sandbox-Fault")!
    /// Internal: marks the placeholder response of a dropped connection (never sent).
    static let sandboxDropped = HTTPField.Name("X-Sandbox-Dropped")!
}

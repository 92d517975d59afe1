#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validated base URL: `http` or `https`, a host, an optional path prefix, and no
/// credentials, query or fragment. Plain `http://` is accepted for loopback hosts only,
/// unless explicitly allowed, so the API key never crosses a network unencrypted by accident.
struct BaseURL: Sendable, Hashable {
    /// The URL without a trailing slash; request paths (`/v1/…`) are appended to it.
    let prefix: String
    /// The host, for messages.
    let host: String
    /// `host:port` as connected to, for messages.
    let authority: String
    /// `true` for `https`.
    let isSecure: Bool

    /// Validates `text`.
    /// - Parameters:
    ///   - text: the configured base URL.
    ///   - allowInsecureHTTP: accept `http://` to a host that is not loopback.
    /// - Throws: ``FlireoError`` `configuration` saying what is wrong.
    init(_ text: String, allowInsecureHTTP: Bool) throws {
        let trimmed = String(text.trimmingSpaces)
        guard let url = URL(string: trimmed), let scheme = url.scheme?.lowercased() else {
            throw FlireoError.configuration("Invalid base URL \(FlireoError.quote(trimmed)): expected https://host[:port][/path]")
        }
        guard scheme == "https" || scheme == "http" else {
            throw FlireoError.configuration(
                "Invalid base URL \(FlireoError.quote(trimmed)): the scheme must be https:// (or http:// for a local server)"
            )
        }
        guard let rawHost = url.host(percentEncoded: false), !rawHost.isEmpty else {
            throw FlireoError.configuration("Invalid base URL \(FlireoError.quote(trimmed)): it has no host")
        }
        guard url.user(percentEncoded: false) == nil, url.password(percentEncoded: false) == nil else {
            // Not quoted: the URL itself carries a credential.
            throw FlireoError.configuration(
                "Invalid base URL: it must not contain a user name or password; give the API key with --api-key or FLIREO_API_KEY"
            )
        }
        guard url.query(percentEncoded: true) == nil, url.fragment(percentEncoded: true) == nil else {
            throw FlireoError.configuration("Invalid base URL \(FlireoError.quote(trimmed)): it must not have a query or fragment")
        }
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let secure = scheme == "https"
        if !secure && !allowInsecureHTTP && !Self.isLoopback(host) {
            throw FlireoError.configuration(
                "Refusing plain http:// to \(host): the API key would cross the network unencrypted. "
                    + "Use https://, or allow it explicitly (--allow-insecure-http, allow_insecure_http = true)"
            )
        }
        var prefix = trimmed
        while prefix.hasSuffix("/") { prefix.removeLast() }
        self.prefix = prefix
        self.host = host
        self.isSecure = secure
        let port = url.port ?? (secure ? 443 : 80)
        self.authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `localhost`, `*.localhost`, 127.0.0.0/8 and `::1`.
    static func isLoopback(_ host: String) -> Bool {
        let lower = host.lowercased()
        if lower == "localhost" || lower.hasSuffix(".localhost") { return true }
        if lower == "::1" || lower == "0:0:0:0:0:0:0:1" { return true }
        let octets = lower.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets[0] == "127" else { return false }
        return octets.allSatisfy { part in UInt8(part) != nil }
    }
}

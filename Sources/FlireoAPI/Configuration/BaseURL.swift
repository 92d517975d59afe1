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
            throw FlireoError.configuration("Invalid base URL \(FlireoError.quoteSetting(trimmed)): expected https://host[:port][/path]")
        }
        guard scheme == "https" || scheme == "http" else {
            throw FlireoError.configuration(
                "Invalid base URL \(FlireoError.quoteSetting(trimmed)): the scheme must be https:// (or http:// for a local server)"
            )
        }
        guard let rawHost = url.host(percentEncoded: false), !rawHost.isEmpty else {
            throw FlireoError.configuration("Invalid base URL \(FlireoError.quoteSetting(trimmed)): it has no host")
        }
        guard url.user(percentEncoded: false) == nil, url.password(percentEncoded: false) == nil else {
            // Not quoted: the URL itself carries a credential.
            throw FlireoError.configuration(
                "Invalid base URL: it must not contain a user name or password; give the API key with FLIREO_API_KEY or api_key/api_key_env in the profile"
            )
        }
        guard url.query(percentEncoded: true) == nil, url.fragment(percentEncoded: true) == nil else {
            throw FlireoError.configuration("Invalid base URL \(FlireoError.quoteSetting(trimmed)): it must not have a query or fragment")
        }
        let host = rawHost.hasPrefix("[") ? String(rawHost.dropFirst().dropLast()) : rawHost
        let secure = scheme == "https"
        if !secure && !allowInsecureHTTP && !Self.isLoopback(host) {
            // A key given by mistake where the URL belongs is not quoted back.
            let shown = KnownSecrets.occur(in: host) ? "a host that looks like an API key (not shown)" : host
            throw FlireoError.configuration(
                "Refusing plain http:// to \(shown): the API key would cross the network unencrypted. "
                    + "Use https://, or allow it explicitly (--allow-http, or allow_insecure_http = true in the profile)"
            )
        }
        // Foundation reads a port beyond Int as none (port 80, silently); the HTTP stack
        // traps on one beyond 65535.
        if let portText = Self.portText(trimmed) {
            guard let port = Int(portText), (1...65_535).contains(port) else {
                throw FlireoError.configuration(
                    "Invalid base URL \(FlireoError.quoteSetting(trimmed)): the port must be 1 to 65535, not \(FlireoError.quote(String(portText)))")
            }
        }
        var prefix = trimmed
        while prefix.hasSuffix("/") { prefix.removeLast() }
        // Every request path starts with /v1: a base URL copied with it would ask for
        // /v1/v1/assistants, and a real server's bare 404 would not say why.
        if url.path(percentEncoded: false).lowercased().split(separator: "/").last == "v1" {
            throw FlireoError.configuration(
                "Invalid base URL \(FlireoError.quoteSetting(trimmed)): it ends in /v1, which every request path starts with "
                    + "(…/v1/v1/assistants); give it without: \(FlireoError.quoteSetting(String(prefix.dropLast(3))))")
        }
        self.prefix = prefix
        self.host = host
        self.isSecure = secure
        let port = url.port ?? (secure ? 443 : 80)
        self.authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// `https://host[:port]`: scheme, host and a port other than the scheme's, for messages.
    var origin: String {
        let scheme = isSecure ? "https://" : "http://"
        let defaultPort = isSecure ? ":443" : ":80"
        return scheme + (authority.hasSuffix(defaultPort) ? String(authority.dropLast(defaultPort.count)) : authority)
    }

    /// Whether both reach the same server: the same scheme, host (in any case) and port.
    func isSameServer(as other: BaseURL) -> Bool {
        isSecure == other.isSecure && authority.lowercased() == other.authority.lowercased()
    }

    /// The port as written in `url`'s authority (`https://host:PORT/…`, `http://[::1]:PORT`),
    /// or nil when none is written.
    static func portText(_ url: String) -> Substring? {
        guard let schemeEnd = url.firstRange(of: "://") else { return nil }
        let authority = url[schemeEnd.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let rest = authority[authority.index(after: close)...]
            return rest.hasPrefix(":") ? rest.dropFirst() : nil
        }
        return authority.lastIndex(of: ":").map { authority[authority.index(after: $0)...] }
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

/// The client-side pacing of every request made with one API key and base URL: a token
/// bucket refilled at `requests` per `interval`, holding at most `burst` tokens, that
/// also never starts more than `requests` requests in any window of `interval`.
///
/// So an interactive burst goes out at once, a bulk run settles at exactly the limit, and
/// the documented 100 requests/minute is never exceeded by this process, whatever the
/// server's window alignment. The server's `X-RateLimit-Remaining`/`Reset` tighten it further.
public struct RateLimit: Sendable, Equatable, CustomStringConvertible {
    /// Requests allowed per ``interval``.
    public var requests: Int
    /// The window length.
    public var interval: Duration
    /// Requests that may start back to back after a pause.
    public var burst: Int

    /// Creates a limit.
    /// - Parameters:
    ///   - requests: requests allowed per interval (at least 1).
    ///   - interval: the window length (positive).
    ///   - burst: requests that may start back to back; defaults to a tenth of `requests`.
    public init(requests: Int, per interval: Duration, burst: Int? = nil) {
        self.requests = max(1, requests)
        self.interval = interval > .zero ? interval : .seconds(1)
        let defaultBurst = max(1, self.requests / 10)
        self.burst = min(self.requests, max(1, burst ?? defaultBurst))
    }

    /// The documented limit: 100 requests per minute (bursts of 10).
    public static let documented = RateLimit(requests: 100, per: .seconds(60))

    /// `100/min`, `5/s`, …
    public var description: String {
        let seconds = interval.seconds
        switch seconds {
        case 1: return "\(requests)/s"
        case 60: return "\(requests)/min"
        case 3600: return "\(requests)/h"
        default: return "\(requests)/\(seconds)s"
        }
    }

    /// Parses a setting: `100` (per minute), `100/min`, `5/s`, `5/sec`, `3000/h`, or `off`.
    /// - Parameters:
    ///   - text: the setting.
    ///   - source: where it came from, for the error message (`--rate-limit`).
    /// - Returns: the limit, or `nil` for `off`.
    /// - Throws: ``FlireoError`` with code `configuration` for anything else.
    public static func parse(_ text: String, source: String) throws -> RateLimit? {
        let trimmed = String(text.trimmingSpaces).lowercased()
        if ["off", "none", "0", "unlimited"].contains(trimmed) { return nil }
        let parts = trimmed.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).map { String($0.trimmingSpaces) }
        let unit = parts.count == 2 ? parts[1] : "min"
        let interval: Duration
        switch unit {
        case "s", "sec", "second": interval = .seconds(1)
        case "m", "min", "minute": interval = .seconds(60)
        case "h", "hour": interval = .seconds(3600)
        default: interval = .zero
        }
        guard let count = parts.first.flatMap({ Int($0) }), count > 0, interval > .zero else {
            throw FlireoError.configuration(
                "Invalid rate limit \(FlireoError.quoteSetting(text)) in \(source): expected a number of requests per minute "
                    + "(100), with a unit (100/min, 5/s, 3000/h), or off"
            )
        }
        return RateLimit(requests: count, per: interval)
    }
}

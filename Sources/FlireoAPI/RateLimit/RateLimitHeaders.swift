import NIOHTTP1

/// The server's `X-RateLimit-*` headers of one response.
struct RateLimitHeaders: Sendable, Equatable {
    /// `X-RateLimit-Limit`: requests allowed per window.
    var limit: Int?
    /// `X-RateLimit-Remaining`: requests left in the current window.
    var remaining: Int?
    /// `X-RateLimit-Reset` as unix seconds. Small values are taken as seconds from now,
    /// which some servers send instead of a timestamp.
    var resetAt: Double?

    var isEmpty: Bool { limit == nil && remaining == nil && resetAt == nil }

    init(limit: Int? = nil, remaining: Int? = nil, resetAt: Double? = nil) {
        self.limit = limit
        self.remaining = remaining
        self.resetAt = resetAt
    }

    /// Reads the headers; `now` (unix seconds) is only asked for when a relative reset needs it.
    init(_ headers: HTTPHeaders, now: @autoclosure () -> Double) {
        limit = headers.first(name: "X-RateLimit-Limit").flatMap { Int($0.trimmingSpaces) }
        // A server's numbers are bounded before any arithmetic: a negative or absurd one is
        // garbage, not a reason to trap.
        remaining = headers.first(name: "X-RateLimit-Remaining").flatMap { Int($0.trimmingSpaces) }
            .map { min(max($0, 0), 1_000_000_000) }
        if let reset = headers.first(name: "X-RateLimit-Reset").flatMap({ Double($0.trimmingSpaces) }),
            reset.isFinite, reset >= 0
        {
            let current = now()
            let at = reset >= 1_000_000_000 ? reset : current + reset
            resetAt = min(at, current + RetryAfter.longestWait)
        }
    }

    /// Seconds until the window resets, when known and in the future.
    func secondsUntilReset(now: Double) -> Double? {
        guard let resetAt, resetAt > now else { return nil }
        return resetAt - now
    }
}

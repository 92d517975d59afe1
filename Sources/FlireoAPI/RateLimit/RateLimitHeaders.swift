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
        remaining = headers.first(name: "X-RateLimit-Remaining").flatMap { Int($0.trimmingSpaces) }
        if let reset = headers.first(name: "X-RateLimit-Reset").flatMap({ Double($0.trimmingSpaces) }),
            reset.isFinite, reset >= 0
        {
            resetAt = reset >= 1_000_000_000 ? reset : now() + reset
        }
    }

    /// Seconds until the window resets, when known and in the future.
    func secondsUntilReset(now: Double) -> Double? {
        guard let resetAt, resetAt > now else { return nil }
        return resetAt - now
    }
}

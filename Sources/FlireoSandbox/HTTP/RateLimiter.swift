import NIOConcurrencyHelpers

/// A fixed one-minute window per account: the first request opens the window, at most
/// `limit` requests pass in it, and `X-RateLimit-Reset` is when it closes.
final class RateLimiter: Sendable {
    /// The verdict for one request, with what the headers report.
    struct Verdict: Sendable {
        var allowed: Bool
        var limit: Int
        var remaining: Int
        /// When the window closes, unix seconds.
        var reset: Int
        /// Seconds until the window closes (at least 1).
        var retryAfter: Int
    }

    private struct Window {
        var start = 0
        var count = 0
    }

    static let windowSeconds = 60

    private let limitBox: NIOLockedValueBox<Int>
    private let windows: [NIOLockedValueBox<Window>]

    /// A limiter for `accounts` accounts.
    /// - Parameters:
    ///   - accounts: How many accounts (indexes of `AccountRef`).
    ///   - limit: Requests per minute per account; 0 is unlimited.
    init(accounts: Int, limit: Int) {
        self.limitBox = NIOLockedValueBox(limit)
        self.windows = (0..<accounts).map { _ in NIOLockedValueBox(Window()) }
    }

    /// The current limit (0 = off).
    var limit: Int {
        get { limitBox.withLockedValue { $0 } }
        set {
            limitBox.withLockedValue { $0 = newValue }
            reset()
        }
    }

    /// Counts a request of `account`; nil when rate limiting is off.
    /// - Parameters:
    ///   - account: The account.
    ///   - now: Unix seconds.
    /// - Returns: The verdict.
    func admit(_ account: AccountRef, now: Double) -> Verdict? {
        let limit = self.limit
        guard limit > 0 else { return nil }
        let second = Int(now)
        return windows[account.index].withLockedValue { window in
            if window.count == 0 || second >= window.start + Self.windowSeconds {
                window = Window(start: second, count: 0)
            }
            let allowed = window.count < limit
            if allowed { window.count += 1 }
            let reset = window.start + Self.windowSeconds
            return Verdict(
                allowed: allowed, limit: limit, remaining: max(0, limit - window.count),
                reset: reset, retryAfter: max(1, reset - second)
            )
        }
    }

    /// Closes every window.
    func reset() {
        for window in windows {
            window.withLockedValue { $0 = Window() }
        }
    }
}

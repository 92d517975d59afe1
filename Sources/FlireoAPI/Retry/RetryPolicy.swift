/// When and how long the client retries.
///
/// - A GET is retried on 5xx (except 501) and transport failures, up to
///   ``maxAttempts`` attempts in all, after a capped exponential backoff with full jitter
///   (a random wait between zero and `min(maxBackoff, initialBackoff × 2^(attempt−1))`).
///   A `Retry-After` on a 503 lengthens the wait.
/// - Any request answered 429 waits `Retry-After` (else until `X-RateLimit-Reset`) and is
///   sent again, up to ``rateLimitRetries`` times: the server refused it, so nothing was
///   applied. A wait longer than ``maxRetryAfter`` is not taken: the call fails at once
///   with `rate_limit_exceeded` and ``FlireoError/retryAfter`` set.
/// - Other 4xx are never retried. Mutations are never re-sent after an unknown outcome;
///   link and unlink are reconciled instead (see ``FlireoClient/link(assistantID:phoneNumberID:)``).
public struct RetryPolicy: Sendable, Equatable {
    /// Attempts in all for a GET (1 turns retries off).
    public var maxAttempts: Int
    /// The backoff cap of the first retry.
    public var initialBackoff: Duration
    /// The largest backoff cap.
    public var maxBackoff: Duration
    /// How many times a 429 is waited out and re-sent.
    public var rateLimitRetries: Int
    /// The longest server-requested wait that is honoured; longer ones fail at once.
    public var maxRetryAfter: Duration

    /// Creates a policy.
    /// - Parameters:
    ///   - maxAttempts: attempts in all for a GET (at least 1).
    ///   - initialBackoff: the backoff cap of the first retry.
    ///   - maxBackoff: the largest backoff cap.
    ///   - rateLimitRetries: how many 429s are waited out.
    ///   - maxRetryAfter: the longest server-requested wait honoured.
    public init(
        maxAttempts: Int = 4,
        initialBackoff: Duration = .milliseconds(250),
        maxBackoff: Duration = .seconds(8),
        rateLimitRetries: Int = 3,
        maxRetryAfter: Duration = .seconds(60)
    ) {
        self.maxAttempts = max(1, maxAttempts)
        self.initialBackoff = max(.zero, initialBackoff)
        self.maxBackoff = max(.zero, maxBackoff)
        self.rateLimitRetries = max(0, rateLimitRetries)
        self.maxRetryAfter = max(.zero, maxRetryAfter)
    }

    /// Four attempts for GETs, 250 ms to 8 s backoff, three 429 waits of up to a minute.
    public static let `default` = RetryPolicy()

    /// No retries at all: every failure is reported at once.
    public static let none = RetryPolicy(maxAttempts: 1, rateLimitRetries: 0)

    /// The full-jitter backoff before retry number `retry` (1 for the first retry).
    func backoff(beforeRetry retry: Int) -> Duration {
        let exponent = Double(min(max(retry - 1, 0), 30))
        let cap = min(maxBackoff.seconds, initialBackoff.seconds * Double.pow2(exponent))
        guard cap > 0 else { return .zero }
        return .seconds(Double.random(in: 0...cap))
    }
}

extension Double {
    fileprivate static func pow2(_ exponent: Double) -> Double {
        var result = 1.0
        for _ in 0..<Int(exponent) { result *= 2 }
        return result
    }
}

extension Duration {
    /// The duration in seconds as a `Double`.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}

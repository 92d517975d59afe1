/// Faults the sandbox injects into `/v1` requests, for rehearsals and tests of retries.
///
/// Draws come from a generator seeded by the sandbox's seed, so a sequential run with the
/// same seed and the same faults sees the same faults on the same requests.
public struct SandboxFaults: Sendable, Equatable {
    /// Added to every request, in milliseconds.
    public var latencyMilliseconds: Int
    /// The latency varies uniformly by up to this much either way (never below zero).
    public var latencyJitterMilliseconds: Int
    /// Probability (0…1) of a 500 or 503; for mutations half of them come after the change
    /// was applied, so the client cannot know the outcome.
    public var failRate: Double
    /// Probability (0…1) that the connection closes without a response (for mutations, half
    /// of them after the change was applied).
    public var dropRate: Double
    /// Requests per minute per API key; 0 turns rate limiting (and its headers) off.
    public var rateLimit: Int
    /// The most items a list page holds, whatever `limit` asked (its `meta.limit` says so,
    /// as the contract warns a server may); 0 serves what was asked.
    public var maxPageSize: Int
    /// `GET /v1/phone-numbers?include_default=true` lists the shared default numbers only in
    /// `shared_numbers`, counted in `meta.total` but not in `data`, as the contract's example
    /// shows; off, they are in `data` too (after the account's own).
    public var sharedNumbersApart: Bool

    /// No faults at all.
    public static let none = SandboxFaults()

    /// Creates a fault configuration.
    /// - Parameters:
    ///   - latencyMilliseconds: Added latency.
    ///   - latencyJitterMilliseconds: Latency spread either way.
    ///   - failRate: Probability of a 5xx.
    ///   - dropRate: Probability of a dropped connection.
    ///   - rateLimit: Requests per minute per key (0 = unlimited).
    ///   - maxPageSize: The most items per list page (0 = as asked).
    ///   - sharedNumbersApart: Shared default numbers only in `shared_numbers`.
    public init(
        latencyMilliseconds: Int = 0, latencyJitterMilliseconds: Int = 0,
        failRate: Double = 0, dropRate: Double = 0, rateLimit: Int = 0,
        maxPageSize: Int = 0, sharedNumbersApart: Bool = false
    ) {
        self.latencyMilliseconds = latencyMilliseconds
        self.latencyJitterMilliseconds = latencyJitterMilliseconds
        self.failRate = failRate
        self.dropRate = dropRate
        self.rateLimit = rateLimit
        self.maxPageSize = maxPageSize
        self.sharedNumbersApart = sharedNumbersApart
    }

    /// Whether any per-request fault (latency, failure, drop) is on.
    var injectsFaults: Bool {
        latencyMilliseconds > 0 || latencyJitterMilliseconds > 0 || failRate > 0 || dropRate > 0
    }

    /// Checks the ranges.
    /// - Throws: `SandboxError` naming the first bad value.
    public func validate() throws(SandboxError) {
        guard latencyMilliseconds >= 0, latencyJitterMilliseconds >= 0 else { throw SandboxError("latency must not be negative") }
        guard (0...1).contains(failRate) else { throw SandboxError("fail rate must be between 0 and 1, got \(failRate)") }
        guard (0...1).contains(dropRate) else { throw SandboxError("drop rate must be between 0 and 1, got \(dropRate)") }
        guard failRate + dropRate <= 1 else { throw SandboxError("fail rate + drop rate must not exceed 1") }
        guard rateLimit >= 0 else { throw SandboxError("rate limit must not be negative") }
        guard maxPageSize >= 0 else { throw SandboxError("max page size must not be negative") }
    }

    /// Parses `X` or `X:J` (milliseconds of latency and of jitter).
    /// - Parameter text: The flag's value.
    /// - Returns: Latency and jitter.
    /// - Throws: `SandboxError` for anything else.
    public static func parseLatency(_ text: String) throws(SandboxError) -> (latency: Int, jitter: Int) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        // The same bound as the control API's (ten minutes): beyond it, arithmetic overflows.
        guard (1...2).contains(parts.count), let latency = Int(parts[0]), (0...600_000).contains(latency) else {
            throw SandboxError("latency must be MILLISECONDS or MILLISECONDS:JITTER (0 to 600000 each), got '\(text)'")
        }
        guard parts.count == 2 else { return (latency, 0) }
        guard let jitter = Int(parts[1]), (0...600_000).contains(jitter) else {
            throw SandboxError("latency jitter must be 0 to 600000 milliseconds, got '\(parts[1])'")
        }
        return (latency, jitter)
    }

    /// The faults as a JSON object (for the control API).
    var json: JSON {
        [
            "latency_ms": .int(latencyMilliseconds), "latency_jitter_ms": .int(latencyJitterMilliseconds),
            "fail_rate": .double(failRate), "drop_rate": .double(dropRate), "rate_limit": .int(rateLimit),
            "max_page_size": .int(maxPageSize), "shared_numbers_apart": .bool(sharedNumbersApart),
        ]
    }
}

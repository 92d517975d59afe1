/// What the sandbox has served since it started (or since the stats were reset).
public struct SandboxStats: Sendable, Equatable {
    /// Requests answered or dropped (control endpoints under `/_sandbox` are not counted).
    public var requests: Int
    /// Requests being handled right now.
    public var inFlight: Int
    /// The most requests ever handled at once: proves a client's concurrency.
    public var maxInFlight: Int
    /// Requests per route, keyed `"GET /v1/assistants/{id}/phone-number"`; unknown paths are `"GET unmatched"`.
    public var routes: [String: Int]
    /// Responses per HTTP status (dropped connections have none).
    public var statuses: [Int: Int]
    /// Injected failures before the change was applied (all injected GET failures count here).
    public var failedBeforeChange: Int
    /// Injected failures after a mutation was applied.
    public var failedAfterChange: Int
    /// Connections dropped before the change was applied.
    public var droppedBeforeChange: Int
    /// Connections dropped after a mutation was applied.
    public var droppedAfterChange: Int
    /// Requests refused with 429.
    public var rateLimited: Int

    /// All zero.
    public static let zero = SandboxStats(
        requests: 0, inFlight: 0, maxInFlight: 0, routes: [:], statuses: [:],
        failedBeforeChange: 0, failedAfterChange: 0, droppedBeforeChange: 0, droppedAfterChange: 0, rateLimited: 0
    )

    /// The stats as a JSON object (for the control API), keys sorted for stable output.
    var json: JSON {
        [
            "requests": .int(requests), "in_flight": .int(inFlight), "max_in_flight": .int(maxInFlight),
            "routes": .object(routes.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) }),
            "statuses": .object(statuses.sorted { $0.key < $1.key }.map { (String($0.key), .int($0.value)) }),
            "faults": [
                "failed_before_change": .int(failedBeforeChange), "failed_after_change": .int(failedAfterChange),
                "dropped_before_change": .int(droppedBeforeChange), "dropped_after_change": .int(droppedAfterChange),
                "rate_limited": .int(rateLimited),
            ],
        ]
    }
}

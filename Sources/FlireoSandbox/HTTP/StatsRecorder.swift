import NIOConcurrencyHelpers

/// Counts requests under one short lock; two acquisitions per request (start, end).
final class StatsRecorder: Sendable {
    /// What a request ended with, besides its status.
    enum Fault: Sendable {
        case failedBefore, failedAfter, droppedBefore, droppedAfter, rateLimited
    }

    private struct RouteKey: Hashable {
        var method: String
        var path: String
    }

    private struct Counters {
        var stats = SandboxStats.zero
        var routes: [RouteKey: Int] = [:]
    }

    private let counters = NIOLockedValueBox(Counters())

    /// A request started.
    func begin() {
        counters.withLockedValue { counters in
            counters.stats.inFlight += 1
            counters.stats.maxInFlight = max(counters.stats.maxInFlight, counters.stats.inFlight)
        }
    }

    /// A request ended.
    /// - Parameters:
    ///   - method: The HTTP method.
    ///   - route: The route pattern, or nil when no route matched.
    ///   - status: The status sent, or nil when the connection was dropped.
    func end(method: String, route: String?, status: Int?) {
        counters.withLockedValue { counters in
            counters.stats.inFlight -= 1
            counters.stats.requests += 1
            counters.routes[RouteKey(method: method, path: route ?? "unmatched"), default: 0] += 1
            if let status {
                counters.stats.statuses[status, default: 0] += 1
            }
        }
    }

    /// An injected fault or refusal happened.
    func record(_ fault: Fault) {
        counters.withLockedValue { counters in
            switch fault {
            case .failedBefore: counters.stats.failedBeforeChange += 1
            case .failedAfter: counters.stats.failedAfterChange += 1
            case .droppedBefore: counters.stats.droppedBeforeChange += 1
            case .droppedAfter: counters.stats.droppedAfterChange += 1
            case .rateLimited: counters.stats.rateLimited += 1
            }
        }
    }

    /// The counts now.
    var snapshot: SandboxStats {
        counters.withLockedValue { counters in
            var stats = counters.stats
            stats.routes = Dictionary(uniqueKeysWithValues: counters.routes.map { ("\($0.key.method) \($0.key.path)", $0.value) })
            return stats
        }
    }

    /// Zeroes the counts, keeping requests in flight.
    func reset() {
        counters.withLockedValue { counters in
            let inFlight = counters.stats.inFlight
            counters = Counters()
            counters.stats.inFlight = inFlight
            counters.stats.maxInFlight = inFlight
        }
    }
}

/// The arithmetic of ``RateLimit``, on explicit instants so it can be tested exactly.
///
/// Reservations are slots in time: a caller reserves the next slot and sleeps until it.
/// Slots never go backwards, so callers are served in order and the window count is
/// checked against the newest slots only.
struct TokenBucket: Sendable {
    typealias Instant = ContinuousClock.Instant

    let limit: RateLimit
    private var tokens: Double
    private var updated: Instant
    /// Slots reserved within the last interval (some in the future), ascending.
    private var slots: [Instant] = []

    init(_ limit: RateLimit, now: Instant) {
        self.limit = limit
        self.tokens = Double(limit.burst)
        self.updated = now
    }

    private var tokensPerSecond: Double {
        Double(limit.requests) / limit.interval.seconds
    }

    /// Takes a token and returns the instant the request may start, at or after `notBefore`.
    mutating func reserve(now: Instant, notBefore: Instant? = nil) -> Instant {
        refill(now: now)
        var slot = now
        if tokens < 1 {
            slot = now + .seconds((1 - tokens) / tokensPerSecond)
        }
        tokens -= 1
        let windowStart = now - limit.interval
        let expired = slots.prefix(while: { $0 <= windowStart }).count
        if expired > 0 { slots.removeFirst(expired) }
        if slots.count >= limit.requests {
            slot = max(slot, slots[slots.count - limit.requests] + limit.interval)
        }
        if let last = slots.last { slot = max(slot, last) }
        if let notBefore { slot = max(slot, notBefore) }
        slots.append(slot)
        return slot
    }

    /// Gives back a reservation that was not used (its caller was cancelled).
    mutating func release(_ slot: Instant, now: Instant) {
        refill(now: now)
        tokens = min(Double(limit.burst), tokens + 1)
        if let index = slots.lastIndex(of: slot) {
            slots.remove(at: index)
        }
    }

    private mutating func refill(now: Instant) {
        guard now > updated else { return }
        tokens = min(Double(limit.burst), tokens + (now - updated).seconds * tokensPerSecond)
        updated = now
    }
}

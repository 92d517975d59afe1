import NIOConcurrencyHelpers

/// Paces every request made with one API key and base URL in this process: the client's
/// own ``TokenBucket`` (when pacing is on), the server's remaining budget from
/// `X-RateLimit-Remaining`/`Reset`, and pauses after a 429. Shared by every
/// ``FlireoClient`` with the same key and base URL (see ``PacerRegistry``).
///
/// The state sits behind a lock and is only touched briefly; waits happen outside it, as
/// cancellable sleeps that give the reservation back when cancelled.
final class RequestPacer: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// Why a request had to wait.
    enum Reason: String, Sendable {
        case clientLimit = "the client rate limit"
        case serverBudget = "the server's rate limit window to reset"
        case serverPause = "the server's Retry-After"
    }

    /// A reserved start: the request may go at `slot`.
    struct Ticket: Sendable {
        let sequence: Int
        let slot: Instant
        let reason: Reason
        fileprivate let fromBucket: Bool
    }

    private struct ServerWindow {
        var remaining: Int
        var resetAt: Instant
        var resetUnix: Double
    }

    private struct State {
        var bucket: TokenBucket?
        var pausedUntil: Instant?
        var window: ServerWindow?
        var issued = 0
        /// When requests were actually admitted, within the last interval, ascending.
        var admitted: [Instant] = []
        /// The end of the last server-imposed wait announced (see `shouldAnnounce`).
        var announcedUntil: Instant?
        /// Whether the client's own pacing has been said (once: see `shouldAnnouncePacing`).
        var announcedPacing = false
        /// How long the client's own pacing has held requests back so far.
        var pacingHeld = Duration.zero
    }

    private let state: NIOLockedValueBox<State>
    /// The server, as its notices name it (`https://api.flireo.example`): two clients of one
    /// script may each be paced.
    let server: String

    init(rateLimit: RateLimit?, server: String, now: Instant = .now) {
        state = NIOLockedValueBox(State(bucket: rateLimit.map { TokenBucket($0, now: now) }))
        self.server = server
    }

    /// The client-side limit in force, or `nil` when client pacing is off.
    var rateLimit: RateLimit? {
        state.withLockedValue { $0.bucket?.limit }
    }

    /// Adopts `limit` when it is stricter than the one in force (or none is).
    func tighten(to limit: RateLimit?, now: Instant = .now) {
        guard let limit else { return }
        state.withLockedValue { state in
            if let current = state.bucket?.limit,
                Double(current.requests) / current.interval.seconds <= Double(limit.requests) / limit.interval.seconds
            {
                return
            }
            state.bucket = TokenBucket(limit, now: now)
        }
    }

    /// Reserves the next start. A server-imposed wait longer than `maxServerWait` is not
    /// reserved: the call fails with `rate_limit_exceeded` carrying the wait.
    func reserve(now: Instant = .now, maxServerWait: Duration) throws -> Ticket {
        try state.withLockedValue { state throws -> Ticket in
            var serverSlot = now
            var reason = Reason.clientLimit
            if let paused = state.pausedUntil {
                if paused > now {
                    serverSlot = paused
                    reason = .serverPause
                } else {
                    state.pausedUntil = nil
                }
            }
            if var window = state.window {
                if window.resetAt <= now {
                    state.window = nil
                } else if window.remaining > 0 {
                    window.remaining -= 1
                    state.window = window
                } else if window.resetAt > serverSlot {
                    serverSlot = window.resetAt
                    reason = .serverBudget
                }
            }
            let serverWait = serverSlot - now
            if serverWait > maxServerWait {
                throw FlireoError(
                    code: .rateLimitExceeded,
                    message: "The server's rate limit allows no request for \(FlireoError.formatSeconds(serverWait.seconds)), "
                        + "longer than the longest wait this client takes",
                    retryAfter: serverWait.seconds
                )
            }
            state.issued += 1
            guard var bucket = state.bucket else {
                return Ticket(sequence: state.issued - 1, slot: serverSlot, reason: reason, fromBucket: false)
            }
            let slot = bucket.reserve(now: now, notBefore: serverSlot)
            state.bucket = bucket
            return Ticket(
                sequence: state.issued - 1,
                slot: slot,
                reason: slot > serverSlot ? .clientLimit : reason,
                fromBucket: true
            )
        }
    }

    /// Admits a request whose reserved slot has come, or returns when to ask again.
    ///
    /// Slots are only a plan: a process that stalls wakes several sleepers at once, and
    /// sending them all would put more than the limit into one window. So the actual
    /// admissions are counted too, and none goes out while the last interval is full.
    func admit(now: Instant = .now) -> Instant? {
        state.withLockedValue { state in
            guard let limit = state.bucket?.limit else { return nil }
            let windowStart = now - limit.interval
            let expired = state.admitted.prefix(while: { $0 <= windowStart }).count
            if expired > 0 { state.admitted.removeFirst(expired) }
            if state.admitted.count >= limit.requests {
                return state.admitted[state.admitted.count - limit.requests] + limit.interval
            }
            state.admitted.append(now)
            return nil
        }
    }

    /// Gives back a ticket whose request will not be sent.
    func release(_ ticket: Ticket, now: Instant = .now) {
        guard ticket.fromBucket else { return }
        state.withLockedValue { state in
            state.bucket?.release(ticket.slot, now: now)
        }
    }

    /// The end of the pause after a 429, while one is set.
    var pausedUntil: Instant? {
        state.withLockedValue { $0.pausedUntil }
    }

    /// Whether the client's own pacing has now held requests back for 2 s or more in all,
    /// for the first time (one wait of that length, or a listing's many short ones): said
    /// once, so that a long paced run is not taken for a hang.
    func shouldAnnouncePacing(_ wait: Duration) -> Bool {
        guard wait > .zero else { return false }
        return state.withLockedValue { state in
            guard !state.announcedPacing else { return false }
            state.pacingHeld += wait
            state.announcedPacing = state.pacingHeld >= .seconds(2)
            return state.announcedPacing
        }
    }

    /// Whether a wait until `until` is news: a server-imposed wait of 5 s or more that ends
    /// later than the last one announced (one line for the 32 requests a 429 holds back).
    func shouldAnnounce(until: Instant, now: Instant = .now) -> Bool {
        // (A Retry-After of 5 is a wait of 5 s less the moments since the answer came.)
        guard until - now >= .milliseconds(4_500) else { return false }
        return state.withLockedValue { state in
            if let announced = state.announcedUntil, until <= announced + .seconds(1) { return false }
            state.announcedUntil = until
            return true
        }
    }

    /// Holds every request back until `now + wait` (after a 429).
    func pause(for wait: Duration, now: Instant = .now) {
        state.withLockedValue { state in
            let until = now + wait
            if state.pausedUntil.map({ $0 < until }) ?? true {
                state.pausedUntil = until
            }
        }
    }

    /// Learns the server's remaining budget from the response to request `sequence`.
    /// Requests reserved after it may not have been counted yet, so they are subtracted.
    func observe(_ headers: RateLimitHeaders, sequence: Int, now: Instant = .now, unixNow: Double = WallClock.now()) {
        guard let remaining = headers.remaining, let resetUnix = headers.resetAt, resetUnix > unixNow else { return }
        let resetAt = now + .seconds(resetUnix - unixNow)
        state.withLockedValue { state in
            let budget = max(0, remaining - (state.issued - sequence - 1))
            if let window = state.window {
                if resetUnix < window.resetUnix { return }
                if resetUnix == window.resetUnix {
                    state.window?.remaining = min(window.remaining, budget)
                    return
                }
            }
            state.window = ServerWindow(remaining: budget, resetAt: resetAt, resetUnix: resetUnix)
        }
    }
}

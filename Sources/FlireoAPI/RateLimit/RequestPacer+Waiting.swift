extension RequestPacer {
    /// Waits for this request's turn: reserves a start and sleeps until it, then sleeps
    /// on while a 429 elsewhere has paused the key. Cancelling the calling task ends the
    /// wait at once and gives the reservation back.
    /// - Parameter maxServerWait: the longest server-imposed wait to take.
    /// - Returns: the ticket and how long the call waited.
    /// - Throws: ``FlireoError`` `cancelled`, or `rate_limit_exceeded` when the server asks for a longer wait.
    func acquire(
        maxServerWait: Duration, announce: (@Sendable (String) -> Void)? = nil
    ) async throws -> (ticket: Ticket, waited: Duration) {
        let start = ContinuousClock.Instant.now
        let ticket = try reserve(now: start, maxServerWait: maxServerWait)
        return try await waitForTurn(ticket, since: start, announce: announce)
    }

    /// Sleeps until a reserved ticket's turn (see ``acquire(maxServerWait:)``).
    /// - Parameters:
    ///   - ticket: the reservation.
    ///   - start: when the request asked for its turn.
    /// - Returns: the ticket and how long the request waited since `start`.
    /// - Throws: ``FlireoError`` `cancelled` (the reservation is given back).
    func waitForTurn(
        _ ticket: Ticket, since start: ContinuousClock.Instant, announce: (@Sendable (String) -> Void)? = nil
    ) async throws -> (ticket: Ticket, waited: Duration) {
        // A long wait the server imposed is said once, before it: a minute of silence
        // looks like a hang. The client's own pacing is expected: said once, when its waits
        // first add up to seconds.
        if let announce {
            let now = ContinuousClock.Instant.now
            var wait: (until: Instant, reason: Reason)?
            if let paused = pausedUntil, paused > now { wait = (paused, .serverPause) }
            if ticket.reason != .clientLimit, ticket.slot > (wait?.until ?? now) { wait = (ticket.slot, ticket.reason) }
            if let wait, shouldAnnounce(until: wait.until, now: now) {
                let seconds = Int(((wait.until - now) / .seconds(1)).rounded(.up))
                announce("waiting \(seconds) s for \(wait.reason.rawValue) (\(server); Ctrl-C stops)")
            }
            if ticket.reason == .clientLimit, let limit = rateLimit, shouldAnnouncePacing(ticket.slot - now) {
                announce(
                    "pacing requests to \(server) at \(limit) (--rate-limit, a profile's rate_limit or connect{rate_limit} changes it; Ctrl-C stops)"
                )
            }
        }
        do {
            if ticket.slot > start {
                try await Task.sleep(until: ticket.slot, clock: .continuous)
            }
            while let until = pausedUntil, until > .now {
                try await Task.sleep(until: until, clock: .continuous)
            }
            while let next = admit() {
                try await Task.sleep(until: next, clock: .continuous)
            }
            try Task.checkCancellation()
        } catch {
            release(ticket)
            throw FlireoError.cancelled()
        }
        return (ticket, .now - start)
    }

    /// Admits a reserved ticket at once when nothing would make it wait: what
    /// ``waitForTurn(_:since:)`` does when it does not sleep, without a task.
    /// - Returns: whether the request may go now (if not, the ticket stays reserved).
    func admitNow(_ ticket: Ticket, now: ContinuousClock.Instant) -> Bool {
        guard ticket.slot <= now, (pausedUntil.map { $0 <= now } ?? true) else { return false }
        return admit(now: now) == nil
    }
}

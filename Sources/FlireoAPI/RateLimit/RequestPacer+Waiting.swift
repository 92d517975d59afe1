extension RequestPacer {
    /// Waits for this request's turn: reserves a start and sleeps until it, then sleeps
    /// on while a 429 elsewhere has paused the key. Cancelling the calling task ends the
    /// wait at once and gives the reservation back.
    /// - Parameter maxServerWait: the longest server-imposed wait to take.
    /// - Returns: the ticket and how long the call waited.
    /// - Throws: ``FlireoError`` `cancelled`, or `rate_limit_exceeded` when the server asks for a longer wait.
    func acquire(maxServerWait: Duration) async throws -> (ticket: Ticket, waited: Duration) {
        let start = ContinuousClock.Instant.now
        let ticket = try reserve(now: start, maxServerWait: maxServerWait)
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
}

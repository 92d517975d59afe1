import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore

/// Enforces one client's per-attempt total timeout and read timeout for every request in
/// flight with one periodic check, instead of two event-loop timers per request.
///
/// AsyncHTTPClient schedules a timer per request for each timeout and cancels it with a
/// linear search of the event loop's timer heap; at bulk rates that was a tenth of the
/// client's CPU. Here a request only registers its deadlines (a dictionary insert under a
/// lock) and a tick of `interval` (an eighth of the shortest timeout, at most 250 ms) runs
/// while anything is in flight, so a timeout fires at most one tick late.
///
/// The total timeout runs from the start of the attempt until the whole response has
/// arrived, body included (AsyncHTTPClient's own ends at the head, so a body trickling in a
/// byte at a time would hold a request for ever); the read timeout runs from when the
/// request has been sent, is reset by every part of the response, and ends with it.
final class TimeoutWatch: Sendable {
    /// One attempt being watched.
    private struct Entry {
        let attempt: AttemptHandle
        let deadline: NIODeadline
        var lastActivity: NIODeadline
        /// The request has been sent: silence from now on counts against the read timeout.
        var sent = false
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var nextID: UInt64 = 0
        var ticking = false
    }

    private let state = NIOLockedValueBox(State())
    private let eventLoop: any EventLoop
    private let total: TimeAmount
    /// `nil` when the HTTP client enforces its own read timeout (an injected client).
    private let read: TimeAmount?
    let interval: TimeAmount

    /// Creates a watch.
    /// - Parameters:
    ///   - total: the per-attempt total timeout.
    ///   - read: the read timeout, or `nil` to leave it to the HTTP client.
    ///   - eventLoop: where the periodic check runs.
    init(total: Duration, read: Duration?, eventLoop: any EventLoop) {
        self.total = TimeAmount(total)
        self.read = read.map { TimeAmount($0) }
        self.eventLoop = eventLoop
        let shortest = min(self.total, self.read ?? self.total)
        interval = min(max(.nanoseconds(shortest.nanoseconds / 8), .milliseconds(1)), .milliseconds(250))
    }

    /// Starts watching an attempt that starts now; a timeout fails it through `attempt`.
    /// - Returns: the key for ``sent(_:)``, ``received(_:)`` and ``finished(_:)``.
    func watch(_ attempt: AttemptHandle) -> UInt64 {
        let now = NIODeadline.now()
        let (id, startTicking) = state.withLockedValue { state -> (UInt64, Bool) in
            state.nextID &+= 1
            state.entries[state.nextID] = Entry(attempt: attempt, deadline: now + total, lastActivity: now)
            defer { state.ticking = true }
            return (state.nextID, !state.ticking)
        }
        if startTicking { scheduleTick() }
        return id
    }

    /// The request has been sent: the read timeout starts.
    func sent(_ id: UInt64) {
        let now = NIODeadline.now()
        state.withLockedValue { state in
            state.entries[id]?.sent = true
            state.entries[id]?.lastActivity = now
        }
    }

    /// Part of the response arrived: the read timeout starts again.
    func received(_ id: UInt64) {
        let now = NIODeadline.now()
        state.withLockedValue { state in
            state.entries[id]?.lastActivity = now
        }
    }

    /// The attempt ended, one way or another.
    func finished(_ id: UInt64) {
        state.withLockedValue { state in
            _ = state.entries.removeValue(forKey: id)
        }
    }

    private func scheduleTick() {
        eventLoop.scheduleTask(in: interval) { [self] in tick() }
    }

    /// Fails the attempts past a timeout, then ticks again while any remain.
    private func tick() {
        let now = NIODeadline.now()
        let (expired, again) = state.withLockedValue { state -> ([(AttemptHandle, HTTPClientError)], Bool) in
            var expired: [(AttemptHandle, HTTPClientError)] = []
            for (id, entry) in state.entries {
                if entry.deadline <= now {
                    expired.append((entry.attempt, .deadlineExceeded))
                } else if let read, entry.sent, entry.lastActivity + read <= now {
                    expired.append((entry.attempt, .readTimeout))
                } else {
                    continue
                }
                state.entries[id] = nil
            }
            state.ticking = !state.entries.isEmpty
            return (expired, state.ticking)
        }
        for (attempt, error) in expired { attempt.fail(error) }
        if again { scheduleTick() }
    }
}

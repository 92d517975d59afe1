import AsyncHTTPClient
import NIOConcurrencyHelpers

/// A started operation (see ``FlireoClient/start(_:completion:)``): what cancels it.
///
/// Cancelling ends the operation promptly wherever it is (waiting for its turn, in flight,
/// in a backoff, reading back a mutation's outcome); its completion then receives
/// `cancelled`, as an async call whose task is cancelled throws it.
public final class FlireoCall: Sendable {
    private struct State {
        var cancelled = false
        var attempt: AttemptHandle?
        var task: Task<Void, Never>?
    }

    private let state = NIOLockedValueBox(State())

    /// Creates a handle for an operation about to start.
    init() {}

    /// Cancels the operation.
    public func cancel() {
        let (attempt, task) = state.withLockedValue { state in
            state.cancelled = true
            return (state.attempt, state.task)
        }
        attempt?.fail(HTTPClientError.cancelled)
        task?.cancel()
    }

    /// Whether ``cancel()`` was called.
    public var isCancelled: Bool {
        state.withLockedValue { $0.cancelled }
    }

    /// A handle for the next attempt, failed at once if the call is already cancelled.
    func nextAttempt() -> AttemptHandle {
        let attempt = AttemptHandle()
        let cancelled = state.withLockedValue { state in
            state.attempt = attempt
            return state.cancelled
        }
        if cancelled { attempt.fail(HTTPClientError.cancelled) }
        return attempt
    }

    /// Continues the operation in a task (retries, waits, read-backs), cancelled with the call.
    func continueInTask(_ body: @escaping @Sendable () async -> Void) {
        let task = Task { await body() }
        let cancelled = state.withLockedValue { state in
            state.task = task
            return state.cancelled
        }
        if cancelled { task.cancel() }
    }
}

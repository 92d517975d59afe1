import AsyncHTTPClient
import NIOConcurrencyHelpers

/// One attempt's AsyncHTTPClient task, once it exists: what cancellation and the timeout
/// watch fail. A failure that comes before the task exists is applied when it is attached,
/// so a cancellation racing the start of a request is never lost.
final class AttemptHandle: Sendable {
    private struct State {
        var task: HTTPClient.Task<Reply>?
        var failure: (any Error)?
    }

    private let state = NIOLockedValueBox(State())

    /// Attaches the started task (failing it at once if a failure came first).
    func attach(_ task: HTTPClient.Task<Reply>) {
        let pending = state.withLockedValue { state -> (any Error)? in
            state.task = task
            return state.failure
        }
        if let pending { task.fail(reason: pending) }
    }

    /// Fails the attempt with `error` (the first failure wins).
    func fail(_ error: any Error) {
        let task = state.withLockedValue { state -> HTTPClient.Task<Reply>? in
            guard state.failure == nil else { return nil }
            state.failure = error
            return state.task
        }
        task?.fail(reason: error)
    }
}

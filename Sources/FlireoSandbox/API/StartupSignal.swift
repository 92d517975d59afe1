import NIOConcurrencyHelpers

/// Hands the bound port (or the failure) from the server task to `Sandbox.start`, once.
final class StartupSignal: Sendable {
    private enum State {
        case waiting
        case awaited(CheckedContinuation<Int, any Error>)
        case done(Result<Int, SandboxError>)
    }

    private let state = NIOLockedValueBox(State.waiting)

    /// The server is listening on `port`.
    func succeed(_ port: Int) {
        complete(.success(port))
    }

    /// The server could not start (ignored once it has started).
    func fail(_ error: SandboxError) {
        complete(.failure(error))
    }

    /// Waits for the outcome.
    /// - Returns: The port.
    /// - Throws: `SandboxError`.
    func wait() async throws(SandboxError) -> Int {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let ready: Result<Int, SandboxError>? = state.withLockedValue { state in
                    if case .done(let result) = state { return result }
                    state = .awaited(continuation)
                    return nil
                }
                if let ready { continuation.resume(with: ready) }
            }
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError("\(error)")
        }
    }

    private func complete(_ result: Result<Int, SandboxError>) {
        let continuation: CheckedContinuation<Int, any Error>? = state.withLockedValue { state in
            switch state {
            case .waiting:
                state = .done(result)
                return nil
            case .awaited(let continuation):
                state = .done(result)
                return continuation
            case .done:
                return nil
            }
        }
        continuation?.resume(with: result.mapError { $0 as any Error })
    }
}

extension FlireoClient {
    /// Runs an operation and returns its result.
    /// - Parameter operation: what to run (see ``operations``).
    /// - Returns: the decoded result.
    /// - Throws: ``FlireoError``, as the operation's own method documents; `cancelled`
    ///   when the calling task is cancelled.
    public func run<Value>(_ operation: FlireoOperation<Value>) async throws -> Value {
        let call = FlireoCall()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                start(operation, call: call) { continuation.resume(with: $0) }
            }
        } onCancel: {
            call.cancel()
        }
    }

    /// Starts an operation without a task and calls `completion` once with its result.
    ///
    /// The common case (the turn comes at once, one attempt, a 2xx) runs on the HTTP
    /// client's event loop from start to `completion`, without a Swift task or a hop
    /// through the cooperative pool; waits, retries and read-backs continue in a task.
    /// Either way the rules, errors and trace are those of ``run(_:)``.
    /// - Parameters:
    ///   - operation: what to run (see ``operations``).
    ///   - completion: receives the result or the ``FlireoError``, on any thread.
    /// - Returns: the handle that cancels the operation.
    @discardableResult
    public func start<Value>(
        _ operation: FlireoOperation<Value>, completion: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) -> FlireoCall {
        let call = FlireoCall()
        start(operation, call: call, completion: completion)
        return call
    }

    private func start<Value>(
        _ operation: FlireoOperation<Value>, call: FlireoCall,
        completion: @escaping @Sendable (Result<Value, any Error>) -> Void
    ) {
        let endpoint = operation.endpoint
        startSending(endpoint, call: call) { [self] sent in
            var failure: FlireoError
            switch sent {
            case .success(let reply):
                do {
                    completion(.success(try value(of: reply, for: endpoint, operation.decode)))
                    return
                } catch let error as FlireoError where operation.settle != nil && error.code == .invalidResponse {
                    // The server took the change (a 2xx) but its answer cannot be read: what
                    // it did is read back, as after a dropped connection.
                    failure = error
                    failure.outcomeUnknown = true
                    failure.status = failure.status ?? reply.status
                    failure.message += "; the server accepted the request (\(reply.status)) but its answer does not say what it did"
                } catch {
                    completion(.failure(error))
                    return
                }
            case .failure(let error):
                failure = error
            }
            guard let settle = operation.settle, failure.outcomeUnknown, failure.code != .cancelled else {
                completion(.failure(failure))
                return
            }
            call.continueInTask { [failure] in
                do {
                    completion(.success(try await settle(self, failure)))
                } catch {
                    completion(.failure(error))
                }
            }
        }
    }

    /// Sends `endpoint` as ``send(_:)`` does, with the first attempt made from the
    /// caller's thread when its turn comes at once and judged on the event loop; anything
    /// that must wait continues in a task.
    private func startSending(
        _ endpoint: Endpoint, call: FlireoCall, completion: @escaping @Sendable (Result<Reply, FlireoError>) -> Void
    ) {
        let sending: Sending
        let ticket: RequestPacer.Ticket
        let start = ContinuousClock.Instant.now
        do {
            sending = try Sending(endpoint, client: self)
            ticket = try pacer.reserve(now: start, maxServerWait: sending.policy.maxRetryAfter)
        } catch {
            completion(.failure(finished(FlireoError.unexpected(error), endpoint)))
            return
        }
        guard !call.isCancelled, pacer.admitNow(ticket, now: start) else {
            call.continueInTask { [self] in
                var sending = sending
                completion(await sendingResult(endpoint) { try await sendWithRetries(&sending, reserved: (ticket, start)) })
            }
            return
        }
        var first = sending
        let started = beginAttempt(&first, ticket: ticket, waited: .zero)
        let attempt = call.nextAttempt()
        let sent = first
        startExchange(url: sent.url, method: endpoint.method, body: sent.body, attempt: attempt) { [self] outcome in
            var judged = sent
            let verdict = judge(&judged, outcome, sequence: ticket.sequence, started: started, cancelled: call.isCancelled)
            switch verdict {
            case .done(let reply):
                completion(.success(reply))
            case .failed(let error):
                completion(.failure(finished(error, endpoint)))
            case .retry:
                let afterFirst = judged
                call.continueInTask { [self] in
                    var sending = afterFirst
                    completion(await sendingResult(endpoint) {
                        if let reply = try await follow(verdict, &sending) { return reply }
                        return try await sendWithRetries(&sending, reserved: nil)
                    })
                }
            }
        }
    }

    /// The outcome of the rest of a send, its error finished as ``send(_:)`` finishes it.
    private func sendingResult(_ endpoint: Endpoint, _ body: () async throws -> Reply) async -> Result<Reply, FlireoError> {
        do {
            return .success(try await body())
        } catch {
            return .failure(finished(FlireoError.unexpected(error), endpoint))
        }
    }
}

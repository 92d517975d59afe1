import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension FlireoClient {
    /// Sends `endpoint` through pacing and the retry rules of ``RetryPolicy``.
    /// - Returns: the 2xx reply.
    /// - Throws: ``FlireoError``, redacted and tagged with the method and path.
    func send(_ endpoint: Endpoint) async throws -> Reply {
        do {
            return try await sendWithRetries(endpoint)
        } catch let error as FlireoError {
            throw redactor.scrub(error.attached(method: endpoint.method.rawValue, path: endpoint.pathWithoutQuery))
        }
    }

    private func sendWithRetries(_ endpoint: Endpoint) async throws -> Reply {
        let method = endpoint.method.rawValue
        let target = endpoint.target
        let url = baseURL.prefix + target
        let body = try endpoint.body.map { ByteBuffer(bytes: try $0.encoded()) }
        let policy = configuration.retryPolicy
        var attempt = 0
        var failures = 0
        var rateLimitWaits = 0
        while true {
            attempt += 1
            let (ticket, waited) = try await pacer.acquire(maxServerWait: policy.maxRetryAfter)
            if waited > .milliseconds(1) {
                trace(TraceEvent(kind: .wait, method: method, target: target, attempt: attempt, duration: waited,
                                 note: "for \(ticket.reason.rawValue)"))
            }
            trace(TraceEvent(kind: .request, method: method, target: target, attempt: attempt))
            let started = ContinuousClock.now
            let reply: Reply
            do {
                reply = try await exchange(url: url, method: endpoint.method, body: body)
            } catch {
                let failure = FlireoError.transport(error, timeouts: configuration.timeouts, authority: baseURL.authority)
                trace(TraceEvent(kind: .failure, method: method, target: target, attempt: attempt,
                                 duration: .now - started, note: failure.error.description))
                let mayHaveBeenApplied = !endpoint.isRetryable && failure.mayHaveBeenSent
                if Task.isCancelled || failure.error.code == .cancelled {
                    throw FlireoError.cancelled(mayHaveBeenApplied: mayHaveBeenApplied)
                }
                failures += 1
                if endpoint.isRetryable && failures < policy.maxAttempts {
                    try await pause(policy.backoff(beforeRetry: failures), method: method, target: target,
                                    attempt: attempt, note: "after \(failure.error.code) (attempt \(failures + 1) of \(policy.maxAttempts))")
                    continue
                }
                var error = failure.error
                if mayHaveBeenApplied {
                    error.outcomeUnknown = true
                    error.message += "; the server may have applied the request"
                }
                throw error
            }
            let headers = RateLimitHeaders(reply.headers, now: WallClock.now())
            if !headers.isEmpty {
                pacer.observe(headers, sequence: ticket.sequence)
            }
            trace(TraceEvent(kind: .response, method: method, target: target, attempt: attempt,
                             status: reply.status, duration: .now - started))
            if (200..<300).contains(reply.status) {
                return reply
            }
            var error = FlireoError.fromResponse(
                status: reply.status, headers: reply.headers, body: Array(reply.body.readableBytesView), method: method,
                path: endpoint.pathWithoutQuery,
                redactor: redactor
            )
            if reply.status == 429 {
                // The server refused the request, so sending it again applies it at most once.
                let wait = error.retryAfter.map { Duration.seconds($0) }
                    ?? max(.seconds(1), policy.backoff(beforeRetry: rateLimitWaits + 1))
                guard rateLimitWaits < policy.rateLimitRetries, wait <= policy.maxRetryAfter else { throw error }
                rateLimitWaits += 1
                pacer.pause(for: wait)
                trace(TraceEvent(kind: .retry, method: method, target: target, attempt: attempt, status: 429, duration: wait,
                                 note: "rate limited (wait \(rateLimitWaits) of \(policy.rateLimitRetries))"))
                continue
            }
            if Self.isServerFailure(reply.status) {
                failures += 1
                let asked = error.retryAfter.map { Duration.seconds($0) } ?? .zero
                if endpoint.isRetryable && failures < policy.maxAttempts && asked <= policy.maxRetryAfter {
                    let wait = max(asked, policy.backoff(beforeRetry: failures))
                    try await pause(wait, method: method, target: target, attempt: attempt,
                                    note: "after \(reply.status) (attempt \(failures + 1) of \(policy.maxAttempts))")
                    continue
                }
                if !endpoint.isRetryable { error.outcomeUnknown = true }
            }
            throw error
        }
    }

    /// 5xx other than 501 (which will not change on retry).
    static func isServerFailure(_ status: Int) -> Bool {
        (500..<600).contains(status) && status != 501
    }

    /// A traced, cancellable backoff sleep before a retry.
    private func pause(_ wait: Duration, method: String, target: String, attempt: Int, note: String) async throws {
        trace(TraceEvent(kind: .retry, method: method, target: target, attempt: attempt, duration: wait, note: note))
        do {
            try await Task.sleep(for: wait)
        } catch {
            throw FlireoError.cancelled()
        }
    }
}

import NIOCore

/// One request across its attempts: what it sends and what the retry rules count.
struct Sending: Sendable {
    let endpoint: Endpoint
    let method: String
    let target: String
    let url: String
    let body: ByteBuffer?
    let policy: RetryPolicy
    var attempt = 0
    var failures = 0
    var rateLimitWaits = 0

    /// The longest path and query sent (servers refuse far less; AsyncHTTPClient traps on
    /// a request head over 64 KB on a reused connection).
    static let maximumTargetBytes = 8192

    /// - Throws: ``FlireoError`` `invalid_parameters` for a body JSON cannot carry, or a
    ///   path and query longer than ``maximumTargetBytes``.
    init(_ endpoint: Endpoint, client: FlireoClient) throws {
        self.endpoint = endpoint
        method = endpoint.method.rawValue
        target = endpoint.target
        guard target.utf8.count <= Self.maximumTargetBytes else {
            throw FlireoError.invalidParameter(
                "path", "the path and query are \(target.utf8.count) bytes; at most \(Self.maximumTargetBytes) are sent")
        }
        url = client.baseURL.prefix + target
        body = try endpoint.body.map { ByteBuffer(bytes: try $0.encoded()) }
        policy = client.configuration.retryPolicy
    }
}

/// What an attempt's outcome means for the request.
enum Verdict: Sendable {
    /// A 2xx reply: the request is done.
    case done(Reply)
    /// The request failed for good.
    case failed(FlireoError)
    /// Send again, after this traced backoff (`nil`: the pacer holds the next attempt back).
    case retry(backoff: (wait: Duration, note: String)?)
}

extension FlireoClient {
    /// Sends `endpoint` through pacing and the retry rules of ``RetryPolicy``.
    /// - Returns: the 2xx reply.
    /// - Throws: ``FlireoError``, redacted and tagged with the method and path.
    func send(_ endpoint: Endpoint) async throws -> Reply {
        do {
            var sending = try Sending(endpoint, client: self)
            return try await sendWithRetries(&sending, reserved: nil)
        } catch let error as FlireoError {
            throw finished(error, endpoint)
        }
    }

    /// An error as it leaves the client: tagged with the method and path, key masked. A
    /// refused connection names where the base URL came from, a refused key where the key
    /// did (a stale FLIREO_BASE_URL or key left exported is the usual cause).
    func finished(_ error: FlireoError, _ endpoint: Endpoint) -> FlireoError {
        var error = error.attached(method: endpoint.method.rawValue, path: endpoint.pathWithoutQuery)
        let sources = configuration.sources
        let origin: String? = switch error.code {
        case .connectionFailed where sources.baseURL != "code": "the base URL is from \(sources.baseURL)"
        case .unauthorized where sources.apiKey != "code": "the API key is from \(sources.apiKey)"
        default: nil
        }
        if let origin, !error.message.hasSuffix("(\(origin))") { error.message += " (\(origin))" }
        return redactor.scrub(error)
    }

    /// The attempts from here on: each waits for its turn, is sent and judged.
    /// - Parameter reserved: a turn already reserved for the first of them, and since when.
    func sendWithRetries(_ sending: inout Sending, reserved: (RequestPacer.Ticket, ContinuousClock.Instant)?) async throws -> Reply {
        var reserved = reserved
        while true {
            let (ticket, waited): (RequestPacer.Ticket, Duration)
            if let (held, since) = reserved {
                (ticket, waited) = try await pacer.waitForTurn(held, since: since, announce: configuration.notice)
                reserved = nil
            } else {
                (ticket, waited) = try await pacer.acquire(maxServerWait: sending.policy.maxRetryAfter, announce: configuration.notice)
            }
            let started = beginAttempt(&sending, ticket: ticket, waited: waited)
            let outcome: Result<Reply, any Error>
            do {
                outcome = .success(try await exchange(url: sending.url, method: sending.endpoint.method, body: sending.body))
            } catch {
                outcome = .failure(error)
            }
            let verdict = judge(&sending, outcome, sequence: ticket.sequence, started: started, cancelled: Task.isCancelled)
            if let reply = try await follow(verdict, &sending) { return reply }
        }
    }

    /// Carries a verdict out: the reply, the failure thrown, or the backoff slept (`nil`: send again).
    func follow(_ verdict: Verdict, _ sending: inout Sending) async throws -> Reply? {
        switch verdict {
        case .done(let reply):
            return reply
        case .failed(let error):
            throw error
        case .retry(let backoff):
            if let (wait, note) = backoff {
                try await pause(wait, method: sending.method, target: sending.target, attempt: sending.attempt, note: note)
            }
            return nil
        }
    }

    /// Counts and traces the start of an attempt whose turn came after `waited`.
    /// - Returns: when it started.
    func beginAttempt(_ sending: inout Sending, ticket: RequestPacer.Ticket, waited: Duration) -> ContinuousClock.Instant {
        sending.attempt += 1
        if waited > .milliseconds(1) {
            trace(TraceEvent(kind: .wait, method: sending.method, target: sending.target, attempt: sending.attempt,
                             duration: waited, note: "for \(ticket.reason.rawValue)"))
        }
        trace(TraceEvent(kind: .request, method: sending.method, target: sending.target, attempt: sending.attempt))
        return .now
    }

    /// Judges one attempt's outcome by the retry rules: a 2xx is done; a transport failure
    /// or 5xx is retried for GETs; a 429 waits `Retry-After` (and paces the key) and sends
    /// again, even a mutation, because the server refused it; anything else fails.
    /// - Parameter cancelled: whether the request was cancelled meanwhile.
    func judge(
        _ sending: inout Sending, _ outcome: Result<Reply, any Error>, sequence: Int, started: ContinuousClock.Instant,
        cancelled: Bool
    ) -> Verdict {
        let (endpoint, policy, method, target, attempt) =
            (sending.endpoint, sending.policy, sending.method, sending.target, sending.attempt)
        let reply: Reply
        switch outcome {
        case .success(let received):
            reply = received
        case .failure(let thrown):
            let failure = FlireoError.transport(thrown, timeouts: configuration.timeouts, authority: baseURL.authority)
            trace(TraceEvent(kind: .failure, method: method, target: target, attempt: attempt,
                             duration: .now - started, note: failure.error.description))
            let mayHaveBeenApplied = !endpoint.isRetryable && failure.mayHaveBeenSent
            if cancelled || failure.error.code == .cancelled {
                return .failed(FlireoError.cancelled(mayHaveBeenApplied: mayHaveBeenApplied))
            }
            sending.failures += 1
            if endpoint.isRetryable && failure.worthRetrying && sending.failures < policy.maxAttempts {
                let note = "after \(failure.error.code) (attempt \(sending.failures + 1) of \(policy.maxAttempts))"
                // A timeout has already taken long: said, so a run that seems stuck is not.
                if failure.error.code == .timeout {
                    configuration.notice?("\(method) \(endpoint.pathWithoutQuery): \(failure.error.message); trying again "
                        + "(attempt \(sending.failures + 1) of \(policy.maxAttempts))")
                }
                return .retry(backoff: (policy.backoff(beforeRetry: sending.failures), note))
            }
            var error = failure.error
            if sending.failures > 1 { error.message += " (tried \(sending.failures) times)" }
            if mayHaveBeenApplied {
                error.outcomeUnknown = true
                error.message += "; the server may have applied the request"
            }
            return .failed(error)
        }
        let headers = RateLimitHeaders(reply.headers, now: WallClock.now())
        if !headers.isEmpty {
            pacer.observe(headers, sequence: sequence)
        }
        trace(TraceEvent(kind: .response, method: method, target: target, attempt: attempt,
                         status: reply.status, duration: .now - started))
        if (200..<300).contains(reply.status) {
            return .done(reply)
        }
        var error = FlireoError.fromResponse(
            status: reply.status, headers: reply.headers, body: Array(reply.body.readableBytesView), method: method,
            path: endpoint.pathWithoutQuery,
            redactor: redactor
        )
        if reply.status == 429 {
            // The server refused the request, so sending it again applies it at most once.
            let wait = error.retryAfter.map { Duration.seconds($0) }
                ?? max(.seconds(1), policy.backoff(beforeRetry: sending.rateLimitWaits + 1))
            guard sending.rateLimitWaits < policy.rateLimitRetries, wait <= policy.maxRetryAfter else { return .failed(error) }
            sending.rateLimitWaits += 1
            pacer.pause(for: wait)
            trace(TraceEvent(kind: .retry, method: method, target: target, attempt: attempt, status: 429, duration: wait,
                             note: "rate limited (wait \(sending.rateLimitWaits) of \(policy.rateLimitRetries))"))
            return .retry(backoff: nil)
        }
        if Self.isServerFailure(reply.status) {
            sending.failures += 1
            let asked = error.retryAfter.map { Duration.seconds($0) } ?? .zero
            if endpoint.isRetryable && sending.failures < policy.maxAttempts && asked <= policy.maxRetryAfter {
                let note = "after \(reply.status) (attempt \(sending.failures + 1) of \(policy.maxAttempts))"
                return .retry(backoff: (max(asked, policy.backoff(beforeRetry: sending.failures)), note))
            }
            if sending.failures > 1 { error.message += " (tried \(sending.failures) times)" }
            // A server that failed may have done the work first (an order placed, then a
            // 503): said, as for a connection dropped after sending.
            if !endpoint.isRetryable {
                error.outcomeUnknown = true
                error.message += "; the server may have applied the request"
            }
        }
        return .failed(error)
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

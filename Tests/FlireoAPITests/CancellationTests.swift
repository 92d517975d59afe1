import FlireoAPI
import Testing

/// Runs `operation` in a task, cancels it after `after` once `ready` holds (a loaded
/// machine may take long to get the request to the server), and returns its error and
/// how long cancellation took to end it.
private func cancel(
    after: Duration,
    when ready: @escaping @Sendable () -> Bool = { true },
    _ operation: @escaping @Sendable () async throws -> Void
) async -> (error: FlireoError?, took: Duration) {
    let task = Task { try await operation() }
    let deadline = ContinuousClock.now + .seconds(20)
    while !ready(), ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(10)) }
    try? await Task.sleep(for: after)
    let cancelled = ContinuousClock.now
    task.cancel()
    let result = await task.result
    let took = ContinuousClock.now - cancelled
    if case .failure(let error as FlireoError) = result { return (error, took) }
    return (nil, took)
}

@Suite("Cancellation")
struct CancellationTests {
    @Test("cancelling the task ends an in-flight request at once")
    func inFlight() async throws {
        let server = try await ScriptedServer.start { _ in ScriptedResponse.json(200, Fixture.unlinked).delayed(.seconds(30)) }
        defer { server.stop() }
        let client = try server.client()
        let (error, took) = await cancel(after: .milliseconds(50), when: { server.requests.count >= 1 }) {
            _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        }
        #expect(error?.code == .cancelled)
        #expect(took < .seconds(20))  // well before what it waited for; slack for a stalled machine
        #expect(server.requests.count == 1)
        // The request itself was abandoned: its connection closes long before the 30 s reply.
        let deadline = ContinuousClock.now + .seconds(30)
        while server.closedConnections == 0 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(server.closedConnections >= 1)
    }

    @Test("cancelling an in-flight link does not read back and says it may have been applied")
    func inFlightMutation() async throws {
        let server = try await ScriptedServer.start { _ in ScriptedResponse.json(200, Fixture.linkResponse).delayed(.seconds(30)) }
        defer { server.stop() }
        let client = try server.client()
        let (error, _) = await cancel(after: .milliseconds(50), when: { server.requests.count >= 1 }) {
            _ = try await client.link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        }
        #expect(error?.code == .cancelled)
        #expect(error?.outcomeUnknown == true)
        #expect(server.requests("GET", Fixture.linkPath).isEmpty)
    }

    @Test("cancelling ends a Retry-After wait and nothing more is sent")
    func retryAfterWait() async throws {
        let limited = #"{"error": {"code": "rate_limit_exceeded", "message": "slow down"}}"#
        let server = try await ScriptedServer.start { _ in .json(429, limited, headers: [("Retry-After", "4")]) }
        defer { server.stop() }
        let client = try server.client()
        let (error, took) = await cancel(after: .milliseconds(200), when: { server.requests.count >= 1 }) {
            _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        }
        #expect(error?.code == .cancelled)
        #expect(took < .seconds(20))  // well before what it waited for; slack for a stalled machine
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.requests.count == 1)
    }

    @Test("cancelling ends a backoff sleep")
    func backoffSleep() async throws {
        let server = try await ScriptedServer.start { _ in .empty(503) }
        defer { server.stop() }
        let slow = RetryPolicy(maxAttempts: 5, initialBackoff: .seconds(20), maxBackoff: .seconds(20))
        let client = try server.client(retryPolicy: slow)
        // Full jitter may pick a short wait; a few tries make a long one near-certain, but
        // the assertion only needs the call to end promptly, however short the wait was.
        let (error, took) = await cancel(after: .milliseconds(200), when: { server.requests.count >= 1 }) {
            _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        }
        #expect(error?.code == .cancelled)
        #expect(took < .seconds(20))  // well before what it waited for; slack for a stalled machine
    }

    @Test("cancelling ends a wait for the client rate limit, and the turn is given back")
    func pacingWait() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.unlinked) }
        defer { server.stop() }
        let client = try server.client(rateLimit: RateLimit(requests: 1, per: .seconds(60), burst: 1))
        _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        // What the first call sent (more than one request if a stalled machine made it
        // time out and be sent again): the cancelled call must add nothing.
        let sent = server.requests.count
        let (error, took) = await cancel(after: .milliseconds(200)) {
            _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        }
        #expect(error?.code == .cancelled)
        #expect(took < .seconds(20))  // well before what it waited for; slack for a stalled machine
        #expect(server.requests.count == sent)
    }
}

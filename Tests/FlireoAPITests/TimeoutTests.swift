import FlireoAPI
import Testing

@Suite("Timeouts and connection failures")
struct TimeoutTests {
    @Test("the total timeout ends each attempt; a GET retries, then reports timeout")
    func totalTimeout() async throws {
        let server = try await ScriptedServer.start { _ in ScriptedResponse.json(200, Fixture.unlinked).delayed(.seconds(5)) }
        defer { server.stop() }
        let client = try server.client(timeouts: Timeouts(connect: .seconds(2), read: .seconds(10), total: .milliseconds(200)))
        let error = await flireoError { try await client.phoneNumber(assistantID: Fixture.assistantID) }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("total timeout") == true)
        #expect(server.requests.count == Fixture.fastRetries.maxAttempts)
    }

    @Test("the read timeout ends a silent connection")
    func readTimeout() async throws {
        let server = try await ScriptedServer.start { _ in ScriptedResponse.json(200, Fixture.unlinked).delayed(.seconds(5)) }
        defer { server.stop() }
        let client = try server.client(
            retryPolicy: .none, timeouts: Timeouts(connect: .seconds(2), read: .milliseconds(200), total: .seconds(10))
        )
        let error = await flireoError { try await client.phoneNumber(assistantID: Fixture.assistantID) }
        #expect(error?.code == .timeout)
        #expect(error?.message.contains("read timeout") == true)
    }

    @Test("a refused connection is connection_failed, quickly, and a mutation is not outcome-unknown")
    func refused() async throws {
        // A port bound but never listened on refuses connections, and nobody else can
        // take it while the test holds it (a stopped server's port may be reused at once).
        let closedPort = try ClosedPort()
        defer { closedPort.close() }
        let url = "http://127.0.0.1:\(closedPort.port)"
        let client = try FlireoClient(configuration: FlireoConfiguration(
            baseURL: url, apiKey: "k", retryPolicy: .none, rateLimit: nil
        ))
        let started = ContinuousClock.now
        let error = await flireoError { try await client.unlink(assistantID: Fixture.assistantID) }
        #expect(error?.code == .connectionFailed)
        #expect(error?.outcomeUnknown == false)
        #expect(error?.message.contains("127.0.0.1") == true)
        #expect(ContinuousClock.now - started < .seconds(15))  // refused at once; the slack is for a loaded machine
    }
}

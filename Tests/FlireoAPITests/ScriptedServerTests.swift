import FlireoAPI
import Testing

/// The test server itself: what the other suites count must be their own requests.
@Suite("The scripted test server")
struct ScriptedServerTests {
    @Test("a request with another server's key (a stray retry on a reused port) is turned away, unrecorded")
    func strayRequests() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.linked()) }
        let other = try await ScriptedServer.start { _ in .json(200, Fixture.linked()) }
        defer {
            server.stop()
            other.stop()
        }
        // other's key, this server's address: what a retry of other's test would look like here.
        let stray = try server.client(apiKey: other.apiKey, retryPolicy: .none)
        let error = await flireoError { try await stray.phoneNumber(assistantID: Fixture.assistantID) }
        #expect(error?.status == 421)
        #expect(server.requests.isEmpty)
        // This server's own clients, and keys of no server, are served and recorded.
        _ = try await server.client().phoneNumber(assistantID: Fixture.assistantID)
        _ = try await server.client(apiKey: "sk_test_someone_else").phoneNumber(assistantID: Fixture.assistantID)
        #expect(server.requests.count == 2)
    }
}

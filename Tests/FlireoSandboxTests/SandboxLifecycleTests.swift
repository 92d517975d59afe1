import FlireoSandbox
import Testing

/// The in-process API: start, several at once, stop twice, bad options, stats from Swift.
@Suite("In-process sandbox")
struct SandboxLifecycleTests {
    @Test("two sandboxes run side by side on their own ports; stop is idempotent and frees the port")
    func sideBySide() async throws {
        let first = try await Sandbox.start()
        let second = try await Sandbox.start(SandboxOptions(seed: 2))
        #expect(first.port != second.port)
        let a = try await SandboxHTTP(baseURL: first.baseURL, apiKey: first.apiKeys[0]).send("GET", "/v1/assistants?limit=1")
        let b = try await SandboxHTTP(baseURL: second.baseURL, apiKey: second.apiKeys[0]).send("GET", "/v1/assistants?limit=1")
        #expect(a.status == 200 && b.status == 200)
        #expect(a.body != b.body)
        await first.stop()
        await first.stop()
        await second.stop()
        await #expect(throws: (any Error).self) {
            try await SandboxHTTP(baseURL: first.baseURL, apiKey: nil).send("GET", "/v1/assistants", timeoutSeconds: 2)
        }
    }

    @Test("bad options are a SandboxError before anything binds")
    func badOptions() async throws {
        let cases = [
            SandboxOptions(apiKeys: ["a", "a"]), SandboxOptions(apiKeys: ["has space"]), SandboxOptions(assistants: -1),
            SandboxOptions(faults: SandboxFaults(failRate: 0.7, dropRate: 0.7)), SandboxOptions(host: "256.1.1.1"),
        ]
        for options in cases {
            await #expect(throws: SandboxError.self) { try await Sandbox.start(options) }
        }
    }

    @Test("stats from Swift match the stats route; resetting zeroes them; control routes are not counted")
    func stats() async throws {
        try await withSandbox { sandbox, client in
            _ = try await client.send("GET", "/v1/assistants")
            _ = try await client.send("GET", "/v1/nope")
            _ = try await client.send("GET", "/v1/assistants", key: "wrong")
            let route = try await client.send("GET", "/_sandbox/stats")
            let stats = sandbox.stats()
            #expect(stats.requests == 3)
            #expect(stats.routes["GET /v1/assistants"] == 2)
            #expect(stats.routes["GET unmatched"] == 1)
            #expect(stats.statuses == [200: 1, 401: 1, 404: 1])
            #expect(route.json?["data"]?["requests"]?.int == 3)
            #expect(route.json?["data"]?["statuses"]?["401"]?.int == 1)
            #expect(route.json?["data"]?["in_flight"]?.int == 0)
            let reset = try await client.send("DELETE", "/_sandbox/stats")
            #expect(reset.status == 200)
            #expect(sandbox.stats().requests == 0)
            sandbox.resetStats()
            #expect(sandbox.stats() == .zero)
        }
    }
}

import FlireoAPI
import NIOConcurrencyHelpers
import Testing

/// Starts `operation` with a completion and waits for it; the completion must come once.
private func completed<V: Sendable>(
    _ client: FlireoClient, _ operation: FlireoOperation<V>, cancelAfter: Duration? = nil
) async -> Result<V, any Error> {
    let calls = NIOLockedValueBox(0)
    let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<V, any Error>, Never>) in
        let call = client.start(operation) { result in
            calls.withLockedValue { $0 += 1 }
            continuation.resume(returning: result)
        }
        if let cancelAfter {
            Task {
                try? await Task.sleep(for: cancelAfter)
                call.cancel()
            }
        }
    }
    try? await Task.sleep(for: .milliseconds(50))
    #expect(calls.withLockedValue { $0 } == 1)
    return result
}

private extension Result {
    var flireoError: FlireoError? {
        if case .failure(let error as FlireoError) = self { return error }
        return nil
    }
}

@Suite("Operations started with a completion")
struct StartTests {
    @Test("a started GET completes with the decoded value, the same as awaiting it")
    func success() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.linked()) }
        defer { server.stop() }
        let client = try server.client()
        let started = try await completed(client, client.operations.phoneNumber(assistantID: Fixture.assistantID)).get()
        let awaited = try await client.phoneNumber(assistantID: Fixture.assistantID)
        #expect(started == awaited)
        #expect(started.phoneNumber?.number == "+31201234567")
    }

    @Test("arguments are checked when the operation is made, before any request")
    func validation() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.linked()) }
        defer { server.stop() }
        let client = try server.client()
        #expect(throws: FlireoError.self) { try client.operations.link(assistantID: "nope", phoneNumberID: Fixture.numberID) }
        #expect(throws: FlireoError.self) { try client.operations.request(method: .get, path: "v1/assistants") }
        #expect(server.requests.isEmpty)
    }

    @Test("an API error completes with it, tagged with the method and path")
    func apiError() async throws {
        let server = try await ScriptedServer.start { _ in .json(404, Fixture.notFound) }
        defer { server.stop() }
        let client = try server.client()
        let error = await completed(client, try client.operations.unlink(assistantID: Fixture.assistantID)).flireoError
        #expect(error?.code == .notFound)
        #expect(error?.method == "DELETE")
        #expect(error?.path == Fixture.linkPath)
    }

    @Test("a GET answered 503 is retried in a task and completes with the retry's answer")
    func retried() async throws {
        let queue = ResponseQueue([.empty(503), .json(200, Fixture.unlinked)])
        let server = try await ScriptedServer.start { _ in queue.next() }
        defer { server.stop() }
        let client = try server.client()
        let state = try await completed(client, client.operations.phoneNumber(assistantID: Fixture.assistantID)).get()
        #expect(state.phoneNumber == nil)
        #expect(server.requests.count == 2)
    }

    @Test("a link answered 500 is reconciled by reading back, and sent once")
    func reconciled() async throws {
        let linked = NIOLockedValueBox(false)
        let server = try await ScriptedServer.start { request in
            if request.method == "POST" {
                linked.withLockedValue { $0 = true }
                return .empty(500)
            }
            return .json(200, linked.withLockedValue { $0 } ? Fixture.linked() : Fixture.unlinked)
        }
        defer { server.stop() }
        let client = try server.client()
        let operation = try client.operations.link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        let result = try await completed(client, operation).get()
        #expect(result.reconciled)
        #expect(server.requests("POST", Fixture.linkPath).count == 1)
    }

    @Test("a raw request completes with the whole body")
    func raw() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, #"{"data": [1, 2], "meta": {"total": 2}}"#) }
        defer { server.stop() }
        let client = try server.client()
        let body = try await completed(client, client.operations.request(method: .get, path: "/v1/things?x=1")).get()
        #expect(body["meta"]?["total"] == 2)
        #expect(server.requests.first?.query == ["x": "1"])
    }

    @Test("cancelling a started request in flight completes it with cancelled at once")
    func cancelInFlight() async throws {
        let server = try await ScriptedServer.start { _ in ScriptedResponse.json(200, Fixture.linkResponse).delayed(.seconds(30)) }
        defer { server.stop() }
        let client = try server.client()
        let operation = try client.operations.link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        let began = ContinuousClock.now
        let error = await completed(client, operation, cancelAfter: .milliseconds(200)).flireoError
        #expect(error?.code == .cancelled)
        #expect(error?.outcomeUnknown == true)
        #expect(ContinuousClock.now - began < .seconds(20))  // before the 30 s reply; slack for a stalled machine
        #expect(server.requests("GET", Fixture.linkPath).isEmpty)
    }

    @Test("cancelling a started request that waits for its turn sends nothing")
    func cancelWhileWaiting() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.unlinked) }
        defer { server.stop() }
        let client = try server.client(rateLimit: RateLimit(requests: 1, per: .seconds(60), burst: 1))
        _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        let error = await completed(
            client, try client.operations.phoneNumber(assistantID: Fixture.assistantID), cancelAfter: .milliseconds(200)
        ).flireoError
        #expect(error?.code == .cancelled)
        #expect(server.requests.count == 1)
    }
}

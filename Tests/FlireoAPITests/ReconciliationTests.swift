import FlireoAPI
import NIOConcurrencyHelpers
import Testing

/// A server whose assistant link state is real: the POST applies the link (and may then
/// fail its answer), the GET reports the state.
private final class LinkState: Sendable {
    let linked = NIOLockedValueBox<String?>(nil)

    func get() -> ScriptedResponse {
        .json(200, linked.withLockedValue { $0 }.map { Fixture.linked($0) } ?? Fixture.unlinked)
    }
}

@Suite("Reconciliation of link and unlink")
struct ReconciliationTests {
    /// Starts a server where the POST/DELETE apply their change, then answer with `failure`.
    private func server(
        initiallyLinked: String?,
        apply: Bool = true,
        failure: ScriptedResponse
    ) async throws -> ScriptedServer {
        let state = LinkState()
        state.linked.withLockedValue { $0 = initiallyLinked }
        return try await ScriptedServer.start { request in
            switch request.method {
            case "GET":
                return state.get()
            case "POST":
                if apply, let id = request.json?["phone_number_id"]?.stringValue {
                    state.linked.withLockedValue { $0 = id }
                }
                return failure
            case "DELETE":
                if apply { state.linked.withLockedValue { $0 = nil } }
                return failure
            default:
                return .empty(405)
            }
        }
    }

    @Test("a link answered 500 whose number is now linked succeeds, reconciled, sent once", arguments: [
        ScriptedResponse.json(500, #"{"error": {"code": "database_error", "message": "write timeout"}}"#),
        ScriptedResponse.drop,
        ScriptedResponse.empty(502),
        // A 2xx whose answer cannot be read (cut short, empty, a page, about another
        // number): the server took the link, so what it did is read back.
        ScriptedResponse.json(200, #"{"message": "Phone number linked successfully", "data": {"assistant_id": "#),
        ScriptedResponse.empty(204),
        ScriptedResponse.text(200, "<html><title>OK</title></html>"),
        ScriptedResponse.json(200, Fixture.linkResponse.replacingOccurrences(of: Fixture.numberID, with: Fixture.otherNumberID)),
    ])
    func linkReconciled(_ failure: ScriptedResponse) async throws {
        let server = try await server(initiallyLinked: nil, failure: failure)
        defer { server.stop() }
        let trace = TraceLog()
        let result = try await server.client(trace: trace).link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        #expect(result.reconciled)
        #expect(result.phoneNumber.id == Fixture.numberID)
        #expect(result.phoneNumber.number == "+31201234567")
        #expect(result.previousPhoneNumberID == nil)
        #expect(result.releasedAssistants == nil)
        #expect(result.raw["assistant_id"] == .string(Fixture.assistantID))
        #expect(server.requests("POST", Fixture.linkPath).count == 1)
        #expect(server.requests("GET", Fixture.linkPath).count == 1)
        #expect(trace.of(.reconcile).last?.note?.contains("succeeded") == true)
    }

    @Test("a link that timed out is reconciled by reading back")
    func linkTimeoutReconciled() async throws {
        let server = try await server(initiallyLinked: nil, failure: ScriptedResponse.json(200, Fixture.linkResponse).delayed(.seconds(5)))
        defer { server.stop() }
        // The POST (answered after 5 s) times out; the read-back, which has the same 1.5 s,
        // gets room enough on a loaded machine (300 ms did not, once, under the full suite).
        let client = try server.client(timeouts: Timeouts(connect: .seconds(10), read: .seconds(10), total: .milliseconds(1500)))
        let result = try await client.link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        #expect(result.reconciled)
        #expect(server.requests("POST", Fixture.linkPath).count == 1)
    }

    @Test("a link whose read-back shows another number reports the original error, sent once")
    func linkNotApplied() async throws {
        let server = try await server(initiallyLinked: Fixture.otherNumberID, apply: false, failure: .empty(500))
        defer { server.stop() }
        let error = await flireoError {
            try await server.client().link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        }
        #expect(error?.code == .http(500))
        // Read back: not applied, so the outcome is known (safe to send again) and said.
        #expect(error?.outcomeUnknown == false)
        #expect(error?.message.hasSuffix("; reading it back showed it was not applied") == true, "\(String(describing: error))")
        #expect(error?.details?["reconciled"] == .string("not_applied"))
        #expect(error?.method == "POST")
        #expect(server.requests("POST", Fixture.linkPath).count == 1)
    }

    @Test("a link refused with a 4xx is not reconciled")
    func linkRefused() async throws {
        let inUse = #"{"error": {"code": "already_in_use", "message": "linked to another assistant"}}"#
        let server = try await server(initiallyLinked: nil, apply: false, failure: .json(400, inUse))
        defer { server.stop() }
        let error = await flireoError {
            try await server.client().link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        }
        #expect(error?.code == .alreadyInUse)
        #expect(error?.outcomeUnknown == false)
        #expect(server.requests("GET", Fixture.linkPath).isEmpty)
    }

    @Test("an unlink answered 502 whose assistant has nothing linked succeeds, reconciled, sent once")
    func unlinkReconciled() async throws {
        let server = try await server(initiallyLinked: Fixture.numberID, failure: .text(502, "<title>Bad Gateway</title>"))
        defer { server.stop() }
        let result = try await server.client().unlink(assistantID: Fixture.assistantID)
        #expect(result.reconciled)
        #expect(result.unlinkedPhoneNumber == nil)
        #expect(server.requests("DELETE", Fixture.linkPath).count == 1)
    }

    @Test("an unlink dropped while a number is still linked reports the original error")
    func unlinkNotApplied() async throws {
        let server = try await server(initiallyLinked: Fixture.numberID, apply: false, failure: .drop)
        defer { server.stop() }
        let error = await flireoError { try await server.client().unlink(assistantID: Fixture.assistantID) }
        #expect(error?.code == .connectionClosed)
        #expect(error?.outcomeUnknown == false)
        #expect(error?.message.contains("may have applied") == false, "\(String(describing: error))")
        #expect(error?.details?["reconciled"] == .string("not_applied"))
        #expect(server.requests("DELETE", Fixture.linkPath).count == 1)
    }

    @Test("an unlink answered 200 about another assistant is read back; a read-back about another assistant is no answer")
    func answersAboutAnotherAssistant() async throws {
        let other = "880e8400-e29b-41d4-a716-446655440000"
        let server = try await server(
            initiallyLinked: Fixture.numberID,
            failure: .json(200, Fixture.unlinkResponse.replacingOccurrences(of: Fixture.assistantID, with: other))
        )
        defer { server.stop() }
        let result = try await server.client().unlink(assistantID: Fixture.assistantID)
        #expect(result.reconciled)
        #expect(server.requests("DELETE", Fixture.linkPath).count == 1)
        #expect(server.requests("GET", Fixture.linkPath).count == 1)

        // The POST is dropped and the read-back answers for another assistant: unknown, not success.
        let liar = try await ScriptedServer.start { request in
            request.method == "POST" ? .drop : .json(200, Fixture.linked().replacingOccurrences(of: Fixture.assistantID, with: other))
        }
        defer { liar.stop() }
        let error = await flireoError {
            try await liar.client().link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        }
        #expect(error?.outcomeUnknown == true, "\(String(describing: error))")
        #expect(error?.details?["reconciled"] == .string("unknown"))
        #expect(liar.requests("POST", Fixture.linkPath).count == 1)
    }

    @Test("an unreadable read-back reports the original error")
    func readBackFails() async throws {
        let server = try await ScriptedServer.start { request in
            request.method == "POST" ? .empty(500) : .text(503, "down")
        }
        defer { server.stop() }
        let error = await flireoError {
            try await server.client().link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        }
        #expect(error?.code == .http(500))
        #expect(error?.outcomeUnknown == true)  // not read back: still unknown, and said
        #expect(error?.message.contains("the server may have applied the request (reading it back failed: http_503)") == true,
                "\(String(describing: error))")
        #expect(error?.details?["reconciled"] == .string("unknown"))
        #expect(server.requests("POST", Fixture.linkPath).count == 1)
    }

    @Test("successful link and unlink decode every field and the message")
    func plainSuccess() async throws {
        let server = try await ScriptedServer.start { request in
            request.method == "POST" ? .json(200, Fixture.linkResponse) : .json(200, Fixture.unlinkResponse)
        }
        defer { server.stop() }
        let client = try server.client()
        let link = try await client.link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        #expect(link.message == "Phone number linked successfully")
        #expect(link.releasedAssistants == 0)
        #expect(link.phoneNumber.origin == nil)
        #expect(link.reconciled == false)
        #expect(server.requests("POST", Fixture.linkPath).first?.json == ["phone_number_id": .string(Fixture.numberID)])
        let unlink = try await client.unlink(assistantID: Fixture.assistantID)
        #expect(unlink.unlinkedPhoneNumber?.number == "+31201234567")
        #expect(unlink.message == "Phone number unlinked successfully")
    }
}

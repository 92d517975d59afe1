import FlireoAPI
import Testing

@Suite("Error shapes")
struct ErrorShapeTests {
    private func error(for response: ScriptedResponse) async throws -> FlireoError? {
        let server = try await ScriptedServer.start { _ in response }
        defer { server.stop() }
        let client = try server.client(retryPolicy: .none)
        return await flireoError { try await client.phoneNumber(assistantID: Fixture.assistantID) }
    }

    @Test("the documented envelope: code, message, details, method and path")
    func envelope() async throws {
        let body = #"{"error": {"code": "not_found", "message": "Assistant not found", "details": {"id": "x"}}}"#
        let error = try #require(try await error(for: .json(404, body)))
        #expect(error.code == .notFound)
        #expect(error.status == 404)
        #expect(error.message == "Assistant not found")
        #expect(error.details == ["id": "x"])
        #expect(error.method == "GET")
        #expect(error.path == Fixture.linkPath)
        #expect(error.description == "not_found (404): Assistant not found — GET \(Fixture.linkPath)")
    }

    @Test("the flat 401 shape becomes unauthorized")
    func flat401() async throws {
        let body = #"{"error": "Unauthorized", "message": "Invalid or missing API key"}"#
        let error = try #require(try await error(for: .json(401, body)))
        #expect(error.code == .unauthorized)
        #expect(error.status == 401)
        #expect(error.message == "Invalid or missing API key")
    }

    @Test("an HTML proxy page becomes http_502 with its title")
    func html502() async throws {
        let page = """
            <html>
            <head><title>502 Bad Gateway</title></head>
            <body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body>
            </html>
            """
        let error = try #require(try await error(for: .text(502, page)))
        #expect(error.code == .http(502))
        #expect(error.code.rawValue == "http_502")
        #expect(error.message == "502 Bad Gateway")
    }

    @Test("plain text is excerpted, tags stripped, whitespace collapsed and shortened")
    func longText() async throws {
        let text = "<p>Upstream   &amp; friends\n\n failed</p>" + String(repeating: "x", count: 500)
        let error = try #require(try await error(for: .text(503, text)))
        #expect(error.code == .http(503))
        #expect(error.message.hasPrefix("Upstream & friends failed"))
        #expect(error.message.count <= 201)
    }

    @Test("an empty body becomes http_<status> with the reason phrase")
    func emptyBody() async throws {
        let error = try #require(try await error(for: .empty(503)))
        #expect(error.code == .http(503))
        #expect(error.message == "Service Unavailable (empty body)")
    }

    @Test("JSON without an error member keeps the message, or the whole body as details")
    func otherJSON() async throws {
        let withMessage = try #require(try await error(for: .json(418, #"{"message": "short and stout"}"#)))
        #expect(withMessage.code == .http(418))
        #expect(withMessage.message == "short and stout")
        let bare = try #require(try await error(for: .json(409, #"[1, 2]"#)))
        #expect(bare.code == .http(409))
        #expect(bare.details == [1, 2])
    }

    @Test("a 429 carries retry-after from Retry-After, else X-RateLimit-Reset")
    func retryAfter() async throws {
        let limited = #"{"error": {"code": "rate_limit_exceeded", "message": "Too many requests"}}"#
        let error = try #require(try await error(for: .json(429, limited, headers: [("Retry-After", "7")])))
        #expect(error.code == .rateLimitExceeded)
        #expect(error.retryAfter == 7)
        #expect(error.description.contains("retry after 7 s"))
    }

    @Test("a 2xx body that is not JSON is invalid_response")
    func notJSONSuccess() async throws {
        let error = try #require(try await error(for: .text(200, "<html>hello</html>")))
        #expect(error.code == .invalidResponse)
        #expect(error.status == 200)
        #expect(error.message.contains("not JSON"))
    }
}

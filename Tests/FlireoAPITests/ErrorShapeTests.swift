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

    @Test("free text as the flat error, or a code that is no identifier, is no code: the key it quotes cannot leak through one")
    func freeTextIsNoCode() async throws {
        // The server quotes the key the request carried, in the error's name and its message.
        let server = try await ScriptedServer.start { request in
            let key = request.headers.first(name: "Authorization")?.replacingOccurrences(of: "Bearer ", with: "") ?? ""
            return .json(401, #"{"error": "Bad key \#(key)", "message": "Key \#(key) is invalid"}"#)
        }
        defer { server.stop() }
        let error = try #require(await flireoError { try await server.client(retryPolicy: .none).phoneNumber(assistantID: Fixture.assistantID) })
        #expect(error.code == .unauthorized, "\(error.code)")
        #expect(!error.description.lowercased().contains("nevershowthis"), "\(error)")
        #expect(error.message == "Key [redacted] is invalid", "\(error.message)")
        // A documented-shape code of free text, or far too long, leaves http_<status>.
        for code in ["Bad things happened", String(repeating: "x", count: 100), "not_found\u{1B}[2J"] {
            let body = #"{"error": {"code": "\#(code)", "message": "m"}}"#
            let other = try #require(try await self.error(for: .json(400, body)))
            #expect(other.code == .http(400), "\(code)")
        }
        // A code in capitals is the same code.
        let shouted = try #require(try await self.error(for: .json(404, #"{"error": {"code": "NOT_FOUND", "message": "m"}}"#)))
        #expect(shouted.code == .notFound)
        // Names still become codes: "Too Many Requests" is too_many_requests.
        let named = try #require(try await self.error(for: .json(429, #"{"error": "Too Many Requests"}"#)))
        #expect(named.code.rawValue == "too_many_requests")
    }

    @Test("a server's text reaches no terminal raw: control characters shown escaped, a long message cut")
    func controlCharactersAndLength() async throws {
        let body = #"{"error": {"code": "invalid_parameters", "message": "bad\u001b]0;TITLE\u0007\u001b[2J\rflireo: all OK\u009b"}}"#
        let shown = try #require(try await error(for: .json(400, body)))
        #expect(shown.message == #"bad\u{1B}]0;TITLE\u{7}\u{1B}[2J\u{D}flireo: all OK\u{9B}"#, "\(shown.message)")
        #expect(!shown.description.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        let long = try #require(try await error(for: .json(400, #"{"error": {"code": "x", "message": ""# + String(repeating: "m", count: 100_000) + #""}}"#)))
        #expect(long.message.count == 500 + 1 && long.message.hasSuffix("…"), "\(long.message.count)")
        let page = try #require(try await error(for: .text(502, "<title>\u{1B}[31mDown</title>")))
        #expect(page.message == #"\u{1B}[31mDown"#, "\(page.message)")
    }

    @Test("a redirect is not followed, and says where it points")
    func redirectSaysWhere() async throws {
        let moved = try #require(try await error(for: .empty(301, headers: [("Location", "https://api.example/v1/x")])))
        #expect(moved.code == .http(301))
        #expect(moved.message.contains("it redirects to https://api.example/v1/x, and flireo follows no redirect"), "\(moved.message)")
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
        // An absurd wait reads as what it is.
        let year = try #require(try await self.error(for: .json(429, limited, headers: [("Retry-After", "31536000")])))
        #expect(year.description.contains("retry after 365 days"), "\(year)")
        let hours = try #require(try await self.error(for: .json(429, limited, headers: [("Retry-After", "10800")])))
        #expect(hours.description.contains("retry after 3 h"), "\(hours)")
    }

    @Test("a 2xx body after a UTF-8 byte order mark is read")
    func byteOrderMark() async throws {
        var response = ScriptedResponse.json(200, Fixture.unlinked)
        response.body = [0xEF, 0xBB, 0xBF] + response.body
        let marked = response
        let server = try await ScriptedServer.start { _ in marked }
        defer { server.stop() }
        let state = try await server.client(retryPolicy: .none).phoneNumber(assistantID: Fixture.assistantID)
        #expect(state.assistantID == Fixture.assistantID)
    }

    @Test("an empty 2xx body where JSON was expected is said to be empty")
    func emptySuccess() async throws {
        let empty = try #require(try await error(for: .empty(200)))
        #expect(empty.code == .invalidResponse)
        #expect(empty.message == "the response body is empty (200), where JSON was expected", "\(empty.message)")
    }

    @Test("a compressed body flireo did not ask for is named so, not quoted as bytes")
    func unaskedEncoding() async throws {
        let gzip: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x1B, 0x9B]
        for status in [200, 500] {
            let response = ScriptedResponse(status: status, headers: [("Content-Encoding", "gzip")], body: gzip)
            let shown = try #require(try await error(for: response))
            #expect(shown.message.hasPrefix("the body is gzip-encoded (Content-Encoding), which flireo did not ask for"), "\(shown.message)")
        }
    }

    @Test("a 2xx body that is not JSON is invalid_response")
    func notJSONSuccess() async throws {
        let error = try #require(try await error(for: .text(200, "<html>hello</html>")))
        #expect(error.code == .invalidResponse)
        #expect(error.status == 200)
        #expect(error.message.contains("not JSON"))
    }
}

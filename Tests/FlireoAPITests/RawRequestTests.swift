import FlireoAPI
import Testing

@Suite("Raw requests and headers")
struct RawRequestTests {
    @Test("GET returns the whole body, sends the documented headers and encodes the query")
    func rawGet() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, #"{"data": {"n": 9223372036854775807, "f": 1.5}}"#) }
        defer { server.stop() }
        let body = try await server.client().request(
            method: "get", path: "/v1/things?already=1", query: [("q", "a b&c=d"), ("é", "+31")]
        )
        #expect(body["data"]?["n"] == .integer(Int64.max))
        #expect(body["data"]?["f"] == .double(1.5))
        let request = try #require(server.requests.first)
        #expect(request.path == "/v1/things")
        #expect(request.query == ["already": "1", "q": "a b&c=d", "é": "+31"])
        #expect(request.headers.first(name: "User-Agent") == "flireo/\(FlireoVersion.string)")
        #expect(request.headers.first(name: "Authorization") == "Bearer \(server.apiKey)")
        #expect(request.headers.first(name: "Accept") == "application/json")
        #expect(request.headers.first(name: "Content-Type") == nil)
    }

    @Test("POST sends the JSON body with its keys in order and is not retried")
    func rawPost() async throws {
        let server = try await ScriptedServer.start { _ in .empty(503) }
        defer { server.stop() }
        let body: JSONValue = ["z": 1, "a": ["nested": nil], "big": .integer(9_007_199_254_740_993)]
        let error = await flireoError { try await server.client().request(method: .post, path: "/v1/widgets", body: body) }
        #expect(error?.outcomeUnknown == true)
        let request = try #require(server.requests.first)
        #expect(server.requests.count == 1)
        #expect(String(decoding: request.body, as: UTF8.self) == #"{"z":1,"a":{"nested":null},"big":9007199254740993}"#)
        #expect(request.headers.first(name: "Content-Type") == "application/json")
    }

    @Test("an empty 204 body is null; paths with spaces are encoded")
    func emptyBody() async throws {
        let server = try await ScriptedServer.start { _ in .empty(204) }
        defer { server.stop() }
        let body = try await server.client().request(method: .delete, path: "/v1/things/a b")
        #expect(body == .null)
        #expect(server.requests.first?.path == "/v1/things/a%20b")
    }

    @Test("a path over 8 KB is refused before it is sent, also on a reused connection; the error stays one line")
    func hugePath() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, #"{"data": {}}"#) }
        defer { server.stop() }
        let client = try server.client()
        _ = try await client.request(method: "get", path: "/v1/things")  // a pooled connection to reuse
        let huge = "/v1/assistants/" + String(repeating: "a", count: 100_000)
        let error = await flireoError { try await client.request(method: "get", path: huge) }
        #expect(error?.code == .invalidParameters)
        #expect(error?.message.contains("at most 8192") == true, "\(String(describing: error))")
        #expect((error?.path?.count ?? .max) <= 201)
        #expect(server.requests.count == 1)
        // 8 KB itself still goes out.
        _ = try await client.request(method: "get", path: "/v1/" + String(repeating: "b", count: 8000))
        #expect(server.requests.count == 2)
    }

    @Test("redirects are reported, not followed with the key")
    func redirect() async throws {
        let server = try await ScriptedServer.start { _ in
            ScriptedResponse(status: 302, headers: [("Location", "http://127.0.0.1:1/elsewhere")])
        }
        defer { server.stop() }
        let error = await flireoError { try await server.client().request(method: .get, path: "/v1/x") }
        #expect(error?.code == .http(302))
        #expect(server.requests.count == 1)
    }
}

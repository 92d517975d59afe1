import FlireoSandbox
import Foundation
import Testing

/// Malformed input gets the envelope with a fitting code and status; the server keeps serving
/// and its state is untouched.
@Suite("Bad input")
struct BadInputTests {
    @Test("malformed JSON, wrong types, non-objects, bad UTF-8 and deep nesting are invalid_parameters")
    func malformedBodies() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            let path = "/v1/assistants/\(assistant)/phone-number"
            let before = sandbox.links(forKey: sandbox.apiKeys[0])
            let bodies = [
                "{", "{\"phone_number_id\": }", "[\"x\"]", "\"text\"", "null", "{\"a\":1} trailing", "{'single': 'quotes'}",
                "{\"phone_number_id\": \"\u{0001}\"}", String(repeating: "[", count: 500) + String(repeating: "]", count: 500),
                "{\"phone_number_id\": \"\\ud800\"}", "{\"phone_number_id\": 1e999}",
            ]
            for body in bodies {
                let reply = try await client.send("POST", path, body: body)
                try expectError(reply, "invalid_parameters", 400)
            }
            #expect(sandbox.links(forKey: sandbox.apiKeys[0]) == before)
        }
    }

    @Test("a body without application/json is 415; a +json type and charset parameters are accepted")
    func contentTypes() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithoutNumber)
            let number = try #require(marks.freeCustomNumber)
            let body = "{\"phone_number_id\": \"\(number)\"}"
            let path = "/v1/assistants/\(assistant)/phone-number"
            for type: String? in ["text/plain", "application/x-www-form-urlencoded", nil] {
                try expectError(try await client.send("POST", path, body: body, contentType: type), "unsupported_media_type", 415)
            }
            #expect(try await client.send("POST", path, body: body, contentType: "Application/JSON; charset=utf-8").status == 200)
            #expect(try await client.send("DELETE", path).status == 200)
            #expect(try await client.send("POST", path, body: body, contentType: "application/vnd.api+json").status == 200)
        }
    }

    @Test("a GET or DELETE with a body is refused, as strict front ends do; without one it is served")
    func bodilessMethods() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithCustomNumber)
            let path = "/v1/assistants/\(assistant)/phone-number"
            let before = sandbox.links(forKey: sandbox.apiKeys[0])
            for (method, body) in [("GET", "null"), ("DELETE", "null"), ("GET", "{}")] {
                let reply = try await client.send(method, path, body: body)
                try expectError(reply, "invalid_parameters", 400)
                #expect(reply.json?["error"]?["message"]?.string == "Invalid request body: a \(method) request takes no body")
            }
            #expect(sandbox.links(forKey: sandbox.apiKeys[0]) == before)
            #expect(try await client.send("GET", path).status == 200)
            #expect(try await client.send("DELETE", path).status == 200)
        }
    }

    @Test("huge bodies are cut off with 413, declared or streamed; the server goes on")
    func hugeBodies() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            let huge = "{\"name\": \"" + String(repeating: "x", count: 3 * 1024 * 1024) + "\"}"
            try expectError(try await client.send("POST", "/v1/assistants", body: huge), "payload_too_large", 413)
            try expectError(try await client.send("PATCH", "/v1/assistants/\(assistant)", body: huge, streamed: true), "payload_too_large", 413)
            #expect(try await client.send("GET", "/v1/assistants/\(assistant)").status == 200)
            let list = try await client.send("GET", "/v1/assistants?limit=100")
            #expect(list.json?["meta"]?["total"]?.int == 20)
        }
    }

    @Test("unknown routes are 404 not_found; known paths with another method are 405 with Allow")
    func routes() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            for path in ["/v1/nope", "/v2/assistants", "/", "/v1/assistants/\(assistant)/phone-number/extra"] {
                try expectError(try await client.send("GET", path), "not_found", 404)
            }
            let reply = try await client.send("PUT", "/v1/assistants/\(assistant)/phone-number", body: "{}")
            try expectError(reply, "method_not_allowed", 405)
            #expect(reply.headers["allow"] == "GET, POST, DELETE")
            let patch = try await client.send("PATCH", "/v1/phone-numbers", body: "{}")
            try expectError(patch, "method_not_allowed", 405)
            #expect(patch.headers["allow"] == "GET, POST")
            try expectError(try await client.send("OPTIONS", "/v1/assistants"), "method_not_allowed", 405)
            let head = try await client.send("HEAD", "/v1/assistants/\(assistant)")
            #expect(head.status == 405 && head.body.isEmpty)
        }
    }

    @Test("odd query strings and path ids never crash")
    func oddQueries() async throws {
        try await withSandbox { _, client in
            for query in ["limit=%FF", "limit=9999999999999999999999", "offset=1e3", "limit=&offset=", "include_default=TRUE"] {
                let reply = try await client.send("GET", "/v1/phone-numbers?\(query)")
                #expect([200, 400].contains(reply.status), "\(query): \(reply.status)")
                #expect(reply.json != nil)
            }
            for id in ["%00", "..", "00000000-0000-4000-8000-00000000000g", String(repeating: "a", count: 5000)] {
                let reply = try await client.send("GET", "/v1/assistants/\(id)/phone-number")
                #expect([400, 404].contains(reply.status))
            }
            #expect(try await client.send("GET", "/v1/assistants").status == 200)
        }
    }
}

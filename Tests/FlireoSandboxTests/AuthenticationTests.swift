import FlireoSandbox
import Testing

/// API keys: one account each; anything else is 401 in the flat shape.
@Suite("Authentication and accounts")
struct AuthenticationTests {
    @Test("missing, unknown or malformed keys get 401 in the flat shape on every /v1 route")
    func unauthorized() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            let paths = ["/v1/assistants", "/v1/assistants/\(assistant)/phone-number", "/v1/phone-numbers", "/v1/verification-groups"]
            for path in paths {
                for key: String? in [nil, "sk_wrong", ""] {
                    let reply = try await client.send("GET", path, key: .some(key))
                    #expect(reply.status == 401)
                    try expectSchema("unauthorized", reply)
                    #expect(reply.json?["error"]?.string == "Unauthorized")
                    #expect(reply.json?["message"]?.string == "Invalid or missing API key")
                    #expect(reply.headers["www-authenticate"] == "Bearer")
                }
            }
            let request = try await client.send("POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": assistant], key: .some(nil))
            #expect(request.status == 401)
            // Basic instead of Bearer is refused too.
            let basic = try await client.send("GET", "/v1/assistants", headers: ["Authorization": "Basic \(sandbox.apiKeys[0])"])
            #expect(basic.status == 401)
            let lowercase = try await client.send("GET", "/v1/assistants", headers: ["Authorization": "bearer \(sandbox.apiKeys[0])"])
            #expect(lowercase.status == 200)
            // The key never appears in a response.
            let wrong = try await client.send("GET", "/v1/assistants", key: "sk_secret_guess")
            #expect(!wrong.body.contains("sk_secret_guess"))
        }
    }

    @Test("each key is its own account with its own data; one key cannot touch another's")
    func separateAccounts() async throws {
        try await withSandbox(SandboxOptions(apiKeys: ["alpha", "beta"])) { sandbox, client in
            #expect(sandbox.apiKeys == ["alpha", "beta"])
            let alpha = try landmarks(sandbox, key: "alpha")
            let beta = try landmarks(sandbox, key: "beta")
            #expect(alpha.assistantWithCustomNumber != beta.assistantWithCustomNumber)
            #expect(alpha.foreignNumber != nil)
            let assistantA = try #require(alpha.assistantWithoutNumber)
            let numberB = try #require(beta.freeCustomNumber)
            let forbidden = try await client.send("POST", "/v1/assistants/\(assistantA)/phone-number", json: ["phone_number_id": numberB], key: "alpha")
            try expectError(forbidden, "forbidden", 403)
            let notFound = try await client.send("GET", "/v1/assistants/\(assistantA)/phone-number", key: "beta")
            try expectError(notFound, "not_found", 404)
            let ownA = try await client.send("GET", "/v1/assistants/\(assistantA)/phone-number", key: "alpha")
            #expect(ownA.status == 200)
            let listA = try await client.send("GET", "/v1/assistants?limit=100", key: "alpha")
            let listB = try await client.send("GET", "/v1/assistants?limit=100", key: "beta")
            let idsA = Set(listA.json?["data"]?.array?.compactMap { $0["id"]?.string } ?? [])
            let idsB = Set(listB.json?["data"]?.array?.compactMap { $0["id"]?.string } ?? [])
            #expect(!idsA.isEmpty && idsA.isDisjoint(with: idsB))
        }
    }

    @Test("the default in-process key is the documented one")
    func defaultKey() async throws {
        try await withSandbox { sandbox, client in
            #expect(sandbox.apiKeys == [SandboxOptions.defaultAPIKey])
            #expect(SandboxOptions.defaultAPIKey.hasPrefix("sk_sandbox_"))
            let reply = try await client.send("GET", "/v1/assistants")
            #expect(reply.status == 200)
            #expect(sandbox.baseURL.hasPrefix("http://127.0.0.1:"))
            #expect(sandbox.port > 0)
        }
    }
}

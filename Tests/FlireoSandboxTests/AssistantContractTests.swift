import FlireoSandbox
import Testing

/// Assistants (inferred shapes): list, get, create, rename, delete.
@Suite("Assistants contract")
struct AssistantContractTests {
    @Test("list pages with meta; get returns the same object")
    func listAndGet() async throws {
        try await withSandbox(SandboxOptions(assistants: 7)) { _, client in
            let list = try await client.send("GET", "/v1/assistants?limit=5")
            #expect(list.status == 200)
            #expect(list.json?["meta"]?["total"]?.int == 7)
            #expect(list.json?["meta"]?["limit"]?.int == 5)
            let first = try #require(list.json?["data"]?[0])
            let id = try #require(first["id"]?.string)
            let get = try await client.send("GET", "/v1/assistants/\(id)")
            #expect(get.json?["data"] == first)
            let rest = try await client.send("GET", "/v1/assistants?limit=5&offset=5")
            #expect(rest.json?["data"]?.array?.count == 2)
        }
    }

    @Test("create, rename and delete; deleting frees the number")
    func lifecycle() async throws {
        try await withSandbox { sandbox, client in
            let created = try await client.send("POST", "/v1/assistants", json: ["name": "  Night Line  "])
            #expect(created.status == 201)
            let id = try #require(created.json?["data"]?["id"]?.string)
            #expect(created.json?["data"]?["name"]?.string == "Night Line")
            let renamed = try await client.send("PATCH", "/v1/assistants/\(id)", json: ["name": "Day Line"])
            #expect(renamed.json?["data"]?["name"]?.string == "Day Line")
            let marks = try landmarks(sandbox)
            let holder = try #require(marks.assistantWithCustomNumber)
            let number = try #require(marks.linkedCustomNumber)
            #expect(try await client.send("DELETE", "/v1/assistants/\(holder)").status == 200)
            try expectError(try await client.send("GET", "/v1/assistants/\(holder)"), "not_found", 404)
            let link = try await client.send("POST", "/v1/assistants/\(id)/phone-number", json: ["phone_number_id": number])
            #expect(link.status == 200)
            try expectError(try await client.send("POST", "/v1/assistants", json: ["name": ""]), "invalid_parameters", 400)
            try expectError(try await client.send("POST", "/v1/assistants", json: [:]), "invalid_parameters", 400)
        }
    }
}

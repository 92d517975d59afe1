import FlireoSandbox
import Testing

/// The seed page's rules for `GET|POST|DELETE /v1/assistants/{id}/phone-number`, over a socket.
@Suite("Linking contract")
struct LinkingContractTests {
    @Test("GET returns the linked number with origin, in the seed page's shape")
    func getLinked() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithCustomNumber)
            let reply = try await client.send("GET", "/v1/assistants/\(assistant)/phone-number")
            #expect(reply.status == 200)
            try expectSchema("link-get", reply)
            let data = try #require(reply.json?["data"])
            #expect(data["assistant_id"]?.string == assistant)
            #expect(data["assistant_name"]?.string?.isEmpty == false)
            #expect(data["phone_number"]?["id"]?.string == marks.linkedCustomNumber)
            #expect(data["phone_number"]?["origin"]?.string == "custom")
            #expect(data["phone_number"]?["number"]?.string?.hasPrefix("+") == true)
        }
    }

    @Test("GET returns phone_number null when nothing is linked")
    func getUnlinked() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            let reply = try await client.send("GET", "/v1/assistants/\(assistant)/phone-number")
            #expect(reply.status == 200)
            try expectSchema("link-get", reply)
            #expect(reply.json?["data"]?["phone_number"]?.isNull == true)
        }
    }

    @Test("GET of a default-number assistant says origin default")
    func getDefault() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantsOnDefaultNumber.first)
            let reply = try await client.send("GET", "/v1/assistants/\(assistant)/phone-number")
            try expectSchema("link-get", reply)
            #expect(reply.json?["data"]?["phone_number"]?["origin"]?.string == "default")
        }
    }

    @Test("POST unlinks the previous number first and returns its id; the response has no origin")
    func linkReplacesPrevious() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithCustomNumber)
            let previous = try #require(marks.linkedCustomNumber)
            let free = try #require(marks.freeCustomNumber)
            let reply = try await client.send("POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": free])
            #expect(reply.status == 200)
            try expectSchema("link-post", reply)
            let data = try #require(reply.json?["data"])
            #expect(reply.json?["message"]?.string == "Phone number linked successfully")
            #expect(data["previous_phone_number_id"]?.string == previous)
            #expect(data["released_assistants"]?.int == 0)
            #expect(data["phone_number"]?["id"]?.string == free)
            #expect(data["phone_number"]?["origin"] == nil)
            #expect(data["phone_number"]?.object?.keys.sorted() == ["id", "locality", "number", "type"])
            // The previous number is available again: another assistant can take it.
            let other = try #require(marks.assistantWithoutNumber)
            let relink = try await client.send("POST", "/v1/assistants/\(other)/phone-number", json: ["phone_number_id": previous])
            #expect(relink.status == 200)
            #expect(relink.json?["data"]?["previous_phone_number_id"]?.isNull == true)
        }
    }

    @Test("Linking a default number releases every other assistant of the account on a default number")
    func defaultReleasesOthers() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let onDefault = marks.assistantsOnDefaultNumber
            #expect(onDefault.count == 3)
            let assistant = try #require(marks.assistantWithoutNumber)
            let number = try #require(marks.defaultNumbers.last)
            let reply = try await client.send("POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": number])
            #expect(reply.status == 200)
            try expectSchema("link-post", reply)
            #expect(reply.json?["data"]?["released_assistants"]?.int == onDefault.count)
            for released in onDefault {
                let check = try await client.send("GET", "/v1/assistants/\(released)/phone-number")
                #expect(check.json?["data"]?["phone_number"]?.isNull == true)
            }
            let links = try #require(sandbox.links(forKey: sandbox.apiKeys[0]))
            #expect(links.filter { $0.origin == "default" }.map(\.assistantID) == [assistant])
            // Moving to another default number releases nobody else and reports the previous one.
            let second = try await client.send(
                "POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": marks.defaultNumbers[0]]
            )
            #expect(second.json?["data"]?["released_assistants"]?.int == 0)
            #expect(second.json?["data"]?["previous_phone_number_id"]?.string == number)
        }
    }

    @Test("A default number is shared across accounts: linking it in one account leaves the other alone")
    func defaultSharedAcrossAccounts() async throws {
        try await withSandbox(SandboxOptions(apiKeys: ["key-a", "key-b"])) { sandbox, client in
            let a = try landmarks(sandbox, key: "key-a")
            let b = try landmarks(sandbox, key: "key-b")
            #expect(a.defaultNumbers == b.defaultNumbers)
            let assistant = try #require(a.assistantWithoutNumber)
            let reply = try await client.send("POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": a.defaultNumbers[0]])
            #expect(reply.json?["data"]?["released_assistants"]?.int == 3)
            #expect(try landmarks(sandbox, key: "key-b").assistantsOnDefaultNumber == b.assistantsOnDefaultNumber)
        }
    }

    @Test("already_linked when the number is the assistant's own already")
    func alreadyLinked() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithCustomNumber)
            let reply = try await client.send(
                "POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": try #require(marks.linkedCustomNumber)]
            )
            try expectError(reply, "already_linked", 400)
            let onDefault = try #require(marks.assistantsOnDefaultNumber.first)
            let links = try #require(sandbox.links(forKey: sandbox.apiKeys[0]))
            let number = try #require(links.first { $0.assistantID == onDefault }?.phoneNumberID)
            try expectError(
                try await client.send("POST", "/v1/assistants/\(onDefault)/phone-number", json: ["phone_number_id": number]),
                "already_linked", 400
            )
        }
    }

    @Test("already_in_use when a custom number is linked to another assistant; nothing changes")
    func alreadyInUse() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let taken = try #require(marks.linkedCustomNumber)
            let other = try #require(marks.assistantWithoutNumber)
            let before = sandbox.links(forKey: sandbox.apiKeys[0])
            let reply = try await client.send("POST", "/v1/assistants/\(other)/phone-number", json: ["phone_number_id": taken])
            try expectError(reply, "already_in_use", 400)
            #expect(sandbox.links(forKey: sandbox.apiKeys[0]) == before)
        }
    }

    @Test("forbidden for another account's number, not_found for an unknown one")
    func forbiddenAndNotFound() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithoutNumber)
            let foreign = try #require(marks.foreignNumber)
            try expectError(
                try await client.send("POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": foreign]),
                "forbidden", 403
            )
            try expectError(
                try await client.send(
                    "POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": "00000000-0000-4000-8000-000000000000"]
                ),
                "not_found", 404
            )
            let unknownAssistant = "00000000-0000-4000-8000-000000000001"
            for method in ["GET", "DELETE"] {
                try expectError(try await client.send(method, "/v1/assistants/\(unknownAssistant)/phone-number"), "not_found", 404)
            }
            // Another account's assistant is simply not found here.
            let foreignAssistant = try #require(marks.foreignAssistant)
            try expectError(try await client.send("GET", "/v1/assistants/\(foreignAssistant)/phone-number"), "not_found", 404)
        }
    }

    @Test("invalid_parameters for a malformed assistant id, phone_number_id, or a missing field")
    func invalidParameters() async throws {
        try await withSandbox { sandbox, client in
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            try expectError(try await client.send("GET", "/v1/assistants/not-a-uuid/phone-number"), "invalid_parameters", 400)
            let path = "/v1/assistants/\(assistant)/phone-number"
            try expectError(try await client.send("POST", path, json: ["phone_number_id": "12345"]), "invalid_parameters", 400)
            try expectError(try await client.send("POST", path, json: [:]), "invalid_parameters", 400)
            try expectError(try await client.send("POST", path, body: #"{"phone_number_id": 42}"#), "invalid_parameters", 400)
            try expectError(try await client.send("POST", path, body: ""), "invalid_parameters", 400)
            let reply = try await client.send("POST", path, json: [:])
            #expect(reply.json?["error"]?["details"]?["phone_number_id"] != nil)
        }
    }

    @Test("DELETE unlinks in the seed page's shape; the number is available again; a second DELETE is no_phone_number")
    func unlink() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let assistant = try #require(marks.assistantWithCustomNumber)
            let number = try #require(marks.linkedCustomNumber)
            let reply = try await client.send("DELETE", "/v1/assistants/\(assistant)/phone-number")
            #expect(reply.status == 200)
            try expectSchema("link-delete", reply)
            #expect(reply.json?["message"]?.string == "Phone number unlinked successfully")
            #expect(reply.json?["data"]?["unlinked_phone_number"]?["id"]?.string == number)
            let list = try await client.send("GET", "/v1/phone-numbers?limit=100")
            let row = list.json?["data"]?.array?.first { $0["id"]?.string == number }
            #expect(row?["available"]?.bool == true)
            #expect(row?["linked_assistant"]?.isNull == true)
            try expectError(try await client.send("DELETE", "/v1/assistants/\(assistant)/phone-number"), "no_phone_number", 400)
        }
    }
}

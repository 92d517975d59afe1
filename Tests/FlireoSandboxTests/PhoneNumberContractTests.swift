import FlireoSandbox
import Testing

/// `GET /v1/phone-numbers` and `GET /v1/phone-numbers/available`.
@Suite("Phone numbers contract")
struct PhoneNumberContractTests {
    @Test("the list has data, shared_numbers and meta; linked rows name their assistant and are unavailable")
    func list() async throws {
        try await withSandbox(SandboxOptions(assistants: 10, numbers: 12)) { sandbox, client in
            let reply = try await client.send("GET", "/v1/phone-numbers")
            #expect(reply.status == 200)
            try expectSchema("phone-number-list", reply)
            let rows = try #require(reply.json?["data"]?.array)
            #expect(rows.count == 12)
            #expect(reply.json?["meta"]?["total"]?.int == 12)
            #expect(reply.json?["meta"]?["limit"]?.int == 50)
            #expect(reply.json?["shared_numbers"]?.array?.count == 3)
            let links = try #require(sandbox.links(forKey: sandbox.apiKeys[0]))
            for row in rows {
                let id = try #require(row["id"]?.string)
                let holder = links.first { $0.phoneNumberID == id }?.assistantID
                #expect(row["linked_assistant"]?["id"]?.string == holder)
                #expect(row["available"]?.bool == (holder == nil))
            }
        }
    }

    @Test("include_default=true appends the shared default numbers to data and to the total")
    func includeDefault() async throws {
        try await withSandbox(SandboxOptions(assistants: 10, numbers: 12)) { sandbox, client in
            let reply = try await client.send("GET", "/v1/phone-numbers?include_default=true&limit=100")
            try expectSchema("phone-number-list", reply)
            let ids = reply.json?["data"]?.array?.compactMap { $0["id"]?.string } ?? []
            let defaults = try landmarks(sandbox).defaultNumbers
            #expect(ids.count == 15)
            #expect(Array(ids.suffix(3)) == defaults)
            #expect(reply.json?["meta"]?["total"]?.int == 15)
            let shared = reply.json?["shared_numbers"]?.array?.compactMap { $0["id"]?.string }
            #expect(shared == defaults)
            let first = try await client.send("GET", "/v1/phone-numbers?include_default=false")
            #expect(first.json?["meta"]?["total"]?.int == 12)
            try expectError(try await client.send("GET", "/v1/phone-numbers?include_default=yes"), "invalid_parameters", 400)
        }
    }

    @Test("the other readings the contract allows: shared numbers apart, short pages")
    func otherReadings() async throws {
        try await withSandbox(SandboxOptions(assistants: 10, numbers: 12)) { sandbox, client in
            let set = try await client.send("PUT", "/_sandbox/faults", body: #"{"shared_numbers_apart": true, "max_page_size": 5}"#)
            #expect(set.json?["data"]?["max_page_size"]?.int == 5 && set.json?["data"]?["shared_numbers_apart"]?.bool == true)
            // As the contract's example: own numbers in data, the defaults beside, all in the total.
            let reply = try await client.send("GET", "/v1/phone-numbers?include_default=true&limit=100&offset=10")
            try expectSchema("phone-number-list", reply)
            #expect(reply.json?["data"]?.array?.count == 2)
            #expect(reply.json?["shared_numbers"]?.array?.count == 3)
            #expect(reply.json?["meta"]?["total"]?.int == 15)
            #expect(reply.json?["meta"]?["limit"]?.int == 5)
            // Any list, asked for more (or for nothing), serves 5 and says so.
            for path in ["/v1/assistants?limit=50", "/v1/assistants"] {
                let page = try await client.send("GET", path)
                #expect(page.json?["data"]?.array?.count == 5 && page.json?["meta"]?["limit"]?.int == 5, "\(path)")
            }
            #expect(try await client.send("GET", "/v1/assistants?limit=3").json?["data"]?.array?.count == 3)
            try expectError(try await client.send("PUT", "/_sandbox/faults", body: #"{"shared_numbers_apart": "yes"}"#), "invalid_parameters", 400)
        }
    }

    @Test("limit and offset page through the whole list; out-of-range values are invalid_parameters")
    func paging() async throws {
        try await withSandbox(SandboxOptions(assistants: 5, numbers: 23)) { _, client in
            var seen: [String] = []
            var offset = 0
            while true {
                let reply = try await client.send("GET", "/v1/phone-numbers?limit=10&offset=\(offset)")
                let page = reply.json?["data"]?.array?.compactMap { $0["id"]?.string } ?? []
                seen += page
                offset += page.count
                let total = try #require(reply.json?["meta"]?["total"]?.int)
                if page.isEmpty || offset >= total { break }
            }
            #expect(seen.count == 23)
            #expect(Set(seen).count == 23)
            let past = try await client.send("GET", "/v1/phone-numbers?offset=500")
            #expect(past.json?["data"]?.array?.isEmpty == true)
            for query in ["limit=0", "limit=101", "limit=abc", "offset=-1"] {
                try expectError(try await client.send("GET", "/v1/phone-numbers?\(query)"), "invalid_parameters", 400)
            }
        }
    }

    @Test("available numbers: shape, meta, query, limit, and local numbers only through a group")
    func available() async throws {
        try await withSandbox { _, client in
            let reply = try await client.send("GET", "/v1/phone-numbers/available?number_type=mobile&limit=5")
            #expect(reply.status == 200)
            let items = try #require(reply.json?["data"]?.array)
            #expect(items.count == 5)
            let first = try #require(items.first)
            #expect(first["number_type"]?.string == "mobile")
            #expect(first["features"]?.array == [.string("voice"), .string("sms")])
            #expect(first["cost"]?["monthly"]?.string == "3.50")
            #expect(first["cost"]?["credits"]?.int == 10)
            #expect(first["reservable"]?.bool == true)
            #expect(first["phone_number"]?.string?.hasPrefix("+316") == true)
            #expect(reply.json?["meta"]?["number_type"]?.string == "mobile")
            #expect(reply.json?["meta"]?["requires_verification"]?.bool == false)
            #expect((reply.json?["meta"]?["total_results"]?.int ?? 0) > 5)
            let number = try #require(first["phone_number"]?.string)
            let tail = String(number.suffix(5))
            let search = try await client.send("GET", "/v1/phone-numbers/available?number_type=mobile&query=\(tail)")
            let found = search.json?["data"]?.array?.compactMap { $0["phone_number"]?.string } ?? []
            #expect(found.contains(number))
            #expect(found.allSatisfy { $0.contains(tail) })
            let national = try await client.send("GET", "/v1/phone-numbers/available")
            #expect(national.json?["meta"]?["number_type"]?.string == "national")
            #expect(national.json?["data"]?.array?.count == 20)
            try expectError(try await client.send("GET", "/v1/phone-numbers/available?number_type=local"), "invalid_parameters", 400)
            try expectError(try await client.send("GET", "/v1/phone-numbers/available?limit=51"), "invalid_parameters", 400)
            try expectError(try await client.send("GET", "/v1/phone-numbers/available?number_type=fax"), "invalid_parameters", 400)
            try expectError(try await client.send("GET", "/v1/phone-numbers/available?query=abc"), "invalid_parameters", 400)
        }
    }
}

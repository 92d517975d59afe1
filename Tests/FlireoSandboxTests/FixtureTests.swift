import FlireoSandbox
import Testing

/// Fixtures: deterministic from the seed, sized by the options, with the documented layout.
@Suite("Fixtures")
struct FixtureTests {
    /// Everything a client can read of an account, as raw bodies.
    static func dump(_ client: SandboxHTTP, key: String? = nil) async throws -> [String] {
        var bodies: [String] = []
        for path in [
            "/v1/assistants?limit=100", "/v1/phone-numbers?include_default=true&limit=100", "/v1/phone-number-orders",
            "/v1/verification-groups", "/v1/phone-numbers/available?number_type=mobile&limit=50",
        ] {
            bodies.append(try await client.send("GET", path, key: key.map { .some($0) } ?? .none).body)
        }
        return bodies
    }

    @Test("the same seed gives the same data; another seed gives other data")
    func determinism() async throws {
        let a = try await withSandbox(SandboxOptions(seed: 11)) { _, client in try await Self.dump(client) }
        let b = try await withSandbox(SandboxOptions(seed: 11)) { _, client in try await Self.dump(client) }
        let c = try await withSandbox(SandboxOptions(seed: 12)) { _, client in try await Self.dump(client) }
        #expect(a == b)
        for (left, right) in zip(a, c) {
            #expect(left != right)
        }
    }

    @Test("an account's data depends on its key, not on the order of the keys")
    func keyOrder() async throws {
        let ab = try await withSandbox(SandboxOptions(apiKeys: ["a", "b"])) { _, client in try await Self.dump(client, key: "a") }
        let ba = try await withSandbox(SandboxOptions(apiKeys: ["b", "a"])) { _, client in try await Self.dump(client, key: "a") }
        #expect(Array(ab.prefix(1)) == Array(ba.prefix(1)))
        let onlyA = try await withSandbox(SandboxOptions(apiKeys: ["a"])) { sandbox, _ in sandbox.links(forKey: "a") }
        let withB = try await withSandbox(SandboxOptions(apiKeys: ["a", "b"])) { sandbox, _ in sandbox.links(forKey: "a") }
        #expect(onlyA?.map(\.assistantID) == withB?.map(\.assistantID))
    }

    @Test("the layout: custom, none and default-sharing assistants, free and foreign numbers, all three group states")
    func layout() async throws {
        try await withSandbox(SandboxOptions(seed: 3, assistants: 40, numbers: 60)) { sandbox, client in
            let marks = try landmarks(sandbox)
            #expect(marks.assistantWithCustomNumber != nil)
            #expect(marks.assistantWithoutNumber != nil)
            #expect(marks.assistantsOnDefaultNumber.count == 3)
            #expect(marks.defaultNumbers.count == 3)
            #expect(marks.freeCustomNumber != nil)
            #expect(marks.foreignNumber != nil && marks.foreignAssistant != nil)
            #expect(marks.approvedGroup != nil && marks.pendingGroup != nil && marks.rejectedGroup != nil)
            #expect(marks.credits == 100)
            let links = try #require(sandbox.links(forKey: sandbox.apiKeys[0]))
            let defaults = links.filter { $0.origin == "default" }
            // Two assistants share the first default number.
            #expect(Dictionary(grouping: defaults, by: \.phoneNumberID).values.map(\.count).sorted() == [1, 2])
            #expect(links.count > 10 && links.count < 40)

            let numbers = try await client.send("GET", "/v1/phone-numbers?limit=100&include_default=true")
            let rows = try #require(numbers.json?["data"]?.array)
            #expect(rows.count == 63)
            let types = Set(rows.map { $0["number_type"]?.string ?? "null" })
            #expect(types == ["local", "mobile", "national", "null"])
            #expect(rows.contains { $0["locality"]?.isNull == true })
            let localities = Set(rows.compactMap { $0["locality"]?.string })
            #expect(localities.count >= 5, "\(localities)")
            // Dutch (+31, 9 national digits) and Belgian (+32, 8 national digits) numbers.
            let e164 = rows.compactMap { $0["phone_number"]?.string }
            #expect(e164.allSatisfy { ($0.hasPrefix("+31") && $0.count == 12) || ($0.hasPrefix("+32") && $0.count == 11) })
            #expect(Set(e164).count == e164.count)
            let assistants = try await client.send("GET", "/v1/assistants?limit=100")
            let names = assistants.json?["data"]?.array?.compactMap { $0["name"]?.string } ?? []
            #expect(names.count == 40)
            #expect(names.allSatisfy { $0.split(separator: " ").count >= 2 })
        }
    }

    @Test("numbers never repeat across accounts (hidden one included)")
    func uniqueAcrossAccounts() async throws {
        try await withSandbox(SandboxOptions(apiKeys: ["k1", "k2", "k3"], numbers: 200)) { _, client in
            var all: [String] = []
            for key in ["k1", "k2", "k3"] {
                for offset in stride(from: 0, to: 200, by: 100) {
                    let reply = try await client.send("GET", "/v1/phone-numbers?limit=100&offset=\(offset)", key: .some(key))
                    all += reply.json?["data"]?.array?.compactMap { $0["phone_number"]?.string } ?? []
                }
            }
            #expect(all.count == 600)
            #expect(Set(all).count == 600)
        }
    }

    @Test("tens of thousands of assistants and numbers load and page")
    func large() async throws {
        try await withSandbox(SandboxOptions(assistants: 30_000, numbers: 30_000)) { sandbox, client in
            let assistants = try await client.send("GET", "/v1/assistants?limit=1&offset=29999")
            #expect(assistants.json?["meta"]?["total"]?.int == 30_000)
            #expect(assistants.json?["data"]?.array?.count == 1)
            let numbers = try await client.send("GET", "/v1/phone-numbers?limit=1&offset=29999")
            #expect(numbers.json?["meta"]?["total"]?.int == 30_000)
            #expect((sandbox.links(forKey: sandbox.apiKeys[0])?.count ?? 0) > 10_000)
        }
    }

    @Test("empty accounts work; landmarks that cannot exist are nil")
    func empty() async throws {
        try await withSandbox(SandboxOptions(assistants: 0, numbers: 0)) { sandbox, client in
            let marks = try landmarks(sandbox)
            #expect(marks.assistantWithCustomNumber == nil && marks.assistantWithoutNumber == nil && marks.freeCustomNumber == nil)
            #expect(marks.foreignNumber != nil)
            let reply = try await client.send("GET", "/v1/assistants")
            #expect(reply.json?["data"]?.array?.isEmpty == true)
        }
    }

    @Test("reset regenerates the seed's data after changes")
    func reset() async throws {
        try await withSandbox(SandboxOptions(seed: 4)) { sandbox, client in
            let before = try await Self.dump(client)
            let marks = try landmarks(sandbox)
            _ = try await client.send("DELETE", "/v1/assistants/\(try #require(marks.assistantWithCustomNumber))")
            _ = try await client.send("POST", "/v1/assistants", json: ["name": "Extra"])
            #expect(try await Self.dump(client) != before)
            let reset = try await client.send("POST", "/_sandbox/reset")
            #expect(reset.status == 200)
            #expect(try await Self.dump(client) == before)
            sandbox.reset()
            #expect(try await Self.dump(client) == before)
        }
    }
}

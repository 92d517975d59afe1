import FlireoSandbox
import Foundation
import Testing

/// Ordering numbers: asynchronous completion, credits, the order list and detail.
@Suite("Orders contract")
struct OrderContractTests {
    /// A sandbox whose orders settle quickly.
    static let fast = SandboxOptions(orderCompletionSeconds: 0.2, groupApprovalSeconds: 0.2)

    /// Polls an order until it leaves `pending` (bounded).
    static func settle(_ client: SandboxHTTP, order id: String) async throws -> JSONValue {
        for _ in 0..<100 {
            let reply = try await client.send("GET", "/v1/phone-number-orders/\(id)")
            let data = try #require(reply.json?["data"])
            if data["status"]?.string != "pending" { return data }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("order \(id) never settled")
        return .null
    }

    static func firstAvailable(_ client: SandboxHTTP, type: String, where predicate: (String) -> Bool = { !$0.hasSuffix("00") }) async throws -> String {
        let reply = try await client.send("GET", "/v1/phone-numbers/available?number_type=\(type)&limit=50")
        let numbers = reply.json?["data"]?.array?.compactMap { $0["phone_number"]?.string } ?? []
        let match = numbers.first(where: predicate)
        return try #require(match)
    }

    @Test("an order is pending, costs 10 credits, then succeeds and the number joins the account")
    func orderSucceeds() async throws {
        try await withSandbox(Self.fast) { sandbox, client in
            let number = try await Self.firstAvailable(client, type: "national")
            let reply = try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": number])
            #expect(reply.status == 201)
            let data = try #require(reply.json?["data"])
            #expect(data["status"]?.string == "pending")
            #expect(data["credits_used"]?.int == 10)
            #expect(data["remaining_credits"]?.int == 90)
            #expect(data["phone_number"]?.string == number)
            #expect(data["number_type"]?.string == "national")
            let orderID = try #require(data["order_id"]?.string)
            let settled = try await Self.settle(client, order: orderID)
            #expect(settled["status"]?.string == "success")
            #expect(settled["external_order_id"]?.string?.isEmpty == false)
            #expect(settled["external_sub_order_id"]?.string?.isEmpty == false)
            #expect(settled["requirements_met"]?.bool == true)
            let list = try await client.send("GET", "/v1/phone-numbers?limit=100")
            let row = list.json?["data"]?.array?.first { $0["phone_number"]?.string == number }
            #expect(row?["available"]?.bool == true)
            // The new number can be linked right away.
            let assistant = try #require(try landmarks(sandbox).assistantWithoutNumber)
            let link = try await client.send(
                "POST", "/v1/assistants/\(assistant)/phone-number", json: ["phone_number_id": try #require(row?["id"]?.string)]
            )
            #expect(link.status == 200)
            // Ordered numbers leave the catalog, for every account.
            let again = try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": number])
            try expectError(again, "invalid_parameters", 400)
        }
    }

    @Test("a verification group given with a mobile order is not attached to it: groups verify local numbers")
    func groupOnlyOnLocalOrders() async throws {
        try await withSandbox(Self.fast) { sandbox, client in
            let group = try #require(try landmarks(sandbox).approvedGroup)
            let number = try await Self.firstAvailable(client, type: "mobile")
            let reply = try await client.send(
                "POST", "/v1/phone-numbers", json: ["phone_number": number, "number_type": "mobile", "verification_group_id": group]
            )
            #expect(reply.status == 201)
            let id = try #require(reply.json?["data"]?["order_id"]?.string)
            let order = try await client.send("GET", "/v1/phone-number-orders/\(id)")
            #expect(order.json?["data"]?["verification_group"] == .null, "\(String(describing: order.json))")
            let detail = try await client.send("GET", "/v1/verification-groups/\(group)")
            let listed = detail.json?["data"]?["phone_numbers"]?.array?.compactMap { $0["phone_number"]?.string } ?? []
            #expect(!listed.contains(number), "\(listed)")
        }
    }

    @Test("a number ending in 00 fails and its credits come back")
    func orderFails() async throws {
        try await withSandbox(Self.fast) { sandbox, client in
            let reply = try await client.send("GET", "/v1/phone-numbers/available?number_type=national&query=*00&limit=50")
            let numbers = reply.json?["data"]?.array?.compactMap { $0["phone_number"]?.string } ?? []
            let number = try #require(numbers.first { $0.hasSuffix("00") })
            let order = try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": number, "number_type": "national"])
            let id = try #require(order.json?["data"]?["order_id"]?.string)
            let settled = try await Self.settle(client, order: id)
            #expect(settled["status"]?.string == "failed")
            #expect(try landmarks(sandbox).credits == 100)
        }
    }

    @Test("insufficient_credits when credits run out; nothing is charged or reserved")
    func insufficientCredits() async throws {
        try await withSandbox(Self.fast) { sandbox, client in
            let set = try await client.send("PUT", "/_sandbox/credits", body: #"{"credits": 9}"#)
            #expect(set.status == 200)
            let number = try await Self.firstAvailable(client, type: "mobile")
            let reply = try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": number, "number_type": "mobile"])
            try expectError(reply, "insufficient_credits", 402)
            #expect(reply.json?["error"]?["details"]?["available"]?.int == 9)
            #expect(try landmarks(sandbox).credits == 9)
            _ = try await client.send("PUT", "/_sandbox/credits", body: #"{"credits": 10}"#)
            let retry = try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": number, "number_type": "mobile"])
            #expect(retry.status == 201)
            #expect(retry.json?["data"]?["remaining_credits"]?.int == 0)
        }
    }

    @Test("invalid_parameters for a malformed or unknown number, a bad type, a local order without group")
    func invalidOrders() async throws {
        try await withSandbox { _, client in
            try expectError(try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": "0612345678"]), "invalid_parameters", 400)
            try expectError(try await client.send("POST", "/v1/phone-numbers", json: [:]), "invalid_parameters", 400)
            try expectError(try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": "+31850000001"]), "invalid_parameters", 400)
            try expectError(
                try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": "+31201234567", "number_type": "fax"]),
                "invalid_parameters", 400
            )
            try expectError(
                try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": "+31201234567", "number_type": "local"]),
                "invalid_parameters", 400
            )
        }
    }

    @Test("the order list filters by status and type, pages, and shows the verification group")
    func orderList() async throws {
        try await withSandbox(Self.fast) { sandbox, client in
            let all = try await client.send("GET", "/v1/phone-number-orders")
            #expect(all.status == 200)
            let rows = try #require(all.json?["data"]?.array)
            #expect(rows.count == 2)
            #expect(all.json?["meta"]?["limit"]?.int == 20)
            for row in rows {
                #expect(row.object?.keys.sorted() == ["id", "number_type", "ordered_at", "phone_number", "requirements_met", "status", "verification_group"])
            }
            let local = try await client.send("GET", "/v1/phone-number-orders?number_type=local")
            let approved = try landmarks(sandbox).approvedGroup
            #expect(local.json?["data"]?[0]?["verification_group"]?["id"]?.string == approved)
            let pending = try await client.send("GET", "/v1/phone-number-orders?status=pending")
            #expect(pending.json?["meta"]?["total"]?.int == 0)
            try expectError(try await client.send("GET", "/v1/phone-number-orders?status=done"), "invalid_parameters", 400)
            try expectError(try await client.send("GET", "/v1/phone-number-orders?limit=101"), "invalid_parameters", 400)
            try expectError(try await client.send("GET", "/v1/phone-number-orders/\(UUID().uuidString.lowercased())"), "not_found", 404)
        }
    }
}

import FlireoSandbox
import Testing

/// Verification groups: created pending, approved later, `invalid_status` until then.
@Suite("Verification groups contract")
struct VerificationGroupContractTests {
    static let draft: [String: String] = [
        "phone_number_type": "local", "name": "Haarlem office", "business_name": "Bakkerij de Vries",
        "contact_person_first_name": "Sanne", "contact_person_last_name": "de Vries", "contact_person_phone": "+31612345678",
        "street_name": "Grote Markt", "house_number": "1", "postal_code": "2011 RD", "city": "Haarlem", "province": "Noord-Holland",
    ]

    @Test("creation returns requirement_group_id and status pending; ordering is invalid_status until approved")
    func lifecycle() async throws {
        // Approval far away: the pending phase cannot end by itself during the test.
        try await withSandbox(SandboxOptions(orderCompletionSeconds: 0.1, groupApprovalSeconds: 3600)) { _, client in
            let created = try await client.send("POST", "/v1/verification-groups", json: Self.draft)
            #expect(created.status == 201)
            let id = try #require(created.json?["data"]?["requirement_group_id"]?.string)
            #expect(created.json?["data"]?["id"] == nil)
            #expect(created.json?["data"]?["status"]?.string == "pending")
            try expectError(try await client.send("GET", "/v1/verification-groups/\(id)/available-phone-numbers"), "invalid_status", 400)
            try expectError(
                try await client.send("POST", "/v1/verification-groups/\(id)/order-number", json: ["phone_number": "+31231234567"]),
                "invalid_status", 400
            )
            let approve = try await client.send("PUT", "/_sandbox/verification-groups/\(id)/status", body: #"{"status":"approved"}"#)
            #expect(approve.json?["data"]?["status"]?.string == "approved")
            let available = try await client.send("GET", "/v1/verification-groups/\(id)/available-phone-numbers?limit=3")
            #expect(available.status == 200)
            let first = try #require(available.json?["data"]?[0])
            #expect(first["locality"]?.string == "Haarlem")
            #expect(first["number_type"]?.string == "local")
            #expect(first["phone_number"]?.string?.hasPrefix("+3123") == true)
            #expect(available.json?["meta"]?["requires_verification"]?.bool == true)
            let number = try #require(first["phone_number"]?.string)
            let order = try await client.send("POST", "/v1/verification-groups/\(id)/order-number", json: ["phone_number": number])
            #expect(order.status == 201)
            #expect(order.json?["data"]?["number_type"]?.string == "local")
            let detail = try await client.send("GET", "/v1/verification-groups/\(id)")
            let data = try #require(detail.json?["data"])
            #expect(data["documents"]?.array?.count == 2)
            #expect(data["phone_numbers"]?[0]?["phone_number"]?.string == number)
            #expect(data["business_name"]?.string == "Bakkerij de Vries")
            // Through POST /v1/phone-numbers too, with the group's id.
            let second = try #require(available.json?["data"]?[1]?["phone_number"]?.string)
            let viaNumbers = try await client.send(
                "POST", "/v1/phone-numbers", json: ["phone_number": second, "number_type": "local", "verification_group_id": id]
            )
            #expect(viaNumbers.status == 201)
        }
    }

    @Test("a new group is approved automatically after the approval delay")
    func autoApproval() async throws {
        try await withSandbox(SandboxOptions(groupApprovalSeconds: 0.2)) { _, client in
            let created = try await client.send("POST", "/v1/verification-groups", json: Self.draft)
            let id = try #require(created.json?["data"]?["requirement_group_id"]?.string)
            var status = ""
            for _ in 0..<200 where status != "approved" {
                try await Task.sleep(for: .milliseconds(50))
                status = try await client.send("GET", "/v1/verification-groups/\(id)").json?["data"]?["status"]?.string ?? ""
            }
            #expect(status == "approved")
            let documents = try await client.send("GET", "/v1/verification-groups/\(id)").json?["data"]?["documents"]?.array ?? []
            #expect(documents.allSatisfy { $0["status"]?.string == "approved" })
        }
    }

    @Test("fixture groups: approved, pending and rejected; list filters; rejected is invalid_status")
    func fixtureGroups() async throws {
        try await withSandbox { sandbox, client in
            let marks = try landmarks(sandbox)
            let list = try await client.send("GET", "/v1/verification-groups")
            #expect(list.json?["meta"]?["total"]?.int == 3)
            let row = try #require(list.json?["data"]?[0])
            #expect(row.object?.keys.sorted() == ["business_name", "created_at", "id", "locality", "name", "phone_number_type", "status"])
            let approved = try await client.send("GET", "/v1/verification-groups?status=approved")
            #expect(approved.json?["data"]?.array?.compactMap { $0["id"]?.string } == [try #require(marks.approvedGroup)])
            let rejected = try #require(marks.rejectedGroup)
            try expectError(try await client.send("GET", "/v1/verification-groups/\(rejected)/available-phone-numbers"), "invalid_status", 400)
            let pending = try #require(marks.pendingGroup)
            try expectError(
                try await client.send("POST", "/v1/verification-groups/\(pending)/order-number", json: ["phone_number": "+31101234567"]),
                "invalid_status", 400
            )
            try expectError(try await client.send("GET", "/v1/verification-groups?status=lost"), "invalid_parameters", 400)
            // The control API approves a group at once.
            let approve = try await client.send("PUT", "/_sandbox/verification-groups/\(pending)/status", body: #"{"status":"approved"}"#)
            #expect(approve.status == 200)
            let now = try await client.send("GET", "/v1/verification-groups/\(pending)/available-phone-numbers")
            #expect(now.status == 200)
        }
    }

    @Test("not_found for an unknown group; invalid_parameters for a missing field")
    func errors() async throws {
        try await withSandbox { _, client in
            let unknown = "00000000-0000-4000-8000-000000000009"
            try expectError(try await client.send("GET", "/v1/verification-groups/\(unknown)"), "not_found", 404)
            try expectError(
                try await client.send("POST", "/v1/verification-groups/\(unknown)/order-number", json: ["phone_number": "+31201234567"]),
                "not_found", 404
            )
            var draft = Self.draft
            draft["postal_code"] = nil
            let reply = try await client.send("POST", "/v1/verification-groups", json: draft)
            try expectError(reply, "invalid_parameters", 400)
            #expect(reply.json?["error"]?["details"]?["postal_code"] != nil)
            draft = Self.draft
            draft["phone_number_type"] = "satellite"
            try expectError(try await client.send("POST", "/v1/verification-groups", json: draft), "invalid_parameters", 400)
        }
    }
}

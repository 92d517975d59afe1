import FlireoAPI
import Foundation
import Testing

@Suite("Models")
struct ModelTests {
    @Test("the linked number: normalized fields, raw kept exactly, null becomes nil")
    func linkedNumber() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.linked()) }
        defer { server.stop() }
        let state = try await server.client().phoneNumber(assistantID: Fixture.assistantID)
        #expect(state.assistantName == "Customer Support Agent")
        let number = try #require(state.phoneNumber)
        #expect(number == PhoneNumber(
            id: Fixture.numberID, number: "+31201234567", type: "local", locality: "Amsterdam", origin: "custom", raw: number.raw
        ))
        #expect(number.raw.objectValue?.keys == ["id", "number", "type", "locality", "origin"])
        #expect(state.raw.objectValue?.keys == ["assistant_id", "assistant_name", "phone_number"])
    }

    @Test("nullable fields decode as nil; unknown fields stay in raw")
    func nulls() async throws {
        let body = """
            {"data": {"assistant_id": "\(Fixture.assistantID)", "assistant_name": null, "extra": 9007199254740993,
                      "phone_number": {"id": "\(Fixture.numberID)", "number": "+31850001234", "type": null, "locality": null,
                                       "origin": "default"}}}
            """
        let server = try await ScriptedServer.start { _ in .json(200, body) }
        defer { server.stop() }
        let state = try await server.client().phoneNumber(assistantID: Fixture.assistantID)
        #expect(state.assistantName == nil)
        #expect(state.phoneNumber?.type == nil)
        #expect(state.phoneNumber?.locality == nil)
        #expect(state.raw["extra"] == .integer(9_007_199_254_740_993))
        #expect(state.raw["assistant_name"] == .null)
    }

    @Test("a response that does not match its model names the field", arguments: [
        (#"{"data": {"assistant_id": "a", "phone_number": {"number": "+31201234567"}}}"#, "data.phone_number.id missing"),
        (#"{"data": {"assistant_id": "a", "phone_number": {"id": 5, "number": "+3120"}}}"#,
         "data.phone_number.id: expected a string, found a number"),
        (#"{"data": {"phone_number": null}}"#, "data.assistant_id missing"),
        (#"{"dato": {}}"#, "data missing"),
        (#"[1, 2]"#, "response: expected an object, found an array"),
        (#"{"data": "nope"}"#, "data: expected an object, found a string"),
    ])
    func mismatch(_ body: String, _ expected: String) async throws {
        let server = try await ScriptedServer.start { _ in .json(200, body) }
        defer { server.stop() }
        let error = await flireoError { try await server.client().phoneNumber(assistantID: Fixture.assistantID) }
        #expect(error?.code == .invalidResponse)
        #expect(error?.message == expected)
        #expect(error?.description == "invalid_response (200): \(expected) — GET \(Fixture.linkPath)")
    }

    @Test("a list item that does not match names its index")
    func listMismatch() async throws {
        let body = """
            {"data": [{"id": "a", "phone_number": "+31201234567", "available": true},
                      {"id": "b", "phone_number": "+31201234568", "available": "yes"}],
             "meta": {"total": 2, "limit": 50, "offset": 0}}
            """
        let server = try await ScriptedServer.start { _ in .json(200, body) }
        defer { server.stop() }
        let error = await flireoError { try await server.client().phoneNumbersPage() }
        #expect(error?.message == "data[1].available: expected a boolean, found a string")
    }

    @Test("orders, available numbers, verification groups and assistants decode from the contract's shapes")
    func otherResources() async throws {
        let group = "11111111-2222-4333-8444-555555555555"
        let order = "22222222-2222-4333-8444-555555555555"
        let server = try await ScriptedServer.start { request in
            switch (request.method, request.path) {
            case ("GET", "/v1/phone-numbers/available"):
                return .json(200, #"{"data": [{"phone_number": "+31850001234", "number_type": "national", "locality": null, "features": ["voice", "sms"], "cost": {"monthly": "2.00", "currency": "EUR", "credits": 10}, "reservable": true}], "meta": {"total_results": 1, "number_type": "national", "requires_verification": false}}"#)
            case ("POST", "/v1/phone-numbers"), ("POST", "/v1/verification-groups/\(group)/order-number"):
                return .json(201, #"{"message": "Order placed", "data": {"order_id": "\#(order)", "phone_number": "+31850001234", "number_type": "national", "status": "pending", "credits_used": 10, "remaining_credits": 90}}"#)
            case ("GET", "/v1/phone-number-orders/\(order)"):
                return .json(200, #"{"data": {"id": "\#(order)", "phone_number": "+31850001234", "status": "success", "number_type": "national", "requirements_met": true, "ordered_at": "2025-01-15T10:30:00Z", "verification_group": {"id": "\#(group)", "name": "HQ", "locality": "Amsterdam"}, "external_order_id": "x1", "external_sub_order_id": null}}"#)
            case ("POST", "/v1/verification-groups"):
                return .json(201, #"{"message": "Created", "data": {"requirement_group_id": "\#(group)"}}"#)
            case ("GET", "/v1/verification-groups/\(group)"):
                return .json(200, #"{"data": {"id": "\#(group)", "name": "HQ", "phone_number_type": "local", "status": "approved", "locality": "Amsterdam", "business_name": "Acme", "created_at": "2025-01-01T00:00:00Z", "documents": [{"id": "d1", "type": "kvk", "status": "approved"}], "phone_numbers": [{"id": "n1", "phone_number": "+31201234567", "status": "active"}]}}"#)
            case ("GET", "/v1/assistants/\(Fixture.assistantID)"):
                return .json(200, #"{"data": {"id": "\#(Fixture.assistantID)", "name": "Support", "voice": {"id": "nova"}}}"#)
            default:
                return .json(404, Fixture.notFound)
            }
        }
        defer { server.stop() }
        let client = try server.client()

        let available = try await client.availablePhoneNumbers(type: "national", query: "+3185", limit: 5)
        #expect(available.numbers.first?.cost?.monthly == "2.00")
        #expect(available.numbers.first?.features == ["voice", "sms"])
        #expect(available.requiresVerification == false)
        #expect(server.requests.last?.query == ["number_type": "national", "query": "+3185", "limit": "5"])

        let placement = try await client.orderPhoneNumber("+31850001234", type: "national")
        #expect(placement.orderID == order)
        #expect(placement.message == "Order placed")
        #expect(server.requests.last?.json == ["phone_number": "+31850001234", "number_type": "national"])

        let detail = try await client.phoneNumberOrder(id: order)
        #expect(detail.verificationGroup?.name == "HQ")
        #expect(detail.externalSubOrderID == nil)

        let draft = VerificationGroupDraft(
            phoneNumberType: "local", name: "HQ", businessName: "Acme", contactPersonFirstName: "Ada",
            contactPersonLastName: "Lovelace", contactPersonPhone: "+31201234567", streetName: "Dam", houseNumber: "1",
            postalCode: "1012 JS", city: "Amsterdam", province: "Noord-Holland", description: "Head office"
        )
        let created = try await client.createVerificationGroup(draft)
        #expect(created.id == group)
        #expect(server.requests.last?.json?.objectValue?.keys.first == "phone_number_type")
        #expect(server.requests.last?.headers.first(name: "Content-Type") == "application/json")

        let fetched = try await client.verificationGroup(id: group)
        #expect(fetched.documents?.first?.type == "kvk")
        #expect(fetched.phoneNumbers?.first?.number == "+31201234567")
        #expect(fetched.phoneNumbers?.first?.raw["phone_number"] == "+31201234567")
        #expect(detail.verificationGroup?.raw["locality"] == "Amsterdam")

        let viaGroup = try await client.orderPhoneNumber("+31850001234", throughVerificationGroup: group)
        #expect(viaGroup.status == "pending")

        let assistant = try await client.assistant(id: Fixture.assistantID)
        #expect(assistant.name == "Support")
        #expect(assistant.raw["voice"]?["id"] == "nova")
    }

    @Test("models encode with the wire names and decode back")
    func codableRoundTrip() throws {
        let number = AccountPhoneNumber(
            id: Fixture.numberID, number: "+31201234567", type: "local", locality: "Amsterdam", available: true,
            linkedAssistant: Assistant(id: Fixture.assistantID, name: "Support")
        )
        let data = try JSONEncoder().encode(number)
        let json = try JSONValue(parsing: Array(data))
        #expect(json["phone_number"] == "+31201234567")
        #expect(json["number_type"] == "local")
        let back = try JSONValueDecoder().decode(AccountPhoneNumber.self, from: json)
        #expect(back.number == number.number)
        #expect(back.linkedAssistant?.name == "Support")
        #expect(back.raw == json)
    }
}

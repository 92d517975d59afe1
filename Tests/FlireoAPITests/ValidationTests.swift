import FlireoAPI
import Testing

@Suite("Validation before any request")
struct ValidationTests {
    @Test("UUIDs", arguments: [
        ("660e8400-e29b-41d4-a716-446655440000", true), ("660E8400-E29B-41D4-A716-446655440000", true),
        ("660e8400e29b41d4a716446655440000", false), ("660e8400-e29b-41d4-a716-44665544000", false),
        ("660e8400-e29b-41d4-a716-44665544000g", false), ("", false), ("../../v1/phone-numbers/xxxxxxxxxxxxxxxx", false),
        ("660e8400-e29b-41d4-a716-446655440000 ", false),
    ])
    func uuid(_ text: String, _ valid: Bool) {
        #expect(FlireoValidation.isUUID(text) == valid)
    }

    @Test("E.164 numbers", arguments: [
        ("+31201234567", true), ("+1", false), ("+3", false), ("+123456", false), ("+1234567", true), ("+123456789012345", true), ("+1234567890123456", false),
        ("+0201234567", false), ("31201234567", false), ("+31 20 123 4567", false), ("+", false), ("+3120123456a", false),
    ])
    func e164(_ text: String, _ valid: Bool) {
        #expect(FlireoValidation.isE164(text) == valid)
    }

    @Test("malformed ids and arguments are invalid_parameters naming the parameter, and nothing is sent")
    func rejectedLocally() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.unlinked) }
        defer { server.stop() }
        let client = try server.client()
        let cases: [(String, @Sendable () async throws -> Void)] = [
            ("assistantID", { _ = try await client.phoneNumber(assistantID: "abc") }),
            ("assistantID", { _ = try await client.link(assistantID: "660e8400", phoneNumberID: Fixture.numberID) }),
            ("phoneNumberID", { _ = try await client.link(assistantID: Fixture.assistantID, phoneNumberID: "+31201234567") }),
            ("assistantID", { _ = try await client.unlink(assistantID: "") }),
            ("number", { _ = try await client.orderPhoneNumber("0201234567") }),
            ("type", { _ = try await client.orderPhoneNumber("+31201234567", type: "premium") }),
            ("verificationGroupID", { _ = try await client.orderPhoneNumber("+31201234567", type: "local") }),
            ("type", { _ = try await client.availablePhoneNumbers(type: "local") }),
            ("limit", { _ = try await client.availablePhoneNumbers(limit: 51) }),
            ("id", { _ = try await client.phoneNumberOrder(id: "1") }),
            ("status", { _ = try await client.phoneNumberOrdersPage(filter: .init(status: "done")) }),
            ("offset", { _ = try await client.assistantsPage(offset: -1) }),
            ("id", { _ = try await client.verificationGroup(id: "x") }),
            ("status", { _ = try await client.verificationGroupsPage(filter: .init(status: "aproved")) }),
            ("verificationGroupID", { _ = try await client.orderPhoneNumber("+31201234567", throughVerificationGroup: "g") }),
            ("method", { _ = try await client.request(method: "FETCH", path: "/v1/assistants") }),
            ("path", { _ = try await client.request(method: .get, path: "v1/assistants") }),
            ("path", { _ = try await client.request(method: .get, path: "//evil.example/v1") }),
            ("path", { _ = try await client.request(method: .get, path: "/v1/assistants?limit=1#frag") }),
        ]
        for (parameter, call) in cases {
            let error = await flireoError(call)
            #expect(error?.code == .invalidParameters, "\(parameter)")
            #expect(error?.details == ["parameter": .string(parameter)], "\(parameter)")
            #expect(error?.message.contains("'\(parameter)'") == true, "\(parameter)")
        }
        #expect(server.requests.isEmpty)
    }

    @Test("a draft with a blank required field names it")
    func draft() async throws {
        let server = try await ScriptedServer.start { _ in .empty(500) }
        defer { server.stop() }
        let draft = VerificationGroupDraft(
            phoneNumberType: "local", name: "Amsterdam office", businessName: "Acme", contactPersonFirstName: "Ada",
            contactPersonLastName: "Lovelace", contactPersonPhone: "+31201234567", streetName: "Dam", houseNumber: "1",
            postalCode: " ", city: "Amsterdam", province: "Noord-Holland"
        )
        let error = await flireoError { try await server.client().createVerificationGroup(draft) }
        #expect(error?.code == .invalidParameters)
        #expect(error?.details == ["parameter": "postal_code"])
        #expect(server.requests.isEmpty)
    }
}

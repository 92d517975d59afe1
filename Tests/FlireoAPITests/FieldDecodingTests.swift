@testable import FlireoAPI
import Testing

/// The hand-written readers of the linking models must agree with their `Decodable`
/// conformance: the same values for every shape, and the same error (path and words)
/// for every response that does not match.
@Suite("Field decoding (hot-path models)")
struct FieldDecodingTests {
    private static let id = Fixture.assistantID
    private static let number = Fixture.numberID

    /// `data` objects of the linking endpoints, valid and not.
    static let bodies: [String] = [
        // AssistantPhoneNumber shapes
        #"{"assistant_id": "\#(id)", "assistant_name": "Support", "phone_number": {"id": "\#(number)", "number": "+31201234567", "type": "local", "locality": "Amsterdam", "origin": "custom"}}"#,
        #"{"assistant_id": "\#(id)", "assistant_name": null, "phone_number": null}"#,
        #"{"assistant_id": "\#(id)"}"#,
        #"{"assistant_id": "\#(id)", "phone_number": {"id": "\#(number)", "phone_number": "+31201234567", "number_type": "mobile"}}"#,
        #"{"assistant_id": "\#(id)", "phone_number": {"id": "\#(number)", "number": "+31201234567", "phone_number": "+31000000000", "type": null, "number_type": "national"}}"#,
        #"{"assistant_id": "a", "assistant_id": "b", "phone_number": {"id": "x", "number": "+3120", "extra": [1, {"k": null}]}}"#,
        // LinkResult / UnlinkResult shapes
        #"{"assistant_id": "\#(id)", "phone_number": {"id": "\#(number)", "number": "+31201234567", "type": "local", "locality": "Amsterdam"}, "previous_phone_number_id": null, "released_assistants": 0}"#,
        #"{"assistant_id": "\#(id)", "phone_number": {"id": "\#(number)", "number": "+3120"}, "previous_phone_number_id": "\#(number)", "released_assistants": 3.0}"#,
        #"{"assistant_id": "\#(id)", "unlinked_phone_number": {"id": "\#(number)", "number": "+31201234567"}}"#,
        #"{"assistant_id": "\#(id)", "unlinked_phone_number": null}"#,
        // mismatches
        #"{"phone_number": null}"#,
        #"{"assistant_id": 5}"#,
        #"{"assistant_id": null}"#,
        #"{"assistant_id": "a", "assistant_name": 7}"#,
        #"{"assistant_id": "a", "phone_number": {"number": "+31201234567"}}"#,
        #"{"assistant_id": "a", "phone_number": {"id": 5, "number": "+3120"}}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": null}}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x"}}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": "+3120", "type": true}}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": "+3120", "number_type": 1}}"#,
        #"{"assistant_id": "a", "phone_number": "nope"}"#,
        #"{"assistant_id": "a", "phone_number": [1]}"#,
        #"{"assistant_id": "a", "unlinked_phone_number": 3}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": "+3120"}, "released_assistants": "2"}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": "+3120"}, "released_assistants": 1.5}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": "+3120"}, "released_assistants": 1e30}"#,
        #"{"assistant_id": "a", "phone_number": {"id": "x", "number": "+3120"}, "previous_phone_number_id": false}"#,
        #""text""#,
        #"[]"#,
        #"null"#,
    ]

    /// Decodes `data` of `{"data": body}` both ways and returns (value, error text) pairs.
    private func both<T: JSONFieldsDecodable>(_ type: T.Type, _ body: String) throws -> (fast: Outcome<T>, codable: Outcome<T>) {
        let envelope = try JSONValue(parsing: #"{"message": "ok", "data": "# + body + "}")
        return (
            Outcome { try Envelope.data(T.self, in: envelope) },
            Outcome { try Envelope.member("data", as: T.self, in: envelope) }
        )
    }

    @Test("every linking model reads the same values and fails with the same message both ways", arguments: bodies)
    func agree(_ body: String) throws {
        let phone = try both(AssistantPhoneNumber.self, body)
        #expect(phone.fast == phone.codable)
        let link = try both(LinkResult.self, body)
        #expect(link.fast == link.codable)
        let unlink = try both(UnlinkResult.self, body)
        #expect(unlink.fast == unlink.codable)
    }

    @Test("a phone number alone reads the same both ways, as an object or not", arguments: [
        #"{"id": "x", "number": "+3120", "type": "local", "locality": "A", "origin": "default"}"#,
        #"{"id": "x", "phone_number": "+3120", "number_type": "mobile"}"#,
        #"{"number": "+3120"}"#,
        #"5"#,
    ])
    func phoneNumber(_ body: String) throws {
        let value = try JSONValue(parsing: body)
        let fast = Outcome { try PhoneNumber(json: value, parentPath: [], key: nil) }
        let codable = Outcome { try JSONValueDecoder().decode(PhoneNumber.self, from: value) }
        #expect(fast == codable)
    }

    @Test("the messages are the documented ones")
    func messages() throws {
        let cases: [(String, String)] = [
            (#"{"assistant_id": "a", "phone_number": {"number": "+31201234567"}}"#, "data.phone_number.id missing"),
            (#"{"assistant_id": "a", "phone_number": {"id": 5, "number": "+3120"}}"#,
             "data.phone_number.id: expected a string, found a number"),
            (#"{"phone_number": null}"#, "data.assistant_id missing"),
            (#""nope""#, "data: expected an object, found a string"),
        ]
        for (body, expected) in cases {
            let envelope = try JSONValue(parsing: #"{"data": "# + body + "}")
            let error = Outcome { try Envelope.data(AssistantPhoneNumber.self, in: envelope) }.error
            #expect(error == expected)
        }
        let noData = Outcome { try Envelope.data(LinkResult.self, in: ["dato": [:]]) }
        #expect(noData.error == "data missing")
        let notObject = Outcome { try Envelope.data(LinkResult.self, in: [1, 2]) }
        #expect(notObject.error == "response: expected an object, found an array")
    }
}

/// A decoded value (as its description: JSON objects with duplicated keys are not equal
/// to themselves) or the `invalid_response` message its failure becomes.
private struct Outcome<T>: Equatable {
    var value: String?
    var error: String?

    init(_ body: () throws -> T) {
        do {
            value = String(describing: try body())
        } catch {
            self.error = FlireoError.modelMismatch(error, status: 200).message
        }
    }
}

/// `GET /v1/assistants/{id}/phone-number`: the assistant and the number linked to it.
public struct AssistantPhoneNumber: Codable, Sendable, Equatable {
    /// The assistant's id.
    public var assistantID: String
    /// The assistant's name, when sent.
    public var assistantName: String?
    /// The linked number, or `nil` when nothing is linked.
    public var phoneNumber: PhoneNumber?
    /// The `data` object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - assistantID: the assistant's id.
    ///   - assistantName: the assistant's name.
    ///   - phoneNumber: the linked number, if any.
    ///   - raw: the server's object, if any.
    public init(assistantID: String, assistantName: String?, phoneNumber: PhoneNumber?, raw: JSONValue = .null) {
        self.assistantID = assistantID
        self.assistantName = assistantName
        self.phoneNumber = phoneNumber
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case assistantID = "assistant_id"
        case assistantName = "assistant_name"
        case phoneNumber = "phone_number"
    }

    /// Decodes the server's `data` object.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        assistantID = try container.decode(String.self, forKey: .assistantID)
        assistantName = try container.decodeIfPresent(String.self, forKey: .assistantName)
        phoneNumber = try container.decodeIfPresent(PhoneNumber.self, forKey: .phoneNumber)
    }
}

extension AssistantPhoneNumber: JSONFieldsDecodable {
    /// Reads the `data` object as ``init(from:)`` does, without `Codable`'s containers.
    init(json value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) throws {
        let fields = try JSONFields(value, parentPath: parentPath, key: key)
        raw = value
        assistantID = try fields.string("assistant_id")
        assistantName = try fields.optionalString("assistant_name")
        phoneNumber = try fields.optionalModel("phone_number")
    }
}

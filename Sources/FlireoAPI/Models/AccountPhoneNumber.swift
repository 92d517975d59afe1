/// An item of `GET /v1/phone-numbers`: one of the account's numbers, presented with the
/// same names as ``PhoneNumber`` (`number`, `type`) although the list sends
/// `phone_number` and `number_type`; ``raw`` keeps the server's names.
public struct AccountPhoneNumber: Codable, Sendable, Equatable {
    /// The number's id (UUID).
    public var id: String
    /// The E.164 number (`phone_number` on the wire).
    public var number: String
    /// `local`, `mobile`, `national`, or `nil` (`number_type` on the wire).
    public var type: String?
    /// The city or region, or `nil`.
    public var locality: String?
    /// `default` or `custom`, if the server says.
    public var origin: String?
    /// Whether the number can be linked.
    public var available: Bool
    /// When the number was added (ISO 8601), if sent.
    public var createdAt: String?
    /// The assistant it is linked to, or `nil`.
    public var linkedAssistant: Assistant?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - id: the number's id.
    ///   - number: the E.164 number.
    ///   - type: the number type.
    ///   - locality: the city or region.
    ///   - origin: `default` or `custom`.
    ///   - available: whether it can be linked.
    ///   - createdAt: when it was added.
    ///   - linkedAssistant: the assistant it is linked to.
    ///   - raw: the server's object, if any.
    public init(id: String, number: String, type: String?, locality: String?, origin: String? = nil, available: Bool,
                createdAt: String? = nil, linkedAssistant: Assistant? = nil, raw: JSONValue = .null) {
        self.id = id
        self.number = number
        self.type = type
        self.locality = locality
        self.origin = origin
        self.available = available
        self.createdAt = createdAt
        self.linkedAssistant = linkedAssistant
        self.raw = raw
    }

    /// A shared default number as `shared_numbers` lists it: `origin` `default`, available
    /// unless the server says otherwise (linking one releases its holders), holder unknown.
    /// - Parameter shared: the shared number.
    public init(shared: PhoneNumber) {
        var available = true
        if case .bool(let said)? = shared.raw["available"] { available = said }
        self.init(id: shared.id, number: shared.number, type: shared.type, locality: shared.locality,
                  origin: shared.origin ?? "default", available: available, raw: shared.raw)
    }

    enum CodingKeys: String, CodingKey {
        case id
        case number = "phone_number"
        case type = "number_type"
        case locality, origin, available
        case createdAt = "created_at"
        case linkedAssistant = "linked_assistant"
    }

    /// Decodes a list item.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        number = try container.decode(String.self, forKey: .number)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        locality = try container.decodeIfPresent(String.self, forKey: .locality)
        origin = try container.decodeIfPresent(String.self, forKey: .origin)
        available = try container.decode(Bool.self, forKey: .available)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        linkedAssistant = try container.decodeIfPresent(Assistant.self, forKey: .linkedAssistant)
    }
}

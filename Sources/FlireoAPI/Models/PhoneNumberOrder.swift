/// A phone number order (`GET /v1/phone-number-orders[/{id}]`).
public struct PhoneNumberOrder: Codable, Sendable, Equatable {
    /// The order's id.
    public var id: String
    /// The E.164 number ordered (`phone_number` on the wire).
    public var number: String
    /// `pending`, `success` or `failed`.
    public var status: String
    /// The number type (`number_type` on the wire), if sent.
    public var type: String?
    /// Whether the regulatory requirements are met, if sent.
    public var requirementsMet: Bool?
    /// When it was ordered (ISO 8601), if sent.
    public var orderedAt: String?
    /// The verification group it was ordered through, if any.
    public var verificationGroup: VerificationGroupReference?
    /// The provider's order id (detail only).
    public var externalOrderID: String?
    /// The provider's sub-order id (detail only).
    public var externalSubOrderID: String?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates an order.
    /// - Parameters:
    ///   - id: the order's id.
    ///   - number: the number ordered.
    ///   - status: the order's status.
    ///   - type: the number type.
    ///   - requirementsMet: whether requirements are met.
    ///   - orderedAt: when it was ordered.
    ///   - verificationGroup: the verification group.
    ///   - externalOrderID: the provider's order id.
    ///   - externalSubOrderID: the provider's sub-order id.
    ///   - raw: the server's object, if any.
    public init(id: String, number: String, status: String, type: String? = nil, requirementsMet: Bool? = nil,
                orderedAt: String? = nil, verificationGroup: VerificationGroupReference? = nil,
                externalOrderID: String? = nil, externalSubOrderID: String? = nil, raw: JSONValue = .null) {
        self.id = id
        self.number = number
        self.status = status
        self.type = type
        self.requirementsMet = requirementsMet
        self.orderedAt = orderedAt
        self.verificationGroup = verificationGroup
        self.externalOrderID = externalOrderID
        self.externalSubOrderID = externalSubOrderID
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id
        case number = "phone_number"
        case status
        case type = "number_type"
        case requirementsMet = "requirements_met"
        case orderedAt = "ordered_at"
        case verificationGroup = "verification_group"
        case externalOrderID = "external_order_id"
        case externalSubOrderID = "external_sub_order_id"
    }

    /// Decodes an order.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        number = try container.decode(String.self, forKey: .number)
        status = try container.decode(String.self, forKey: .status)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        requirementsMet = try container.decodeIfPresent(Bool.self, forKey: .requirementsMet)
        orderedAt = try container.decodeIfPresent(String.self, forKey: .orderedAt)
        verificationGroup = try container.decodeIfPresent(VerificationGroupReference.self, forKey: .verificationGroup)
        externalOrderID = try container.decodeIfPresent(String.self, forKey: .externalOrderID)
        externalSubOrderID = try container.decodeIfPresent(String.self, forKey: .externalSubOrderID)
    }
}

/// The answer to ordering a number (`POST /v1/phone-numbers` or a verification group's
/// `order-number`). Ordering completes asynchronously: poll the order by ``orderID``.
public struct PhoneNumberOrderPlacement: Codable, Sendable, Equatable {
    /// The order to poll.
    public var orderID: String
    /// The E.164 number ordered (`phone_number` on the wire).
    public var number: String
    /// The number type (`number_type` on the wire), if sent.
    public var type: String?
    /// `pending`, `success` or `failed`.
    public var status: String
    /// Credits charged (10), if sent.
    public var creditsUsed: Int?
    /// Credits left, if sent.
    public var remainingCredits: Int?
    /// The server's message, if sent.
    public var message: String?
    /// The `data` object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - orderID: the order to poll.
    ///   - number: the number ordered.
    ///   - type: the number type.
    ///   - status: the order's status.
    ///   - creditsUsed: credits charged.
    ///   - remainingCredits: credits left.
    ///   - message: the server's message.
    ///   - raw: the server's object, if any.
    public init(orderID: String, number: String, type: String?, status: String, creditsUsed: Int? = nil,
                remainingCredits: Int? = nil, message: String? = nil, raw: JSONValue = .null) {
        self.orderID = orderID
        self.number = number
        self.type = type
        self.status = status
        self.creditsUsed = creditsUsed
        self.remainingCredits = remainingCredits
        self.message = message
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case orderID = "order_id"
        case number = "phone_number"
        case type = "number_type"
        case status
        case creditsUsed = "credits_used"
        case remainingCredits = "remaining_credits"
    }

    /// Decodes the server's `data` object (``message`` is set by the client).
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        orderID = try container.decode(String.self, forKey: .orderID)
        number = try container.decode(String.self, forKey: .number)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        status = try container.decode(String.self, forKey: .status)
        creditsUsed = try container.decodeIfPresent(Int.self, forKey: .creditsUsed)
        remainingCredits = try container.decodeIfPresent(Int.self, forKey: .remainingCredits)
        message = nil
    }
}

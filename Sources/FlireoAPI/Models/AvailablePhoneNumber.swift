/// A number that can be ordered (`GET /v1/phone-numbers/available`, or a verification
/// group's available numbers). It has no id yet.
public struct AvailablePhoneNumber: Codable, Sendable, Equatable {
    /// The E.164 number (`phone_number` on the wire).
    public var number: String
    /// `local`, `mobile`, `national`, or `nil` (`number_type` on the wire).
    public var type: String?
    /// The city or region, or `nil`.
    public var locality: String?
    /// Capabilities such as `voice` and `sms`.
    public var features: [String]
    /// What it costs, if sent.
    public var cost: Cost?
    /// Whether it can be reserved, if sent.
    public var reservable: Bool?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// The price of a number.
    public struct Cost: Codable, Sendable, Equatable {
        /// The monthly price as the server wrote it (`"2.00"`; a number is kept as its text).
        public var monthly: String?
        /// The currency (`EUR`).
        public var currency: String?
        /// The credits an order costs.
        public var credits: Int?

        /// Creates a cost.
        /// - Parameters:
        ///   - monthly: the monthly price.
        ///   - currency: the currency.
        ///   - credits: the credits an order costs.
        public init(monthly: String?, currency: String?, credits: Int?) {
            self.monthly = monthly
            self.currency = currency
            self.credits = credits
        }

        enum CodingKeys: String, CodingKey {
            case monthly, currency, credits
        }

        /// Decodes a cost; `monthly` may be a string or a number.
        /// - Parameter decoder: the decoder.
        /// - Throws: `DecodingError` naming the field.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            switch try container.decodeIfPresent(JSONValue.self, forKey: .monthly) {
            case .string(let text)?: monthly = text
            case .integer(let number)?: monthly = String(number)
            case .double(let number)?: monthly = String(number)
            case nil, .null?: monthly = nil
            default: monthly = try container.decode(String.self, forKey: .monthly)
            }
            currency = try container.decodeIfPresent(String.self, forKey: .currency)
            credits = try container.decodeIfPresent(Int.self, forKey: .credits)
        }
    }

    /// Creates a value.
    /// - Parameters:
    ///   - number: the E.164 number.
    ///   - type: the number type.
    ///   - locality: the city or region.
    ///   - features: capabilities.
    ///   - cost: the price.
    ///   - reservable: whether it can be reserved.
    ///   - raw: the server's object, if any.
    public init(number: String, type: String?, locality: String?, features: [String] = [], cost: Cost? = nil,
                reservable: Bool? = nil, raw: JSONValue = .null) {
        self.number = number
        self.type = type
        self.locality = locality
        self.features = features
        self.cost = cost
        self.reservable = reservable
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case number = "phone_number"
        case type = "number_type"
        case locality, features, cost, reservable
    }

    /// Decodes an item.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        number = try container.decode(String.self, forKey: .number)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        locality = try container.decodeIfPresent(String.self, forKey: .locality)
        features = try container.decodeIfPresent([String].self, forKey: .features) ?? []
        cost = try container.decodeIfPresent(Cost.self, forKey: .cost)
        reservable = try container.decodeIfPresent(Bool.self, forKey: .reservable)
    }
}

/// The result of a search for numbers to order: the numbers and the search's `meta`.
public struct AvailablePhoneNumbers: Sendable, Equatable {
    /// The numbers found.
    public var numbers: [AvailablePhoneNumber]
    /// `meta.total_results`, if sent.
    public var totalResults: Int?
    /// `meta.number_type`, if sent.
    public var numberType: String?
    /// `meta.requires_verification`: whether ordering needs a verification group.
    public var requiresVerification: Bool?
    /// The whole response body exactly as sent.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - numbers: the numbers found.
    ///   - totalResults: the number of results.
    ///   - numberType: the type searched.
    ///   - requiresVerification: whether ordering needs a verification group.
    ///   - raw: the whole response body.
    public init(numbers: [AvailablePhoneNumber], totalResults: Int?, numberType: String?, requiresVerification: Bool?,
                raw: JSONValue = .null) {
        self.numbers = numbers
        self.totalResults = totalResults
        self.numberType = numberType
        self.requiresVerification = requiresVerification
        self.raw = raw
    }
}

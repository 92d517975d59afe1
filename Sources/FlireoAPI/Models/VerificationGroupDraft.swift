/// What `POST /v1/verification-groups` needs to create a group. Every field but
/// ``description`` is required and must not be blank.
public struct VerificationGroupDraft: Codable, Sendable, Equatable {
    /// The number type the group is for (`local`).
    public var phoneNumberType: String
    /// The group's name.
    public var name: String
    /// The business's legal name.
    public var businessName: String
    /// The contact person's first name.
    public var contactPersonFirstName: String
    /// The contact person's last name.
    public var contactPersonLastName: String
    /// The contact person's phone number.
    public var contactPersonPhone: String
    /// The street.
    public var streetName: String
    /// The house number.
    public var houseNumber: String
    /// The postal code.
    public var postalCode: String
    /// The city.
    public var city: String
    /// The province.
    public var province: String
    /// A free description (optional).
    public var description: String?

    /// Creates a draft.
    /// - Parameters:
    ///   - phoneNumberType: the number type the group is for.
    ///   - name: the group's name.
    ///   - businessName: the business's legal name.
    ///   - contactPersonFirstName: the contact person's first name.
    ///   - contactPersonLastName: the contact person's last name.
    ///   - contactPersonPhone: the contact person's phone number.
    ///   - streetName: the street.
    ///   - houseNumber: the house number.
    ///   - postalCode: the postal code.
    ///   - city: the city.
    ///   - province: the province.
    ///   - description: a free description.
    public init(phoneNumberType: String, name: String, businessName: String, contactPersonFirstName: String,
                contactPersonLastName: String, contactPersonPhone: String, streetName: String, houseNumber: String,
                postalCode: String, city: String, province: String, description: String? = nil) {
        self.phoneNumberType = phoneNumberType
        self.name = name
        self.businessName = businessName
        self.contactPersonFirstName = contactPersonFirstName
        self.contactPersonLastName = contactPersonLastName
        self.contactPersonPhone = contactPersonPhone
        self.streetName = streetName
        self.houseNumber = houseNumber
        self.postalCode = postalCode
        self.city = city
        self.province = province
        self.description = description
    }

    enum CodingKeys: String, CodingKey {
        case phoneNumberType = "phone_number_type"
        case name
        case businessName = "business_name"
        case contactPersonFirstName = "contact_person_first_name"
        case contactPersonLastName = "contact_person_last_name"
        case contactPersonPhone = "contact_person_phone"
        case streetName = "street_name"
        case houseNumber = "house_number"
        case postalCode = "postal_code"
        case city, province, description
    }

    /// The request body, keys in the documented order.
    /// - Throws: ``FlireoError`` `invalid_parameters` naming the first blank required field.
    func requestBody() throws -> JSONValue {
        let required: [(CodingKeys, String)] = [
            (.phoneNumberType, phoneNumberType), (.name, name), (.businessName, businessName),
            (.contactPersonFirstName, contactPersonFirstName), (.contactPersonLastName, contactPersonLastName),
            (.contactPersonPhone, contactPersonPhone), (.streetName, streetName), (.houseNumber, houseNumber),
            (.postalCode, postalCode), (.city, city), (.province, province),
        ]
        var body = JSONObject()
        for (key, value) in required {
            guard !value.trimmingSpaces.isEmpty else {
                throw FlireoError.invalidParameter(key.rawValue, "required, must not be blank")
            }
            body[key.rawValue] = .string(value)
        }
        if let description { body[CodingKeys.description.rawValue] = .string(description) }
        return .object(body)
    }
}

/// The answer to creating a verification group.
public struct VerificationGroupCreation: Codable, Sendable, Equatable {
    /// The new group's id (`requirement_group_id` on the wire, not `id`).
    public var id: String
    /// The server's message, if sent.
    public var message: String?
    /// The `data` object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - id: the new group's id.
    ///   - message: the server's message.
    ///   - raw: the server's object, if any.
    public init(id: String, message: String? = nil, raw: JSONValue = .null) {
        self.id = id
        self.message = message
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id = "requirement_group_id"
    }

    /// Decodes the server's `data` object (``message`` is set by the client).
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        message = nil
    }
}

/// A verification group: the regulatory bundle that local numbers are ordered through
/// (`GET /v1/verification-groups[/{id}]`; the detail adds documents and numbers).
public struct VerificationGroup: Codable, Sendable, Equatable {
    /// The group's id.
    public var id: String
    /// The group's name.
    public var name: String?
    /// The number type it is for (`local`, …).
    public var phoneNumberType: String?
    /// `pending`, `approved`, `rejected` or `deleted`.
    public var status: String
    /// The city or region, if sent.
    public var locality: String?
    /// The business it is for, if sent.
    public var businessName: String?
    /// When it was created (ISO 8601), if sent.
    public var createdAt: String?
    /// The free description given when it was created, if sent.
    public var description: String?
    /// Its documents (detail only).
    public var documents: [VerificationDocument]?
    /// Numbers ordered through it (detail only).
    public var phoneNumbers: [VerificationGroupNumber]?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a group.
    /// - Parameters:
    ///   - id: the group's id.
    ///   - name: the group's name.
    ///   - phoneNumberType: the number type it is for.
    ///   - status: the group's status.
    ///   - locality: the city or region.
    ///   - businessName: the business.
    ///   - createdAt: when it was created.
    ///   - description: its free description.
    ///   - documents: its documents.
    ///   - phoneNumbers: numbers ordered through it.
    ///   - raw: the server's object, if any.
    public init(id: String, name: String?, phoneNumberType: String?, status: String, locality: String? = nil,
                businessName: String? = nil, createdAt: String? = nil, description: String? = nil,
                documents: [VerificationDocument]? = nil,
                phoneNumbers: [VerificationGroupNumber]? = nil, raw: JSONValue = .null) {
        self.id = id
        self.name = name
        self.phoneNumberType = phoneNumberType
        self.status = status
        self.locality = locality
        self.businessName = businessName
        self.createdAt = createdAt
        self.description = description
        self.documents = documents
        self.phoneNumbers = phoneNumbers
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case phoneNumberType = "phone_number_type"
        case status, locality
        case businessName = "business_name"
        case createdAt = "created_at"
        case description
        case documents
        case phoneNumbers = "phone_numbers"
    }

    /// Decodes a group.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        phoneNumberType = try container.decodeIfPresent(String.self, forKey: .phoneNumberType)
        status = try container.decode(String.self, forKey: .status)
        locality = try container.decodeIfPresent(String.self, forKey: .locality)
        businessName = try container.decodeIfPresent(String.self, forKey: .businessName)
        createdAt = try container.decodeIfPresent(String.self, forKey: .createdAt)
        description = try container.decodeIfPresent(String.self, forKey: .description)
        documents = try container.decodeIfPresent([VerificationDocument].self, forKey: .documents)
        phoneNumbers = try container.decodeIfPresent([VerificationGroupNumber].self, forKey: .phoneNumbers)
    }
}

/// A document of a verification group.
public struct VerificationDocument: Codable, Sendable, Equatable {
    /// The document's id.
    public var id: String
    /// Its type, if sent.
    public var type: String?
    /// Its review status, if sent.
    public var status: String?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a document.
    /// - Parameters:
    ///   - id: the document's id.
    ///   - type: its type.
    ///   - status: its review status.
    ///   - raw: the server's object, if any.
    public init(id: String, type: String?, status: String?, raw: JSONValue = .null) {
        self.id = id
        self.type = type
        self.status = status
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id, type, status
    }

    /// Decodes a document.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        type = try container.decodeIfPresent(String.self, forKey: .type)
        status = try container.decodeIfPresent(String.self, forKey: .status)
    }
}

/// A number ordered through a verification group.
public struct VerificationGroupNumber: Codable, Sendable, Equatable {
    /// The number's id.
    public var id: String
    /// The E.164 number (`phone_number` on the wire).
    public var number: String
    /// Its status, if sent.
    public var status: String?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - id: the number's id.
    ///   - number: the E.164 number.
    ///   - status: its status.
    ///   - raw: the server's object, if any.
    public init(id: String, number: String, status: String?, raw: JSONValue = .null) {
        self.id = id
        self.number = number
        self.status = status
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id
        case number = "phone_number"
        case status
    }

    /// Decodes a number.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        number = try container.decode(String.self, forKey: .number)
        status = try container.decodeIfPresent(String.self, forKey: .status)
    }
}

/// A phone number in the one shape every endpoint is presented in: `number` and `type`,
/// whether the server called them `number`/`type` (linking) or `phone_number`/`number_type`
/// (lists). Used for the linked number, the number a link returns (which has no
/// `origin`), the unlinked number (`id` and `number` only) and shared default numbers.
public struct PhoneNumber: Codable, Sendable, Equatable {
    /// The number's id (UUID).
    public var id: String
    /// The E.164 number (`+31201234567`).
    public var number: String
    /// `local`, `mobile`, `national`, or `nil`.
    public var type: String?
    /// The city or region, or `nil`.
    public var locality: String?
    /// `default` (shared) or `custom`, when the endpoint says.
    public var origin: String?
    /// The object exactly as the server sent it (`null` when built locally).
    public var raw: JSONValue

    /// Creates a phone number.
    /// - Parameters:
    ///   - id: the number's id.
    ///   - number: the E.164 number.
    ///   - type: `local`, `mobile`, `national`, or `nil`.
    ///   - locality: the city or region.
    ///   - origin: `default` or `custom`.
    ///   - raw: the server's object, if any.
    public init(id: String, number: String, type: String? = nil, locality: String? = nil, origin: String? = nil,
                raw: JSONValue = .null) {
        self.id = id
        self.number = number
        self.type = type
        self.locality = locality
        self.origin = origin
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id, number, type, locality, origin
    }

    private enum ListKeys: String, CodingKey {
        case phoneNumber = "phone_number"
        case numberType = "number_type"
    }

    /// Decodes either naming; a missing number is reported as `number`.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let listContainer = try decoder.container(keyedBy: ListKeys.self)
        id = try container.decode(String.self, forKey: .id)
        if !container.contains(.number), listContainer.contains(.phoneNumber) {
            number = try listContainer.decode(String.self, forKey: .phoneNumber)
        } else {
            number = try container.decode(String.self, forKey: .number)
        }
        type = try container.decodeIfPresent(String.self, forKey: .type)
            ?? listContainer.decodeIfPresent(String.self, forKey: .numberType)
        locality = try container.decodeIfPresent(String.self, forKey: .locality)
        origin = try container.decodeIfPresent(String.self, forKey: .origin)
    }
}

extension PhoneNumber: JSONFieldsDecodable {
    /// Reads a phone number as ``init(from:)`` does, without `Codable`'s containers.
    init(json value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) throws {
        let fields = try JSONFields(value, parentPath: parentPath, key: key)
        raw = value
        id = try fields.string("id")
        if !fields.contains("number"), fields.contains("phone_number") {
            number = try fields.string("phone_number")
        } else {
            number = try fields.string("number")
        }
        type = try fields.optionalString("type") ?? fields.optionalString("number_type")
        locality = try fields.optionalString("locality")
        origin = try fields.optionalString("origin")
    }
}

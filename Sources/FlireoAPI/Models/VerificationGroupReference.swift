/// A short reference to a verification group, as in an order's `verification_group`.
public struct VerificationGroupReference: Codable, Sendable, Equatable {
    /// The group's id.
    public var id: String
    /// The group's name, if sent.
    public var name: String?
    /// The group's locality, if sent.
    public var locality: String?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a reference.
    /// - Parameters:
    ///   - id: the group's id.
    ///   - name: the group's name.
    ///   - locality: the group's locality.
    ///   - raw: the server's object, if any.
    public init(id: String, name: String?, locality: String?, raw: JSONValue = .null) {
        self.id = id
        self.name = name
        self.locality = locality
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id, name, locality
    }

    /// Decodes a reference.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
        locality = try container.decodeIfPresent(String.self, forKey: .locality)
    }
}

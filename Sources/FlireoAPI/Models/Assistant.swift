// The assistant endpoints' shapes are inferred (no public page shows them): only `id` and
// `name` are read; everything else stays in `raw`. Change this file when the shapes are known.

/// An assistant (`GET /v1/assistants[/{id}]`). Shape inferred: `id` and `name`; the rest
/// of the server's object is in ``raw``.
public struct Assistant: Codable, Sendable, Equatable {
    /// The assistant's id.
    public var id: String
    /// The assistant's name, if sent.
    public var name: String?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates an assistant.
    /// - Parameters:
    ///   - id: the assistant's id.
    ///   - name: the assistant's name.
    ///   - raw: the server's object, if any.
    public init(id: String, name: String?, raw: JSONValue = .null) {
        self.id = id
        self.name = name
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case id, name
    }

    /// Decodes an assistant.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decodeIfPresent(String.self, forKey: .name)
    }
}

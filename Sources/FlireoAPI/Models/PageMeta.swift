/// A list's `meta`: `total` items on the server, and the `limit` and `offset` it applied
/// (which need not be what was asked).
public struct PageMeta: Codable, Sendable, Equatable {
    /// Items in the whole list.
    public var total: Int
    /// The page size the server applied, if sent.
    public var limit: Int?
    /// The offset of this page, if sent.
    public var offset: Int?
    /// The object exactly as the server sent it.
    public var raw: JSONValue

    /// Creates a value.
    /// - Parameters:
    ///   - total: items in the whole list.
    ///   - limit: the page size applied.
    ///   - offset: the offset of the page.
    ///   - raw: the server's object, if any.
    public init(total: Int, limit: Int?, offset: Int?, raw: JSONValue = .null) {
        self.total = total
        self.limit = limit
        self.offset = offset
        self.raw = raw
    }

    enum CodingKeys: String, CodingKey {
        case total, limit, offset
    }

    /// Decodes `meta`.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` naming the field.
    public init(from decoder: any Decoder) throws {
        raw = try JSONValue(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        total = try container.decode(Int.self, forKey: .total)
        guard total >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .total, in: container, debugDescription: "a count expected, found \(total)")
        }
        limit = try container.decodeIfPresent(Int.self, forKey: .limit)
        offset = try container.decodeIfPresent(Int.self, forKey: .offset)
    }
}

/// Reads the API's response envelopes: `{"data": …}`, `{"message": …, "data": …}` and
/// lists `{"data": [...], "meta": {...}}`. Failures are `DecodingError`s whose paths
/// start at the envelope (`data.phone_number.id`).
enum Envelope {
    private static let decoder = JSONValueDecoder()

    /// Decodes `data` as `T`.
    static func data<T: Decodable>(_ type: T.Type, in body: JSONValue) throws -> T {
        try member("data", as: type, in: body)
    }

    /// Decodes `data` as `T` through its ``JSONFieldsDecodable`` reader (same errors, less work).
    static func data<T: JSONFieldsDecodable>(_ type: T.Type, in body: JSONValue) throws -> T {
        let root = try object(body)
        guard let value = root["data"] else {
            throw DecodingError.keyNotFound(dataKey, DecodingError.Context(codingPath: [], debugDescription: "missing"))
        }
        return try T(json: value, parentPath: dataPath, key: nil)
    }

    private static let dataKey = JSONCodingKey(stringValue: "data")
    private static let dataPath: [any CodingKey] = [dataKey]

    /// The top-level `message`, if it is a string.
    static func message(in body: JSONValue) -> String? {
        body["message"]?.stringValue
    }

    /// Decodes the top-level member `key` as `T`.
    static func member<T: Decodable>(_ key: String, as type: T.Type, in body: JSONValue) throws -> T {
        let root = try object(body)
        let codingKey = JSONCodingKey(stringValue: key)
        guard let value = root[key] else {
            throw DecodingError.keyNotFound(codingKey, DecodingError.Context(codingPath: [], debugDescription: "missing"))
        }
        return try decoder.decode(type, from: value, at: [codingKey])
    }

    /// Decodes the top-level member `key` as `T`, or `nil` when it is absent or `null`.
    static func optionalMember<T: Decodable>(_ key: String, as type: T.Type, in body: JSONValue) throws -> T? {
        guard let value = body[key], !value.isNull else { return nil }
        return try member(key, as: type, in: body)
    }

    /// Decodes a list page: `data` as items and `meta`.
    static func page<Item: Decodable & Sendable>(_ type: Item.Type, in body: JSONValue) throws -> Page<Item> {
        Page(items: try member("data", as: [Item].self, in: body), meta: try member("meta", as: PageMeta.self, in: body),
             raw: body)
    }

    private static func object(_ body: JSONValue) throws -> JSONObject {
        guard case .object(let root) = body else {
            throw DecodingError.typeMismatch(
                JSONObject.self,
                DecodingError.Context(codingPath: [], debugDescription: "expected an object, found \(body.kindDescription)")
            )
        }
        return root
    }
}

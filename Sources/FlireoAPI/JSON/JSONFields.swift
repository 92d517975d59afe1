/// Reads a model's fields straight from a parsed object, for the models on the bulk hot
/// path (linking): the same rules and the same `DecodingError`s, paths included, as their
/// `Decodable` conformance through ``JSONValueDecoder``, without the generic containers
/// and boxes `Codable` allocates per field.
///
/// A missing or `null` optional field is `nil`; a required field that is missing is
/// `keyNotFound`; a value of the wrong kind is `typeMismatch` ("expected a string, found a
/// number"). A duplicated key reads as its last occurrence.
struct JSONFields {
    let object: JSONObject
    // The path is only joined when an error needs it.
    private let parentPath: [any CodingKey]
    private let key: (any CodingKey)?

    /// The fields of `value`, which must be an object.
    /// - Parameters:
    ///   - value: the value.
    ///   - parentPath: the path of the value's container.
    ///   - key: the value's key in that container (`nil` for a value at `parentPath` itself).
    /// - Throws: `DecodingError.typeMismatch` when `value` is not an object.
    init(_ value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)? = nil) throws {
        self.parentPath = parentPath
        self.key = key
        guard case .object(let object) = value else {
            throw DecodingError.typeMismatch(
                JSONObject.self,
                DecodingError.Context(
                    codingPath: key.map { parentPath + [$0] } ?? parentPath,
                    debugDescription: "expected an object, found \(value.kindDescription)"
                )
            )
        }
        self.object = object
    }

    /// The path of this object.
    var codingPath: [any CodingKey] {
        guard let key else { return parentPath }
        return parentPath + [key]
    }

    /// Whether `name` is present (even as `null`).
    func contains(_ name: String) -> Bool {
        object[name] != nil
    }

    /// The string at `name`.
    /// - Throws: `keyNotFound` when absent, `typeMismatch` when not a string (`null` included).
    func string(_ name: String) throws -> String {
        try requireString(try required(name), name)
    }

    /// The string at `name`, or `nil` when absent or `null`.
    /// - Throws: `typeMismatch` when present but not a string.
    func optionalString(_ name: String) throws -> String? {
        guard let value = object[name], !value.isNull else { return nil }
        return try requireString(value, name)
    }

    /// The integer at `name`, or `nil` when absent or `null`.
    /// - Throws: `typeMismatch` when present but not an integer that fits an `Int`.
    func optionalInt(_ name: String) throws -> Int? {
        guard let value = object[name], !value.isNull else { return nil }
        guard let wide = value.integerValue else { throw mismatch(name, Int.self, "an integer", value) }
        guard let number = Int(exactly: wide) else { throw mismatch(name, Int.self, "an integer in range of Int", value) }
        return number
    }

    /// The model at `name`.
    /// - Throws: `keyNotFound` when absent, or the model's own errors (`null` is not an object).
    func model<T: JSONFieldsDecodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        try T(json: try required(name), parentPath: codingPath, key: JSONCodingKey(stringValue: name))
    }

    /// The model at `name`, or `nil` when absent or `null`.
    /// - Throws: the model's own errors.
    func optionalModel<T: JSONFieldsDecodable>(_ name: String, as type: T.Type = T.self) throws -> T? {
        guard let value = object[name], !value.isNull else { return nil }
        return try T(json: value, parentPath: codingPath, key: JSONCodingKey(stringValue: name))
    }

    private func required(_ name: String) throws -> JSONValue {
        guard let value = object[name] else {
            throw DecodingError.keyNotFound(
                JSONCodingKey(stringValue: name), DecodingError.Context(codingPath: codingPath, debugDescription: "missing")
            )
        }
        return value
    }

    private func requireString(_ value: JSONValue, _ name: String) throws -> String {
        guard case .string(let text) = value else { throw mismatch(name, String.self, "a string", value) }
        return text
    }

    private func mismatch(_ name: String, _ type: Any.Type, _ expected: String, _ value: JSONValue) -> DecodingError {
        DecodingError.typeMismatch(
            type,
            DecodingError.Context(
                codingPath: codingPath + [JSONCodingKey(stringValue: name)],
                debugDescription: "expected \(expected), found \(value.kindDescription)"
            )
        )
    }
}

/// A model that can be read with ``JSONFields`` (the hot-path models).
protocol JSONFieldsDecodable: Decodable {
    /// Reads the model from `value`, whose path is `parentPath` + `key`.
    /// - Throws: the `DecodingError` its `Decodable` conformance would throw.
    init(json value: JSONValue, parentPath: [any CodingKey], key: (any CodingKey)?) throws
}

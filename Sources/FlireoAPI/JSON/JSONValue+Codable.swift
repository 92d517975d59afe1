extension JSONValue: Codable {
    /// Decodes any JSON. From ``JSONValueDecoder`` this is the value itself, exact and in
    /// order; from other decoders it is rebuilt as well as they allow.
    /// - Parameter decoder: the decoder.
    /// - Throws: `DecodingError` when the input is not JSON-shaped.
    public init(from decoder: any Decoder) throws {
        if let direct = decoder as? JSONValueDecoding {
            self = direct.value
            return
        }
        if let object = try? decoder.container(keyedBy: JSONCodingKey.self) {
            var result = JSONObject()
            for key in object.allKeys {
                result.appendUnchecked(key.stringValue, try object.decode(JSONValue.self, forKey: key))
            }
            self = .object(result)
            return
        }
        if var array = try? decoder.unkeyedContainer() {
            var items: [JSONValue] = []
            while !array.isAtEnd {
                items.append(try array.decode(JSONValue.self))
            }
            self = .array(items)
            return
        }
        let single = try decoder.singleValueContainer()
        if single.decodeNil() {
            self = .null
        } else if let flag = try? single.decode(Bool.self) {
            self = .bool(flag)
        } else if let integer = try? single.decode(Int64.self) {
            self = .integer(integer)
        } else if let number = try? single.decode(Double.self) {
            self = .double(number)
        } else {
            self = .string(try single.decode(String.self))
        }
    }

    /// Encodes the value, object keys in their stored order.
    /// - Parameter encoder: the encoder.
    /// - Throws: whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var single = encoder.singleValueContainer()
            try single.encodeNil()
        case .bool(let flag):
            var single = encoder.singleValueContainer()
            try single.encode(flag)
        case .integer(let number):
            var single = encoder.singleValueContainer()
            try single.encode(number)
        case .double(let number):
            var single = encoder.singleValueContainer()
            try single.encode(number)
        case .string(let text):
            var single = encoder.singleValueContainer()
            try single.encode(text)
        case .array(let items):
            var array = encoder.unkeyedContainer()
            for item in items {
                try array.encode(item)
            }
        case .object(let object):
            var container = encoder.container(keyedBy: JSONCodingKey.self)
            for (key, value) in object.entries {
                try container.encode(value, forKey: JSONCodingKey(stringValue: key))
            }
        }
    }
}

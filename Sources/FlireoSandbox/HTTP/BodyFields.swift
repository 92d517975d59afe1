/// Typed access to the members of a JSON body, with the API's error for each mistake.
struct BodyFields: Sendable {
    let members: [JSONMember]

    private func value(_ name: String) -> JSON? {
        members.first(where: { $0.key == name })?.value
    }

    /// A string member that must be present and non-empty.
    /// - Throws: `invalid_parameters`.
    func requiredString(_ name: String, maxLength: Int = 200) throws(APIError) -> String {
        guard let value = try optionalString(name, maxLength: maxLength) else {
            throw .invalidParameter(name, "is required")
        }
        return value
    }

    /// A string member that may be absent or null; present means non-empty.
    /// - Throws: `invalid_parameters`.
    func optionalString(_ name: String, maxLength: Int = 200) throws(APIError) -> String? {
        guard let value = value(name), !value.isNull else { return nil }
        guard let string = value.stringValue else { throw .invalidParameter(name, "must be a string, got \(value.typeName)") }
        let trimmed = string.trimmedSpaces
        guard !trimmed.isEmpty else { throw .invalidParameter(name, "must not be empty") }
        guard trimmed.count <= maxLength else { throw .invalidParameter(name, "must be at most \(maxLength) characters") }
        return trimmed
    }

    /// A UUID member that must be present.
    /// - Throws: `invalid_parameters`.
    func requiredID(_ name: String) throws(APIError) -> SandboxID {
        guard let id = try optionalID(name) else { throw .invalidParameter(name, "is required") }
        return id
    }

    /// A UUID member that may be absent.
    /// - Throws: `invalid_parameters`.
    func optionalID(_ name: String) throws(APIError) -> SandboxID? {
        guard let value = value(name), !value.isNull else { return nil }
        guard let string = value.stringValue else { throw .invalidParameter(name, "must be a UUID string, got \(value.typeName)") }
        guard let id = SandboxID(string) else { throw .invalidParameter(name, "must be a UUID") }
        return id
    }

    /// A member naming one case of an enumeration.
    /// - Throws: `invalid_parameters`.
    func optionalEnum<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws(APIError) -> Value?
    where Value.RawValue == String {
        guard let raw = try optionalString(name) else { return nil }
        guard let value = Value(rawValue: raw) else {
            throw .invalidParameter(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// A non-negative integer member that must be present.
    /// - Throws: `invalid_parameters`.
    func requiredCount(_ name: String) throws(APIError) -> Int {
        guard let value = value(name) else { throw .invalidParameter(name, "is required") }
        guard let int = value.intValue, int >= 0 else { throw .invalidParameter(name, "must be a non-negative integer") }
        return int
    }

    /// A boolean member that may be absent.
    /// - Throws: `invalid_parameters`.
    func optionalBool(_ name: String) throws(APIError) -> Bool? {
        guard let value = value(name), !value.isNull else { return nil }
        guard let bool = value.boolValue else { throw .invalidParameter(name, "must be true or false") }
        return bool
    }

    /// A number member that may be absent.
    /// - Throws: `invalid_parameters`.
    func optionalNumber(_ name: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        guard let value = value(name), !value.isNull else { return nil }
        guard let number = value.doubleValue, range.contains(number) else {
            throw .invalidParameter(name, "must be a number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }
}

extension String {
    /// The string without leading and trailing spaces, tabs and newlines.
    var trimmedSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(self[first...last])
    }
}

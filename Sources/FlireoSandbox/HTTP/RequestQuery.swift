import Hummingbird

/// Typed access to path and query parameters, with the API's error for each mistake.
struct RequestQuery: Sendable {
    private let parameters: [(Substring, Substring)]

    /// Reads the request's query string.
    init(_ request: Request) {
        self.parameters = request.uri.queryParameters.map { ($0.key, $0.value) }
    }

    private func value(_ name: String) -> String? {
        parameters.first(where: { $0.0 == name }).map { String($0.1) }
    }

    /// `limit` and `offset`: limit within `1...maximum` (default `defaultLimit`), offset ≥ 0.
    /// - Throws: `invalid_parameters` for a non-integer or out-of-range value.
    func page(defaultLimit: Int, maximum: Int) throws(APIError) -> PageRequest {
        PageRequest(limit: try limit(defaultLimit: defaultLimit, maximum: maximum), offset: try integer("offset", default: 0, in: 0...Int.max))
    }

    /// `limit` alone (lists without an offset).
    /// - Throws: `invalid_parameters`.
    func limit(defaultLimit: Int, maximum: Int) throws(APIError) -> Int {
        try integer("limit", default: defaultLimit, in: 1...maximum)
    }

    /// An integer parameter within a range.
    /// - Throws: `invalid_parameters`.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(APIError) -> Int {
        guard let raw = value(name) else { return defaultValue }
        guard let number = Int(raw), range.contains(number) else {
            let bound = range.upperBound == Int.max ? "an integer ≥ \(range.lowerBound)" : "an integer from \(range.lowerBound) to \(range.upperBound)"
            throw .invalidParameter(name, "must be \(bound), got '\(raw)'")
        }
        return number
    }

    /// A boolean spelled "true" or "false".
    /// - Throws: `invalid_parameters`.
    func boolean(_ name: String, default defaultValue: Bool) throws(APIError) -> Bool {
        switch value(name) {
        case nil: return defaultValue
        case "true": return true
        case "false": return false
        case let other?: throw .invalidParameter(name, "must be \"true\" or \"false\", got '\(other)'")
        }
    }

    /// One case of an enumeration, or nil when absent.
    /// - Throws: `invalid_parameters`.
    func enumeration<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws(APIError) -> Value?
    where Value.RawValue == String {
        guard let raw = value(name) else { return nil }
        guard let value = Value(rawValue: raw) else {
            throw .invalidParameter(name, "must be one of \(Value.allCases.map(\.rawValue).joined(separator: ", ")), got '\(raw)'")
        }
        return value
    }

    /// A UUID, or nil when absent.
    /// - Throws: `invalid_parameters`.
    func id(_ name: String) throws(APIError) -> SandboxID? {
        guard let raw = value(name) else { return nil }
        guard let id = SandboxID(raw) else { throw .invalidParameter(name, "must be a UUID, got '\(raw)'") }
        return id
    }

    /// A free-text parameter, or nil when absent or empty.
    func text(_ name: String) -> String? {
        value(name).flatMap { $0.isEmpty ? nil : $0 }
    }
}

extension SandboxContext {
    /// The `{id}` path parameter as a UUID.
    /// - Throws: `invalid_parameters` when it is not one.
    func pathID(_ name: String = "id") throws(APIError) -> SandboxID {
        let raw = parameters.get(name) ?? ""
        guard let id = SandboxID(raw) else { throw .invalidParameter(name, "must be a UUID, got '\(raw)'") }
        return id
    }
}

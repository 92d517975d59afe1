import NIOHTTP1

/// The methods raw requests may use.
public enum FlireoMethod: String, Sendable, CaseIterable {
    /// GET: read; retried after a 5xx or transport failure.
    case get = "GET"
    /// POST: never re-sent after an unknown outcome.
    case post = "POST"
    /// PUT: never re-sent after an unknown outcome.
    case put = "PUT"
    /// PATCH: never re-sent after an unknown outcome.
    case patch = "PATCH"
    /// DELETE: never re-sent after an unknown outcome.
    case delete = "DELETE"

    /// Parses a method name in any case (`get`, `Post`).
    /// - Parameter name: the name.
    /// - Throws: ``FlireoError`` `invalid_parameters` naming `method`.
    public init(parsing name: String) throws {
        guard let method = FlireoMethod(rawValue: name.uppercased()) else {
            let choices = FlireoMethod.allCases.map(\.rawValue).joined(separator: ", ")
            throw FlireoError.invalidParameter("method", "expected one of \(choices), got \(FlireoError.quote(name))")
        }
        self = method
    }

    var httpMethod: HTTPMethod {
        switch self {
        case .get: return .GET
        case .post: return .POST
        case .put: return .PUT
        case .patch: return .PATCH
        case .delete: return .DELETE
        }
    }
}

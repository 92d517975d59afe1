import FlireoAPI
import HTTPTypes

/// An API failure in the documented envelope:
/// `{"error": {"code": "…", "message": "…", "details": {…}}}`.
///
/// Thrown by the store and the controllers; one middleware turns it into a response.
struct APIError: Error, Sendable, Equatable {
    /// The machine-readable code (`not_found`, `already_in_use`, …).
    var code: String
    /// The HTTP status.
    var status: HTTPResponse.Status
    /// The human-readable message.
    var message: String
    /// Extra structured context (a JSON object).
    var details: JSONObject
    /// Extra response headers (`Allow` on 405).
    var headers: HTTPFields

    init(
        _ code: String,
        _ status: HTTPResponse.Status,
        _ message: String,
        details: [JSONMember] = [],
        headers: HTTPFields = [:]
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.details = JSONObject(entries: details)
        self.headers = headers
    }

    /// The envelope body.
    var body: JSON {
        ["error": ["code": .string(code), "message": .string(message), "details": .object(details)]]
    }
}

extension APIError {
    /// 400 `invalid_parameters`, naming the offending field in `details`.
    static func invalidParameter(_ field: String, _ problem: String) -> APIError {
        APIError("invalid_parameters", .badRequest, "Invalid '\(field)': \(problem)", details: [(field, .string(problem))])
    }

    /// 400 `invalid_parameters` for a body that is not usable at all.
    static func invalidBody(_ problem: String) -> APIError {
        APIError("invalid_parameters", .badRequest, "Invalid request body: \(problem)", details: [("body", .string(problem))])
    }

    /// 404 `not_found` for a missing resource of the given kind ("Assistant", "Phone number", …).
    static func notFound(_ kind: String, id: String) -> APIError {
        APIError("not_found", .notFound, "\(kind) not found", details: [("id", .string(id))])
    }

    /// 404 `not_found` for a path no route serves.
    static func unknownRoute(_ method: String, _ path: String) -> APIError {
        APIError("not_found", .notFound, "No route for \(method) \(path)", details: [("path", .string(path))])
    }

    /// 405 `method_not_allowed` with the `Allow` header.
    static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        let allow = allowed.joined(separator: ", ")
        return APIError(
            "method_not_allowed", .methodNotAllowed, "Method \(method) is not allowed here; allowed: \(allow)",
            details: [("allowed", .array(allowed.map(JSON.string)))],
            headers: [.allow: allow]
        )
    }

    /// 413 `payload_too_large`.
    static func payloadTooLarge(limit: Int) -> APIError {
        APIError("payload_too_large", .contentTooLarge, "Request body larger than \(limit) bytes", details: [("limit", .int(limit))])
    }

    /// 415 `unsupported_media_type`.
    static func unsupportedMediaType(_ received: String?) -> APIError {
        APIError(
            "unsupported_media_type", .unsupportedMediaType, "Content-Type must be application/json",
            details: [("content_type", .string(received))]
        )
    }

    /// 402 `insufficient_credits`.
    static func insufficientCredits(required: Int, available: Int) -> APIError {
        APIError(
            "insufficient_credits", HTTPResponse.Status(code: 402), "Insufficient credits: \(required) required, \(available) available",
            details: [("required", .int(required)), ("available", .int(available))]
        )
    }

    /// 400 `invalid_status` for a verification group that is not approved.
    static func groupNotApproved(_ id: SandboxID, status: String) -> APIError {
        APIError(
            "invalid_status", .badRequest, "Verification group is \(status), not approved",
            details: [("id", .id(id)), ("status", .string(status))]
        )
    }

    /// 429 `rate_limit_exceeded`.
    static func rateLimited(limit: Int, retryAfter: Int) -> APIError {
        APIError(
            "rate_limit_exceeded", .tooManyRequests, "Rate limit of \(limit) requests per minute exceeded; retry in \(retryAfter) s",
            details: [("limit", .int(limit)), ("retry_after", .int(retryAfter))],
            headers: [.retryAfter: String(retryAfter)]
        )
    }

    /// 401 (rendered in the flat shape).
    static var unauthorized: APIError {
        APIError("unauthorized", .unauthorized, "Invalid or missing API key")
    }

    /// 500 `server_error` for an injected failure or an unexpected error.
    static func serverError(_ message: String) -> APIError {
        APIError("server_error", .internalServerError, message)
    }
}

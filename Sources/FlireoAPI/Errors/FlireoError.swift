/// The one error every FlireoAPI call throws: an API error decoded from the server, a
/// transport failure, a response that does not match its model, a bad argument caught
/// before any request, or a configuration problem.
///
/// ``description`` reads well to a person:
/// `not_found (404): Assistant not found — GET /v1/assistants/660e8400-…/phone-number`.
/// The API key never appears in any field: errors leave the client only after redaction.
public struct FlireoError: Error, Sendable, CustomStringConvertible {
    /// The machine-readable code: the server's own (`not_found`, `already_in_use`, …),
    /// `unauthorized` for the flat 401, `http_<status>` for a body that is not JSON, or a
    /// local one (`timeout`, `connection_failed`, `invalid_parameters`, `configuration`, …).
    public var code: Code
    /// The HTTP status, when a response was received.
    public var status: Int?
    /// A sentence for a person.
    public var message: String
    /// The server's `details`, or local context such as `{"parameter": "assistantID"}`.
    public var details: JSONValue?
    /// The request method (`GET`, `POST`, …), when the error belongs to a request.
    public var method: String?
    /// The request path without its query (`/v1/phone-numbers`), when the error belongs to a request.
    public var path: String?
    /// Seconds the server asked to wait (`Retry-After`, else `X-RateLimit-Reset`), when given.
    public var retryAfter: Double?
    /// `true` when a mutation may or may not have been applied (timeout, dropped
    /// connection or 5xx after the request was sent) and could not be reconciled.
    public var outcomeUnknown: Bool

    /// Creates an error.
    /// - Parameters:
    ///   - code: the machine-readable code.
    ///   - status: the HTTP status, if a response was received.
    ///   - message: a sentence for a person.
    ///   - details: structured context, if any.
    ///   - method: the request method, if the error belongs to a request.
    ///   - path: the request path, if the error belongs to a request.
    ///   - retryAfter: seconds the server asked to wait, if given.
    ///   - outcomeUnknown: whether a mutation may have been applied.
    public init(
        code: Code,
        status: Int? = nil,
        message: String,
        details: JSONValue? = nil,
        method: String? = nil,
        path: String? = nil,
        retryAfter: Double? = nil,
        outcomeUnknown: Bool = false
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.details = details
        self.method = method
        self.path = path
        self.retryAfter = retryAfter
        self.outcomeUnknown = outcomeUnknown
    }

    /// `code (status): message — METHOD path`, leaving out the parts that are unknown.
    public var description: String {
        var text = code.rawValue
        if let status { text += " (\(status))" }
        text += ": " + message
        if let retryAfter { text += " (retry after \(Self.formatSeconds(retryAfter)))" }
        if let method, let path { text += " — \(method) \(path)" }
        return text
    }

    /// The same error tagged with the request it belongs to (kept when already set); a
    /// path of more than 200 characters is cut with "…", so the error stays one line.
    func attached(method: String, path: String) -> FlireoError {
        var copy = self
        if copy.method == nil { copy.method = method }
        if copy.path == nil { copy.path = path.count > 200 ? String(path.prefix(200)) + "…" : path }
        return copy
    }

    /// Seconds as a person reads them: `2 s`, `0.25 s`, `1.5 min`, `3 h`, `365 days`.
    static func formatSeconds(_ seconds: Double) -> String {
        if seconds >= 2 * 86_400 {
            return "\(trimmed((seconds / 86_400).rounded())) days"
        }
        if seconds >= 2 * 3_600 {
            return "\(trimmed(seconds / 3_600)) h"
        }
        if seconds >= 120 {
            return "\(trimmed(seconds / 60)) min"
        }
        return "\(trimmed(seconds)) s"
    }

    private static func trimmed(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() { return String(Int64(rounded)) }
        return String(rounded)
    }
}

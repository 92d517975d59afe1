import NIOHTTP1

extension FlireoError {
    /// Decodes an error response in any of the shapes servers and proxies send: the
    /// documented envelope `{"error": {"code", "message", "details"}}`, the flat 401
    /// `{"error": "Unauthorized", "message": …}`, other JSON, HTML or an empty body.
    /// - Parameters:
    ///   - status: the HTTP status.
    ///   - headers: the response headers (for `Retry-After` and `X-RateLimit-Reset`).
    ///   - body: the response body.
    ///   - method: the request method.
    ///   - path: the request path.
    ///   - redactor: masks the key in a non-JSON body before it is shortened to an excerpt.
    /// - Returns: the error.
    static func fromResponse(
        status: Int,
        headers: HTTPHeaders,
        body: [UInt8],
        method: String,
        path: String,
        redactor: Redactor
    ) -> FlireoError {
        var error = FlireoError(
            code: .http(status),
            status: status,
            message: reasonPhrase(status),
            method: method,
            path: path
        )
        error.retryAfter = RetryAfter.seconds(in: headers, status: status)
        if let json = try? JSONValue(parsing: body) {
            error.apply(json)
        } else if let excerpt = excerpt(of: body, redactor: redactor) {
            error.message = excerpt
        } else {
            error.message += " (empty body)"
        }
        return error
    }

    private mutating func apply(_ json: JSONValue) {
        let topMessage = json["message"]?.stringValue
        switch json["error"] {
        case .object(let envelope)?:
            if let code = envelope["code"]?.stringValue, !code.isEmpty { self.code = Code(rawValue: code) }
            if let text = envelope["message"]?.stringValue ?? topMessage { message = text }
            details = envelope["details"]
        case .string(let name)?:
            let code = Self.snakeCase(name)
            if !code.isEmpty { self.code = Code(rawValue: code) }
            message = topMessage ?? name
        default:
            if let topMessage { message = topMessage } else { details = json }
        }
    }

    /// `Unauthorized` → `unauthorized`, `Too Many Requests` → `too_many_requests`,
    /// `invalidToken` → `invalid_token`.
    static func snakeCase(_ text: String) -> String {
        var result = ""
        var previousWasLowerOrDigit = false
        var pendingSeparator = false
        for character in text {
            guard character.isLetter || character.isNumber else {
                pendingSeparator = !result.isEmpty
                previousWasLowerOrDigit = false
                continue
            }
            if character.isUppercase && previousWasLowerOrDigit { pendingSeparator = true }
            if pendingSeparator {
                result += "_"
                pendingSeparator = false
            }
            result += character.lowercased()
            previousWasLowerOrDigit = character.isLowercase || character.isNumber
        }
        return result
    }

    /// The standard reason phrase (`Bad Gateway`), or `HTTP 599` for unknown statuses.
    static func reasonPhrase(_ status: Int) -> String {
        let phrase = HTTPResponseStatus(statusCode: status).reasonPhrase
        return phrase.isEmpty ? "HTTP \(status)" : phrase
    }

    /// A short, readable excerpt of a non-JSON body: an HTML page's `<title>` or its text
    /// without tags, whitespace collapsed, at most 200 characters, the key masked; `nil` when empty.
    static func excerpt(of body: [UInt8], redactor: Redactor) -> String? {
        // Masked before shortening, so a cut can never leave part of the key behind.
        let text = redactor.scrub(String(decoding: body, as: UTF8.self))
        var readable = HTMLText.title(of: text) ?? HTMLText.strippingTags(text)
        // And again once tags and entities are gone: they may have split the key.
        readable = redactor.scrub(HTMLText.collapsingWhitespace(HTMLText.decodingEntities(readable)))
        guard !readable.isEmpty else { return nil }
        let limit = 200
        return readable.count > limit ? String(readable.prefix(limit)) + "…" : readable
    }
}

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
            error.apply(json, status: status, redactor: redactor)
        } else if let encoding = unaskedEncoding(headers) {
            error.message = encoding
        } else if let excerpt = excerpt(of: body, redactor: redactor) {
            error.message = excerpt
        } else {
            error.message += " (empty body)"
        }
        // Redirects are not followed (the key would go along): where it pointed helps
        // find what is wrong with the base URL.
        if (300...399).contains(status), let location = headers.first(name: "Location") {
            error.message += "; it redirects to \(TerminalText.printable(redactor.scrub(location), limit: 200)), and flireo follows no redirect: "
                + "is the base URL right (https://, its path)?"
        }
        return error
    }

    /// What a body compressed without being asked (`Content-Encoding: gzip`) is, in words;
    /// nil for a plain one. flireo asks for none, so its bytes are no text to quote.
    static func unaskedEncoding(_ headers: HTTPHeaders) -> String? {
        let encoding = (headers.first(name: "Content-Encoding") ?? "").trimmingSpaces.lowercased()
        guard !encoding.isEmpty, encoding != "identity" else { return nil }
        return "the body is \(TerminalText.printable(encoding, limit: 40))-encoded (Content-Encoding), which flireo did not ask for"
    }

    /// The longest message taken from a server, in characters.
    static let messageLimit = 500

    private mutating func apply(_ json: JSONValue, status: Int, redactor: Redactor) {
        let topMessage = json["message"]?.stringValue
        // A server's text goes to terminals: the key masked, control characters shown
        // escaped, a long text cut (after the masking, so no cut leaves part of a key).
        func text(_ raw: String) -> String { TerminalText.printable(redactor.scrub(raw), limit: Self.messageLimit) }
        switch json["error"] {
        case .object(let envelope)?:
            // A code that is no identifier (free text, a huge string) leaves http_<status>;
            // NOT_FOUND is not_found.
            if let code = envelope["code"]?.stringValue, let accepted = Self.acceptedCode(code.lowercased(), redactor: redactor) {
                self.code = Code(rawValue: accepted)
            }
            if let raw = envelope["message"]?.stringValue ?? topMessage { message = text(raw) }
            details = envelope["details"]
        case .string(let name)?:
            // A name such as "Unauthorized" in snake case; free text (which may quote the
            // key, and which snake case would cut into pieces no mask finds) is no code.
            if name.count <= 40, redactor.scrub(name) == name, let code = Self.acceptedCode(Self.snakeCase(name), redactor: redactor) {
                self.code = Code(rawValue: code)
            } else if status == 401 {
                self.code = .unauthorized
            }
            message = text(topMessage ?? name)
        default:
            if let topMessage { message = text(topMessage) } else { details = json }
        }
    }

    /// `code` when it reads as an error code (`not_found`: lower-case letters, digits and
    /// underscores, a letter first, at most 64), and holds no part of the key.
    static func acceptedCode(_ code: String, redactor: Redactor) -> String? {
        let letters = UInt8(ascii: "a")...UInt8(ascii: "z"), digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard (1...64).contains(code.utf8.count), let first = code.utf8.first, letters.contains(first),
            code.utf8.allSatisfy({ letters.contains($0) || digits.contains($0) || $0 == UInt8(ascii: "_") }),
            redactor.scrub(code) == code
        else { return nil }
        return code
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
        return TerminalText.printable(readable, limit: 200)
    }
}

extension FlireoError {
    /// An argument rejected before any request: `invalid_parameters` naming the parameter.
    /// - Parameters:
    ///   - name: the parameter as the caller knows it (`assistantID`).
    ///   - reason: what was expected and what was given.
    /// - Returns: the error, with `details` `{"parameter": name}`.
    public static func invalidParameter(_ name: String, _ reason: String) -> FlireoError {
        FlireoError(
            code: .invalidParameters,
            message: "Invalid '\(name)': \(reason)",
            details: .object(["parameter": .string(name)])
        )
    }

    /// A configuration problem (code `configuration`).
    /// - Parameter message: what is wrong and how to fix it.
    /// - Returns: the error.
    public static func configuration(_ message: String) -> FlireoError {
        FlireoError(code: .configuration, message: message)
    }

    /// A response that cannot be used (code `invalid_response`).
    static func invalidResponse(_ message: String, status: Int? = nil) -> FlireoError {
        FlireoError(code: .invalidResponse, status: status, message: message)
    }

    /// The calling task was cancelled (code `cancelled`).
    static func cancelled(mayHaveBeenApplied: Bool = false) -> FlireoError {
        FlireoError(
            code: .cancelled,
            message: mayHaveBeenApplied
                ? "Cancelled after the request was sent; the server may have applied it"
                : "Cancelled",
            outcomeUnknown: mayHaveBeenApplied
        )
    }

    /// `error` itself when it is a ``FlireoError``; anything else (which the client's own
    /// steps never throw) as `transport_error` rather than lost.
    static func unexpected(_ error: any Error) -> FlireoError {
        error as? FlireoError ?? FlireoError(code: .transportError, message: "Unexpected failure: \(error)")
    }

    /// A short quotation of a caller's value for a message, never longer than 40 characters.
    /// A value holding what looks like an API key (given by mistake where a URL or a name
    /// belongs) is not quoted at all.
    static func quote(_ value: String) -> String {
        if KnownSecrets.occur(in: value) { return "(a value that looks like an API key, not shown)" }
        let limit = 40
        let shown = value.count > limit ? String(value.prefix(limit)) + "…" : value
        return "\"" + shown + "\""
    }

    /// A quotation of a configuration value or profile name (see ``quote(_:)``), which is
    /// also not shown when it holds a word as API keys are made (20 characters or more of
    /// letters, digits, `_` and `-`, with letters and digits both): a key pasted on the
    /// wrong line of a config file, whatever its prefix.
    static func quoteSetting(_ value: String) -> String {
        let words = value.split { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-")) }
        let keyLike = words.contains { $0.count >= 20 && $0.contains(where: \.isLetter) && $0.contains(where: \.isNumber) }
        return keyLike ? "(a value that could be an API key, not shown)" : quote(value)
    }
}

extension FlireoError {
    /// A machine-readable error code: a string with named constants, so a code the
    /// server adds later is carried through instead of breaking callers.
    public struct Code: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
        /// The code as sent or defined (`not_found`).
        public let rawValue: String

        /// Wraps a code string.
        /// - Parameter rawValue: the code (`not_found`).
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Wraps a code string literal.
        public init(stringLiteral value: String) { self.rawValue = value }

        /// The code string.
        public var description: String { rawValue }

        /// `http_<status>`: the code of an error response whose body carries no code.
        /// - Parameter status: the HTTP status.
        /// - Returns: the code, e.g. `http_502`.
        public static func http(_ status: Int) -> Code { Code(rawValue: "http_\(status)") }

        // MARK: Codes of the API contract

        /// A missing or invalid parameter (400), also raised locally before any request.
        public static let invalidParameters: Code = "invalid_parameters"
        /// The number is already linked to this assistant (400).
        public static let alreadyLinked: Code = "already_linked"
        /// A custom number is linked to another assistant (400).
        public static let alreadyInUse: Code = "already_in_use"
        /// Nothing to unlink (400).
        public static let noPhoneNumber: Code = "no_phone_number"
        /// A resource in the wrong status (400).
        public static let invalidStatus: Code = "invalid_status"
        /// Not enough credits (402).
        public static let insufficientCredits: Code = "insufficient_credits"
        /// The number does not belong to this account (403).
        public static let forbidden: Code = "forbidden"
        /// The assistant or number does not exist (404).
        public static let notFound: Code = "not_found"
        /// Too many requests (429).
        public static let rateLimitExceeded: Code = "rate_limit_exceeded"
        /// A database failure on the server (500).
        public static let databaseError: Code = "database_error"
        /// A telephony provider failure on the server (500).
        public static let providerError: Code = "provider_error"
        /// Another server failure (500).
        public static let serverError: Code = "server_error"
        /// A missing or invalid API key (the flat 401 shape).
        public static let unauthorized: Code = "unauthorized"

        // MARK: Local codes

        /// No response in time (total deadline or read timeout).
        public static let timeout: Code = "timeout"
        /// No connection could be made (refused, unreachable, DNS, TLS, connect timeout): nothing was sent.
        public static let connectionFailed: Code = "connection_failed"
        /// The connection closed before a complete response arrived.
        public static let connectionClosed: Code = "connection_closed"
        /// Another transport failure (the request may have been sent).
        public static let transportError: Code = "transport_error"
        /// The calling task was cancelled.
        public static let cancelled: Code = "cancelled"
        /// A response that is not valid JSON or does not match its model.
        public static let invalidResponse: Code = "invalid_response"
        /// Text that is not valid JSON (from `JSONValue(parsing:)`).
        public static let invalidJSON: Code = "invalid_json"
        /// Missing or unsafe configuration (no base URL, key file readable by others, …).
        public static let configuration: Code = "configuration"
    }
}

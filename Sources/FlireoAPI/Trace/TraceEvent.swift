/// Receives the request trace (`--verbose`). Called on whatever task made the request;
/// keep it quick and thread-safe.
public typealias TraceSink = @Sendable (TraceEvent) -> Void

/// One step of a request's life, for `--verbose`: what was sent, what came back, and
/// every retry, wait and reconcile decision. Redacted: the API key never appears, and
/// headers and bodies are not traced.
public struct TraceEvent: Sendable, CustomStringConvertible {
    /// What happened.
    public enum Kind: String, Sendable {
        /// The request is being sent.
        case request
        /// A response arrived.
        case response
        /// The attempt failed without a response (timeout, connection failure, …).
        case failure
        /// The request waited before being sent (client pacing, server budget, Retry-After).
        case wait
        /// The request will be sent again.
        case retry
        /// A mutation's unknown outcome is being (or was) settled by reading state back.
        case reconcile
    }

    /// What happened.
    public var kind: Kind
    /// The request method.
    public var method: String
    /// The request path with its query.
    public var target: String
    /// The attempt number, from 1.
    public var attempt: Int
    /// The HTTP status, for responses.
    public var status: Int?
    /// How long the exchange took (response, failure) or how long the wait is (wait, retry).
    public var duration: Duration?
    /// The decision or failure in words.
    public var note: String?
    /// When it happened.
    public var instant: ContinuousClock.Instant

    /// Creates an event.
    /// - Parameters:
    ///   - kind: what happened.
    ///   - method: the request method.
    ///   - target: the request path with its query.
    ///   - attempt: the attempt number.
    ///   - status: the HTTP status, if any.
    ///   - duration: the exchange time or wait, if any.
    ///   - note: the decision in words, if any.
    ///   - instant: when it happened.
    public init(
        kind: Kind,
        method: String,
        target: String,
        attempt: Int,
        status: Int? = nil,
        duration: Duration? = nil,
        note: String? = nil,
        instant: ContinuousClock.Instant = .now
    ) {
        self.kind = kind
        self.method = method
        self.target = target
        self.attempt = attempt
        self.status = status
        self.duration = duration
        self.note = note
        self.instant = instant
    }

    /// One line, e.g. `GET /v1/phone-numbers?limit=50&offset=0 → 200 in 12.3 ms`.
    public var description: String {
        var line = "\(method) \(target)"
        switch kind {
        case .request:
            line += attempt > 1 ? " sending (attempt \(attempt))" : " sending"
        case .response:
            line += " → \(status.map(String.init) ?? "?")"
            if let duration { line += " in \(Self.format(duration))" }
        case .failure:
            line += " failed"
            if let duration { line += " after \(Self.format(duration))" }
        case .wait:
            line += " waited \(duration.map(Self.format) ?? "0 ms")"
        case .retry:
            line += " retrying in \(duration.map(Self.format) ?? "0 ms")"
        case .reconcile:
            line += " reconcile"
        }
        if let note { line += ": \(note)" }
        return line
    }

    /// `12.3 ms`, `1.25 s`.
    static func format(_ duration: Duration) -> String {
        let seconds = duration.seconds
        if seconds < 1 {
            return "\((seconds * 10_000).rounded() / 10) ms"
        }
        return "\((seconds * 100).rounded() / 100) s"
    }
}

import AsyncHTTPClient
import NIOHTTP1

/// The Flireo v1 API client: typed operations for every endpoint, raw access, retries
/// with reconciliation, pacing and a redacted trace.
///
/// Clients are cheap and thread-safe. All of them share one process-wide `HTTPClient`
/// (keep-alive, pooling) unless one is injected, and every client with the same API key
/// and base URL shares one rate limiter. Every operation is `async` and ends promptly when
/// the calling task is cancelled: the in-flight request, pacing waits, `Retry-After` waits
/// and backoff sleeps all stop, and the call throws `cancelled`.
public final class FlireoClient: Sendable, CustomStringConvertible, CustomReflectable {
    /// The configuration the client was built from (printing it never shows the key).
    public let configuration: FlireoConfiguration

    let baseURL: BaseURL
    let httpClient: HTTPClient
    let pacer: RequestPacer
    let redactor: Redactor
    /// User-Agent, Accept and Authorization, built once.
    let baseHeaders: HTTPHeaders
    /// Enforces the timeouts of this client's requests.
    let watch: TimeoutWatch
    /// Where an idle connection most likely waits (pooled clients only, see ``ReadyLoops``).
    let readyLoops: ReadyLoops?

    /// Creates a client.
    /// - Parameters:
    ///   - configuration: where the API is, the key, timeouts, retries, pacing and trace.
    ///   - httpClient: an `HTTPClient` to use instead of the shared one (its own connect
    ///     and read timeouts then apply; the per-attempt total timeout still does).
    /// - Throws: ``FlireoError`` `configuration` for a missing or invalid base URL, or
    ///   `http://` to a non-loopback host without ``FlireoConfiguration/allowInsecureHTTP``.
    public convenience init(configuration: FlireoConfiguration, httpClient: HTTPClient? = nil) throws {
        if let httpClient {
            // An injected client applies its own read timeout.
            try self.init(configuration: configuration, httpClient: httpClient, readyLoops: nil, watchesRead: false)
        } else {
            try self.init(configuration: configuration, pooled: SharedHTTPClient.client(for: configuration.timeouts))
        }
    }

    /// A client on a pooled `HTTPClient` (the shared one, or one a test made as it is):
    /// its read timeout is the watch's, and its requests prefer a ready connection's loop.
    convenience init(configuration: FlireoConfiguration, pooled: SharedHTTPClient.Pooled) throws {
        try self.init(configuration: configuration, httpClient: pooled.client, readyLoops: pooled.readyLoops, watchesRead: true)
    }

    private init(configuration: FlireoConfiguration, httpClient client: HTTPClient, readyLoops: ReadyLoops?, watchesRead: Bool) throws {
        let redactor = Redactor(apiKey: configuration.apiKey)
        do {
            self.baseURL = try configuration.validatedBaseURL()
        } catch let error as FlireoError {
            throw redactor.scrub(error)
        }
        self.configuration = configuration
        self.redactor = redactor
        self.httpClient = client
        self.readyLoops = readyLoops
        self.watch = TimeoutWatch(
            total: configuration.timeouts.total,
            read: watchesRead ? configuration.timeouts.read : nil,
            eventLoop: client.eventLoopGroup.next()
        )
        self.pacer = PacerRegistry.pacer(
            baseURL: baseURL,
            apiKey: configuration.apiKey,
            rateLimit: configuration.rateLimit
        )
        var headers = HTTPHeaders()
        headers.add(name: "User-Agent", value: FlireoVersion.userAgent)
        headers.add(name: "Accept", value: "application/json")
        if let apiKey = configuration.apiKey, !apiKey.isEmpty {
            headers.add(name: "Authorization", value: "Bearer \(apiKey.secret)")
        }
        self.baseHeaders = headers
    }

    /// `FlireoClient(https://api.example.com)`.
    public var description: String {
        "FlireoClient(\(baseURL.prefix))"
    }

    /// Shows the base URL only, so `dump(client)` cannot reveal the key through the headers.
    public var customMirror: Mirror {
        Mirror(self, children: ["baseURL": baseURL.prefix], displayStyle: .class)
    }

    /// The client-side rate limit in force for this key and base URL (shared with other
    /// clients of the same key; the strictest configured wins), or `nil` when off.
    public var effectiveRateLimit: RateLimit? {
        pacer.rateLimit
    }

    /// Sends an event to the trace sink, redacted. The event is only built when a sink is set.
    func trace(_ makeEvent: @autoclosure () -> TraceEvent) {
        guard let sink = configuration.trace else { return }
        sink(redactor.scrub(makeEvent()))
    }
}

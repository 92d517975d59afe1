import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore

/// The process-wide `HTTPClient`s (connection pooling and keep-alive across every
/// ``FlireoClient``): one per distinct connect timeout, so in practice one. They live as
/// long as the process and are never shut down. Their requests have no timers of their
/// own: each ``FlireoClient``'s ``TimeoutWatch`` enforces its read and total timeouts.
enum SharedHTTPClient {
    private static let clients = NIOLockedValueBox<[Duration: HTTPClient]>([:])

    /// Connections kept per host: enough for a 32-way bulk run without queueing.
    static let connectionsPerHost = 32

    /// The shared client for these timeouts.
    static func client(for timeouts: Timeouts) -> HTTPClient {
        clients.withLockedValue { clients in
            if let existing = clients[timeouts.connect] { return existing }
            let client = HTTPClient(
                eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(connect: timeouts.connect)
            )
            clients[timeouts.connect] = client
            return client
        }
    }

    private static func configuration(connect: Duration) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            // A redirect would carry the key to wherever it points; report it instead.
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(connect), read: nil),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost),
            decompression: .disabled
        )
        // Fail fast on a refused connection: GETs have their own backoff, and a mutation
        // must not sit in a queue for the whole connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // A command-line client exports no distributed traces; building spans per request costs time.
        configuration.tracing.tracer = nil
        // One write per request instead of two (see FlushCoalescer).
        configuration.http1_1ConnectionDebugInitializer = { channel in FlushCoalescer.install(on: channel) }
        return configuration
    }
}

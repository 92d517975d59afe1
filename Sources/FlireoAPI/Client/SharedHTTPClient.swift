import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore

/// The process-wide `HTTPClient`s (connection pooling and keep-alive across every
/// ``FlireoClient``): one per distinct connect/read timeout pair, so in practice one.
/// They live as long as the process and are never shut down.
enum SharedHTTPClient {
    private struct Key: Hashable {
        let connect: Duration
        let read: Duration
    }

    private static let clients = NIOLockedValueBox<[Key: HTTPClient]>([:])

    /// Connections kept per host: enough for a 32-way bulk run without queueing.
    static let connectionsPerHost = 32

    /// The shared client for these timeouts.
    static func client(for timeouts: Timeouts) -> HTTPClient {
        let key = Key(connect: timeouts.connect, read: timeouts.read)
        return clients.withLockedValue { clients in
            if let existing = clients[key] { return existing }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration(for: key))
            clients[key] = client
            return client
        }
    }

    private static func configuration(for key: Key) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            // A redirect would carry the key to wherever it points; report it instead.
            redirectConfiguration: .disallow,
            timeout: .init(connect: TimeAmount(key.connect), read: TimeAmount(key.read)),
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: connectionsPerHost),
            decompression: .disabled
        )
        // Fail fast on a refused connection: GETs have their own backoff, and a mutation
        // must not sit in a queue for the whole connect timeout.
        configuration.connectionPool.retryConnectionEstablishment = false
        // A command-line client exports no distributed traces; building spans per request costs time.
        configuration.tracing.tracer = nil
        return configuration
    }
}

import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore

/// The process-wide `HTTPClient`s (connection pooling and keep-alive across every
/// ``FlireoClient``): one per distinct connect timeout, so in practice one. They live as
/// long as the process and are never shut down. Their requests have no timers of their
/// own: each ``FlireoClient``'s ``TimeoutWatch`` enforces its read and total timeouts.
enum SharedHTTPClient {
    /// An `HTTPClient` with flireo's settings and where its connections have just read.
    struct Pooled: Sendable {
        let client: HTTPClient
        let readyLoops: ReadyLoops
    }

    private static let clients = NIOLockedValueBox<[Duration: Pooled]>([:])

    /// Connections kept per host: enough for a 32-way bulk run without queueing.
    static let connectionsPerHost = 32

    /// The shared client for these timeouts.
    static func client(for timeouts: Timeouts) -> Pooled {
        clients.withLockedValue { clients in
            if let existing = clients[timeouts.connect] { return existing }
            let pooled = make(group: HTTPClient.defaultEventLoopGroup, connect: timeouts.connect)
            clients[timeouts.connect] = pooled
            return pooled
        }
    }

    /// A client as the shared ones are, on `group` (the shared ones never shut down; the
    /// caller shuts this one down).
    static func make(group: any EventLoopGroup, connect: Duration) -> Pooled {
        let readyLoops = ReadyLoops()
        let client = HTTPClient(eventLoopGroup: group, configuration: configuration(connect: connect, readyLoops: readyLoops))
        return Pooled(client: client, readyLoops: readyLoops)
    }

    private static func configuration(connect: Duration, readyLoops: ReadyLoops) -> HTTPClient.Configuration {
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
        // One write per request instead of two (see FlushCoalescer), and requests prefer
        // the event loop of a connection that has just read (see ReadyLoops).
        configuration.http1_1ConnectionDebugInitializer = { channel in
            channel.eventLoop.submit {
                let pipeline = channel.pipeline.syncOperations
                try FlushCoalescer.add(to: pipeline)
                try ReadyLoopNoter.add(to: pipeline, readyLoops)
            }
        }
        return configuration
    }
}

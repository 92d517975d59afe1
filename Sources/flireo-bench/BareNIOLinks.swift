import AsyncHTTPClient
import FlireoAPI
import NIOCore
import NIOHTTP1
import NIOPosix

/// A reference, not a client: the benchmark's link POSTs (or reads) on bare SwiftNIO, one HTTP/1.1
/// connection per link in flight, each response starting its connection's next request, the
/// body parsed with FlireoAPI's JSON reader. No pool, timeouts, retries or error handling:
/// the floor under what any client on NIO pays for the same exchange.
enum BareNIOLinks {
    private final class Handler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = HTTPClientResponsePart
        typealias OutboundOut = HTTPClientRequestPart

        private let ids: [String]
        private let body: ByteBuffer?
        private let headers: HTTPHeaders
        private let tally: LinkTally
        private let finished: EventLoopPromise<Void>
        private var status = HTTPResponseStatus.ok
        private var response = ByteBuffer()

        init(ids: [String], body: ByteBuffer?, headers: HTTPHeaders, tally: LinkTally, finished: EventLoopPromise<Void>) {
            self.ids = ids
            self.body = body
            self.headers = headers
            self.tally = tally
            self.finished = finished
        }

        func channelActive(context: ChannelHandlerContext) {
            send(context)
        }

        private func send(_ context: ChannelHandlerContext) {
            let path = "/v1/assistants/\(ids[tally.nextIndex(of: ids.count)])/phone-number"
            let method: HTTPMethod = body == nil ? .GET : .POST
            context.write(wrapOutboundOut(.head(HTTPRequestHead(version: .http1_1, method: method, uri: path, headers: headers))), promise: nil)
            if let body { context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil) }
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                status = head.status
                response.clear()
            case .body(var part):
                response.writeBuffer(&part)
            case .end:
                // 409 is already_linked: an assistant that still held the number.
                let parsed = try? JSONValue(parsing: response.readableBytesView)
                tally.count(parsed != nil && (status.code < 300 || status == .conflict))
                if tally.finishing() == .more {
                    send(context)
                } else {
                    finished.succeed(())
                }
            }
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            tally.count(false, error)
            finished.succeed(())
            context.close(promise: nil)
        }
    }

    /// Keeps `concurrency` connections, each with one link in flight for `seconds`, all on the
    /// event loop the caller runs on, as AsyncHTTPClient puts the other two clients' there.
    static func measure(
        port: Int, key: String, ids: [String], number: String?, concurrency: Int, seconds: Double
    ) async throws -> (links: Int, seconds: Double) {
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        let tally = LinkTally(concurrency: concurrency, seconds: seconds)
        let body = number.map { ByteBuffer(string: #"{"phone_number_id":"\#($0)"}"#) }
        var fields: HTTPHeaders = [
            "Host": "127.0.0.1:\(port)", "User-Agent": "flireo-bench", "Authorization": "Bearer \(key)",
            "Accept": "application/json",
        ]
        if let body { fields.add(contentsOf: [("Content-Type", "application/json"), ("Content-Length", "\(body.readableBytes)")]) }
        let headers = fields
        var channels: [(Channel, EventLoopFuture<Void>)] = []
        for _ in 0..<concurrency {
            let finished = loop.makePromise(of: Void.self)
            let channel = try await ClientBootstrap(group: loop)
                .channelOption(.tcpOption(.tcp_nodelay), value: 1)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        try channel.pipeline.syncOperations.addHandler(
                            Handler(ids: ids, body: body, headers: headers, tally: tally, finished: finished)
                        )
                    }
                }
                .connect(host: "127.0.0.1", port: port).get()
            channels.append((channel, finished.futureResult))
        }
        for (channel, finished) in channels {
            try await finished.get()
            try await channel.close()
        }
        return try tally.result()
    }
}

/// The benchmark's links through AsyncHTTPClient directly: its callback API, its own
/// ResponseAccumulator, 32 connections per host, the body parsed as FlireoAPI parses it;
/// none of FlireoAPI's request path. One client for the whole benchmark, as FlireoAPI's is.
final class DirectAHCLinks: Sendable {
    private let client: HTTPClient
    private let url: String
    private let ids: [String]
    private let body: ByteBuffer?
    private let headers: HTTPHeaders
    private let concurrency: Int

    /// Without a `number`, it reads the assistants' links (GET) instead of linking.
    init(url: String, key: String, ids: [String], number: String?, concurrency: Int) {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: concurrency)
        configuration.decompression = .disabled
        client = HTTPClient(eventLoopGroup: MultiThreadedEventLoopGroup.singleton, configuration: configuration)
        self.url = url
        self.ids = ids
        body = number.map { ByteBuffer(string: #"{"phone_number_id":"\#($0)"}"#) }
        var headers: HTTPHeaders = ["User-Agent": "flireo-bench", "Authorization": "Bearer \(key)", "Accept": "application/json"]
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        self.headers = headers
        self.concurrency = concurrency
    }

    func shutdown() async throws {
        try await client.shutdown()
    }

    /// Keeps `concurrency` links in flight for `seconds`.
    func measure(seconds: Double) async throws -> (links: Int, seconds: Double) {
        try await LinkTally.keepInFlight(concurrency: concurrency, seconds: seconds, count: ids.count) { [self] index, counted in
            let request: HTTPClient.Request
            do {
                request = try HTTPClient.Request(
                    url: "\(url)/v1/assistants/\(ids[index])/phone-number",
                    method: body == nil ? .GET : .POST, headers: headers, body: body.map { .byteBuffer($0) }
                )
            } catch {
                return counted(false, error)
            }
            client.execute(request: request, delegate: ResponseAccumulator(request: request)).futureResult.whenComplete { result in
                switch result {
                case .success(let response):
                    let parsed = response.body.flatMap { try? JSONValue(parsing: $0.readableBytesView) }
                    counted(parsed != nil && (response.status.code < 300 || response.status == .conflict), nil)
                case .failure(let error):
                    counted(false, error)
                }
            }
        }
    }
}

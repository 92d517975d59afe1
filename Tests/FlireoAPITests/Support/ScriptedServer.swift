import FlireoAPI
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import TestSupport

/// What the scripted server does with one request.
struct ScriptedResponse: Sendable {
    enum Action: Sendable {
        /// Send the status, headers and body.
        case reply
        /// Close the connection without answering (after reading the whole request).
        case drop
    }

    var action: Action = .reply
    var status = 200
    var headers: [(String, String)] = []
    var body: [UInt8] = []
    var delay: Duration?
    /// Send the head and the first half of the body, then wait this long before the rest.
    var bodyStall: Duration?
    /// Send the body chunked, without `Content-Length`.
    var chunked = false

    /// A JSON body (`Content-Type: application/json`).
    static func json(_ status: Int = 200, _ text: String, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: Array(text.utf8))
    }

    /// A body that is not JSON.
    static func text(_ status: Int, _ text: String, contentType: String = "text/html") -> ScriptedResponse {
        ScriptedResponse(status: status, headers: [("Content-Type", contentType)], body: Array(text.utf8))
    }

    /// A status with an empty body.
    static func empty(_ status: Int, headers: [(String, String)] = []) -> ScriptedResponse {
        ScriptedResponse(status: status, headers: headers)
    }

    /// Close the connection without a response.
    static let drop = ScriptedResponse(action: .drop)

    /// The same response after `delay`.
    func delayed(_ delay: Duration) -> ScriptedResponse {
        var copy = self
        copy.delay = delay
        return copy
    }

    /// The same response with its body stalled halfway for `stall`.
    func stalled(_ stall: Duration) -> ScriptedResponse {
        var copy = self
        copy.bodyStall = stall
        return copy
    }

    /// The same response, its body chunked.
    var chunkedBody: ScriptedResponse {
        var copy = self
        copy.chunked = true
        return copy
    }
}

/// A request as the scripted server received it.
struct RecordedRequest: Sendable {
    let method: String
    let path: String
    let query: [String: String]
    let headers: HTTPHeaders
    let body: [UInt8]
    let instant: ContinuousClock.Instant
    let unixTime: Double

    var json: JSONValue? { try? JSONValue(parsing: body) }
}

/// An HTTP/1.1 server on 127.0.0.1 that answers with scripted responses, records every
/// request, and can delay, stall or drop — a real socket, nothing mocked.
final class ScriptedServer: Sendable {
    typealias Script = @Sendable (RecordedRequest) async -> ScriptedResponse

    let port: Int
    private let log = NIOLockedValueBox<[RecordedRequest]>([])
    private let closes: NIOLockedValueBox<Int>
    private let reads: NIOLockedValueBox<Int>

    /// Connections that have closed so far (by either side).
    var closedConnections: Int { closes.withLockedValue { $0 } }

    /// Reads from the sockets so far: how many pieces the requests arrived in.
    var socketReads: Int { reads.withLockedValue { $0 } }
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    var baseURL: String { "http://127.0.0.1:\(port)" }

    /// The API key this server's clients use by default: the fixture key made unique to
    /// the server, because pacing state is shared per key and base URL, and a port freed
    /// by one test is soon reused by another.
    let apiKey = Fixture.apiKey + "_" + String(UInt64.random(in: 0...UInt64.max), radix: 36)

    /// Every request so far, in arrival order.
    var requests: [RecordedRequest] { log.withLockedValue { $0 } }

    /// Requests with this method and path.
    func requests(_ method: String, _ path: String) -> [RecordedRequest] {
        requests.filter { $0.method == method && $0.path == path }
    }

    private init(port: Int, closes: NIOLockedValueBox<Int>, reads: NIOLockedValueBox<Int>) {
        self.port = port
        self.closes = closes
        self.reads = reads
    }

    /// Starts a server answering every request with `script`.
    static func start(_ script: @escaping Script) async throws -> ScriptedServer {
        let closes = NIOLockedValueBox(0)
        let reads = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: 0) { channel in
                channel.closeFuture.whenComplete { _ in closes.withLockedValue { $0 += 1 } }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ReadCounter(reads: reads))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel
                    )
                }
            }
        let server = ScriptedServer(port: channel.channel.localAddress?.port ?? 0, closes: closes, reads: reads)
        // Off Swift's cooperative pool, so the timing tests' delays and stalls are kept
        // even while the rest of the suite keeps the pool's two threads busy (a 1.5 s
        // delay once came 1 s late at the start of a whole run, and a timeout fired).
        let task = Task(executorPreference: ElasticExecutor.shared) {
            _ = try? await channel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in inbound {
                        group.addTask { await server.serve(connection, script: script) }
                    }
                }
            }
        }
        server.task.withLockedValue { $0 = task }
        return server
    }

    /// Stops accepting and ends every connection (stalled handlers are cancelled).
    func stop() {
        task.withLockedValue { $0?.cancel() }
    }

    private func serve(
        _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>,
        script: Script
    ) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let requestHead):
                    head = requestHead
                    body = []
                case .body(let buffer):
                    body += Array(buffer.readableBytesView)
                case .end:
                    guard let head else { return }
                    // A retry from another test's client, sent to the port this server
                    // reuses after a stall, is turned away unrecorded: it is not this test's.
                    if isStray(head) {
                        let misdirected = HTTPResponseHead(version: .http1_1, status: .misdirectedRequest, headers: ["Content-Length": "0"])
                        try await outbound.write(.head(misdirected))
                        try await outbound.write(.end(nil))
                        continue
                    }
                    let request = record(head, body)
                    let response = await script(request)
                    if let delay = response.delay {
                        try await Task.sleep(for: delay)
                    }
                    guard case .reply = response.action else { return }
                    var headers = HTTPHeaders(response.headers)
                    if response.chunked {
                        headers.replaceOrAdd(name: "Transfer-Encoding", value: "chunked")
                    } else {
                        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
                    }
                    let status = HTTPResponseStatus(statusCode: response.status)
                    try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
                    if let stall = response.bodyStall {
                        let half = response.body.count / 2
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body[..<half]))))
                        try await Task.sleep(for: stall)
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body[half...]))))
                    } else if !response.body.isEmpty {
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: response.body))))
                    }
                    try await outbound.write(.end(nil))
                }
            }
        }
    }

    /// Whether a request carries the key another server made for its own clients.
    private func isStray(_ head: HTTPRequestHead) -> Bool {
        guard let authorization = head.headers.first(name: "Authorization") else { return false }
        let family = "Bearer " + Fixture.apiKey + "_"
        return authorization.hasPrefix(family) && authorization != "Bearer " + apiKey
    }

    private func record(_ head: HTTPRequestHead, _ body: [UInt8]) -> RecordedRequest {
        let parts = head.uri.split(separator: "?", maxSplits: 1)
        var query: [String: String] = [:]
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
                query[kv[0]] = kv.count == 2 ? kv[1] : ""
            }
        }
        let request = RecordedRequest(
            method: head.method.rawValue,
            path: String(parts.first ?? ""),
            query: query,
            headers: head.headers,
            body: body,
            instant: .now,
            unixTime: Date().timeIntervalSince1970
        )
        log.withLockedValue { $0.append(request) }
        return request
    }
}

/// Serves scripted responses in order; the last one repeats.
final class ResponseQueue: Sendable {
    private let responses: NIOLockedValueBox<[ScriptedResponse]>

    init(_ responses: [ScriptedResponse]) {
        self.responses = NIOLockedValueBox(responses)
    }

    func next() -> ScriptedResponse {
        responses.withLockedValue { queue in
            queue.count > 1 ? queue.removeFirst() : (queue.first ?? .empty(500))
        }
    }
}

/// Counts the socket reads of a connection (first in its pipeline, so it sees raw bytes).
private final class ReadCounter: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    let reads: NIOLockedValueBox<Int>

    init(reads: NIOLockedValueBox<Int>) {
        self.reads = reads
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        reads.withLockedValue { $0 += 1 }
        context.fireChannelRead(data)
    }
}

@testable import FlireoAPI
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import Testing

/// What goes over the socket: a request with a body is one write, not a head and then a body.
@Suite("Requests on the wire")
struct WireTests {
    @Test("each link reaches the server in one piece, head and body together")
    func linkInOneWrite() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.linkResponse) }
        defer { server.stop() }
        let client = try server.client()
        for _ in 0..<20 {
            _ = try await client.link(assistantID: Fixture.assistantID, phoneNumberID: Fixture.numberID)
        }
        #expect(server.requests.count == 20)
        #expect(server.requests.allSatisfy { !$0.body.isEmpty })
        // AsyncHTTPClient alone flushes the head before the body: two writes, and on
        // loopback the server nearly always reads them apart.
        #expect(server.socketReads == 20)
    }

    @Test("requests started from outside the event loops run on their connection's loop")
    func requestsFollowTheirConnection() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.linkResponse) }
        defer { server.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let pooled = SharedHTTPClient.make(group: group, connect: .seconds(2))
        let loops: Result<[ObjectIdentifier?], any Error>
        do {
            loops = .success(try await completionLoops(pooled, server: server, count: 20))
        } catch {
            loops = .failure(error)
        }
        try await pooled.client.shutdown()
        try await group.shutdownGracefully()
        let seen = try loops.get()
        #expect(!seen.contains(nil))
        #expect(Set(seen.dropFirst()).count == 1, "loops: \(seen)")
    }

    /// Where each of `count` sequential requests' state lived (its completion runs there).
    /// AsyncHTTPClient picks the loops in turn for a caller that is no event loop (this
    /// test's task), so without the ready connection's loop as preference every other
    /// request would cross from the connection's loop to the other one and back.
    private func completionLoops(_ pooled: SharedHTTPClient.Pooled, server: ScriptedServer, count: Int) async throws -> [ObjectIdentifier?] {
        let configuration = FlireoConfiguration(baseURL: server.baseURL, apiKey: APIKey(server.apiKey), retryPolicy: .none, rateLimit: nil)
        let client = try FlireoClient(configuration: configuration, pooled: pooled)
        let url = server.baseURL + Fixture.linkPath
        var loops: [ObjectIdentifier?] = []
        for _ in 0..<count {
            loops.append(try await withCheckedThrowingContinuation { continuation in
                client.startExchange(url: url, method: .GET, body: nil, attempt: AttemptHandle()) { result in
                    continuation.resume(with: result.map { _ in MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) } })
                }
            })
        }
        return loops
    }

    @Test("ready loops are taken oldest first, and only the latest are kept")
    func readyLoopsRing() throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        defer { try? group.syncShutdownGracefully() }
        let (first, second) = (group.next(), group.next())
        let loops = ReadyLoops()
        #expect(loops.take() == nil)
        loops.noteReady(first)
        loops.noteReady(second)
        #expect(loops.take() === first)
        #expect(loops.take() === second)
        #expect(loops.take() == nil)
        for index in 0..<(ReadyLoops.capacity + 3) {
            loops.noteReady(index < 3 ? first : second)
        }
        var taken = 0
        while let loop = loops.take() {
            #expect(loop === second)
            taken += 1
        }
        #expect(taken == ReadyLoops.capacity)
    }

    @Test("the coalescer holds back only a flush that would send a head alone")
    func coalescerRules() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(HTTPRequestEncoder())
        try channel.pipeline.syncOperations.addHandler(FlushCoalescer(), position: .last)
        let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: "/v1/x", headers: ["Content-Length": "2"])

        // A head with a body: nothing leaves at the head's flush, everything at the body's.
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        channel.flush()
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil)
        channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: "{}"))), promise: nil)
        channel.flush()
        let sent = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: sent).hasPrefix("POST /v1/x HTTP/1.1"))
        #expect(String(decoding: drain(channel), as: UTF8.self).hasSuffix("{}"))
        try channel.writeOutbound(HTTPClientRequestPart.end(nil))

        // A head and its end, flushed once (a GET): out at once.
        let get = HTTPRequestHead(version: .http1_1, method: .GET, uri: "/v1/y")
        channel.write(HTTPClientRequestPart.head(get), promise: nil)
        channel.write(HTTPClientRequestPart.end(nil), promise: nil)
        channel.flush()
        #expect(String(decoding: drain(channel), as: UTF8.self).hasPrefix("GET /v1/y HTTP/1.1"))
        _ = try channel.finish()
    }

    private func drain(_ channel: EmbeddedChannel) -> [UInt8] {
        var bytes: [UInt8] = []
        while let buffer = try? channel.readOutbound(as: ByteBuffer.self) {
            bytes += buffer.readableBytesView
        }
        return bytes
    }
}

@testable import FlireoAPI
import NIOCore
import NIOEmbedded
import NIOHTTP1
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

import Hummingbird
import Logging
import NIOCore

/// The endpoint under test: `GET /v1/assistants/{id}/phone-number` answering the seed
/// page's example, as a small Hummingbird server on 127.0.0.1.
struct BenchServer {
    static let assistantID = "660e8400-e29b-41d4-a716-446655440000"
    static let path = "/v1/assistants/\(assistantID)/phone-number"
    static let body = """
        {"data":{"assistant_id":"660e8400-e29b-41d4-a716-446655440000","assistant_name":"Customer Support Agent",\
        "phone_number":{"id":"550e8400-e29b-41d4-a716-446655440000","number":"+31201234567","type":"local",\
        "locality":"Amsterdam","origin":"custom"}}}
        """

    let port: Int
    private let task: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var endpointURL: String { baseURL + Self.path }

    /// Starts serving; returns once the port is bound.
    static func start(port: Int) async throws -> BenchServer {
        let router = Router()
        let payload = ByteBuffer(string: body)
        router.get("/v1/assistants/:id/phone-number") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: payload))
        }
        let (bound, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: .init(label: "flireo-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let task = Task { try await app.run() }
        var iterator = bound.makeAsyncIterator()
        guard let actual = await iterator.next() else {
            throw BenchOptions.Invalid(description: "the server did not start")
        }
        return BenchServer(port: actual, task: task)
    }

    /// Serves until the process is stopped.
    func wait() async throws {
        try await task.value
    }

    func stop() {
        task.cancel()
    }
}

import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension FlireoClient {
    /// Starts one attempt: the request, then the whole response. `completion` runs once, on
    /// an event loop; `attempt` cancels it or fails it with a timeout.
    ///
    /// The callback form of AsyncHTTPClient with one collecting delegate costs less than its
    /// async form (no task hop per response part, no timer per request): timeouts come from
    /// the client's ``TimeoutWatch``.
    func startExchange(
        url: String, method: HTTPMethod, body: ByteBuffer?, attempt: AttemptHandle,
        completion: @escaping @Sendable (Result<Reply, any Error>) -> Void
    ) {
        var headers = baseHeaders
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let request: HTTPClient.Request
        do {
            request = try HTTPClient.Request(url: url, method: method, headers: headers, body: body.map { .byteBuffer($0) })
        } catch {
            completion(.failure(error))
            return
        }
        let watch = self.watch
        let id = watch.watch(attempt)
        let collector = ResponseCollector(limit: configuration.maxResponseBytes, watch: watch, id: id)
        // The loop of a connection that has just become idle, so that the request's state
        // and its connection share one thread (see ReadyLoops).
        let preference = readyLoops?.take().map { HTTPClient.EventLoopPreference.delegate(on: $0) } ?? .indifferent
        let task = httpClient.execute(request: request, delegate: collector, eventLoop: preference)
        attempt.attach(task)
        task.futureResult.whenComplete { result in
            watch.finished(id)
            completion(result)
        }
    }

    /// One attempt, awaited: cancelling the calling task cancels the request.
    func exchange(url: String, method: HTTPMethod, body: ByteBuffer?) async throws -> Reply {
        let attempt = AttemptHandle()
        return try await withTaskCancellationHandler {
            try await withUnsafeThrowingContinuation { continuation in
                startExchange(url: url, method: method, body: body, attempt: attempt) { continuation.resume(with: $0) }
            }
        } onCancel: {
            attempt.fail(HTTPClientError.cancelled)
        }
    }
}

import AsyncHTTPClient
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// Collects one whole response for ``FlireoClient`` (head and body, up to a size limit) on
/// the event loop, and tells the ``TimeoutWatch`` when the request went out and when data
/// came back.
final class ResponseCollector: HTTPClientResponseDelegate {
    typealias Response = Reply

    private struct Progress {
        var head: HTTPResponseHead?
        var body: ByteBuffer?
    }

    // AsyncHTTPClient calls a delegate on one event loop, one call at a time: the lock is
    // never contended and only satisfies Sendable.
    private let progress = NIOLockedValueBox(Progress())
    private let limit: Int
    private let watch: TimeoutWatch
    private let id: UInt64

    /// Creates a collector for one attempt.
    /// - Parameters:
    ///   - limit: the largest body accepted, in bytes.
    ///   - watch: the watch enforcing the attempt's timeouts.
    ///   - id: the attempt's key in `watch`.
    init(limit: Int, watch: TimeoutWatch, id: UInt64) {
        self.limit = limit
        self.watch = watch
        self.id = id
    }

    func didSendRequest(task: HTTPClient.Task<Reply>) {
        watch.sent(id)
    }

    func didReceiveHead(task: HTTPClient.Task<Reply>, _ head: HTTPResponseHead) -> EventLoopFuture<Void> {
        watch.received(id)
        // A body announced larger than the limit is refused before it is read.
        if let length = head.headers.first(name: "Content-Length").flatMap({ Int($0) }), length > limit {
            return task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
        }
        progress.withLockedValue { $0.head = head }
        return task.eventLoop.makeSucceededVoidFuture()
    }

    func didReceiveBodyPart(task: HTTPClient.Task<Reply>, _ buffer: ByteBuffer) -> EventLoopFuture<Void> {
        watch.received(id)
        let fits = progress.withLockedValue { progress -> Bool in
            guard var body = progress.body else {
                progress.body = buffer
                return buffer.readableBytes <= limit
            }
            guard body.readableBytes + buffer.readableBytes <= limit else { return false }
            progress.body = nil  // keeps `body` uniquely referenced, so the append does not copy
            var part = buffer
            body.writeBuffer(&part)
            progress.body = body
            return true
        }
        return fits ? task.eventLoop.makeSucceededVoidFuture() : task.eventLoop.makeFailedFuture(NIOTooManyBytesError(maxBytes: limit))
    }

    func didFinishRequest(task: HTTPClient.Task<Reply>) throws -> Reply {
        try progress.withLockedValue { progress in
            guard let head = progress.head else { throw HTTPClientError.remoteConnectionClosed }
            return Reply(status: Int(head.status.code), headers: head.headers, body: progress.body ?? ByteBuffer())
        }
    }
}

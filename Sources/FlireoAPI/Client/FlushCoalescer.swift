import NIOCore
import NIOHTTP1

/// Sends a request's head together with its body.
///
/// AsyncHTTPClient flushes a request's head on its own before it writes the body, so every
/// request with a body costs two `write` system calls and reaches the server as two TCP
/// segments (which the server may read in two wake-ups). This handler, between
/// AsyncHTTPClient's handler and the HTTP encoder, holds back a flush that would send a
/// head alone: the head goes out with the first body part (AsyncHTTPClient flushes every
/// body part and the end). Requests without a body (a head and its end, one flush) pass
/// untouched, and nothing after the head is ever held.
final class FlushCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    /// A head was written and nothing after it yet.
    private var headAlone = false

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head = unwrapOutboundIn(data) {
            headAlone = true
        } else {
            headAlone = false
        }
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        guard !headAlone else { return }
        context.flush()
    }

    /// Adds the handler to an HTTP/1 connection of AsyncHTTPClient, on the side of the
    /// encoder that still sees request parts.
    static func add(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        let encoder = try pipeline.handler(type: HTTPRequestEncoder.self)
        try pipeline.addHandler(FlushCoalescer(), position: .after(encoder))
    }
}

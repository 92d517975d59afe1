import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1

/// The event loops of the pool's connections that have just read a response, oldest
/// first: where an idle connection most likely waits for the next request.
///
/// AsyncHTTPClient runs a request's state on the event loop it is given (any loop of the
/// group unless told) and takes an idle connection on that loop if there is one, else on
/// another loop, whose every response part then crosses from one thread to the other and
/// back (a wake-up of an event loop each way, two to four per request). A request that
/// prefers the loop of a connection that has just become idle usually gets that very
/// connection and stays on one thread (BENCHMARKS.md, issue 3). It is a preference only:
/// the pool still takes whichever connection is idle, and opens new ones on any loop.
final class ReadyLoops: Sendable {
    /// At most this many loops are remembered; older ones are forgotten.
    static let capacity = 64

    private struct Ring {
        var loops: [(any EventLoop)?] = Array(repeating: nil, count: ReadyLoops.capacity)
        var head = 0
        var count = 0
    }

    private let ring = NIOLockedValueBox(Ring())

    /// A connection on `loop` has just read (a response, usually all of it).
    func noteReady(_ loop: any EventLoop) {
        ring.withLockedValue { ring in
            let tail = (ring.head + ring.count) % Self.capacity
            ring.loops[tail] = loop
            if ring.count == Self.capacity {
                ring.head = (ring.head + 1) % Self.capacity
            } else {
                ring.count += 1
            }
        }
    }

    /// The loop of the connection that became ready longest ago and has not been taken.
    func take() -> (any EventLoop)? {
        ring.withLockedValue { ring in
            guard ring.count > 0 else { return nil }
            let loop = ring.loops[ring.head]
            ring.loops[ring.head] = nil
            ring.head = (ring.head + 1) % Self.capacity
            ring.count -= 1
            return loop
        }
    }
}

/// Notes in ``ReadyLoops`` each response a connection has read to its end, before
/// AsyncHTTPClient's handler sees the end (and completes the request): whoever starts the
/// next request on that completion finds the loop noted.
final class ReadyLoopNoter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias InboundOut = HTTPClientResponsePart

    private let loops: ReadyLoops

    init(_ loops: ReadyLoops) {
        self.loops = loops
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .end = unwrapInboundIn(data) {
            loops.noteReady(context.eventLoop)
        }
        context.fireChannelRead(data)
    }

    /// Adds the noter to an HTTP/1 connection of AsyncHTTPClient, right after the
    /// response decoder.
    static func add(to pipeline: ChannelPipeline.SynchronousOperations, _ loops: ReadyLoops) throws {
        let decoder = try pipeline.handler(type: ByteToMessageHandler<HTTPResponseDecoder>.self)
        try pipeline.addHandler(ReadyLoopNoter(loops), position: .after(decoder))
    }
}

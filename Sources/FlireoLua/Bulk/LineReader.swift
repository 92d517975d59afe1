#if canImport(Glibc)
import Glibc
#endif
import Foundation
import LuaKit
import Synchronization

/// Reads one line of stdin on a thread of its own, for `flireo.native.system.read_line`:
/// the Lua thread yields meanwhile, so Ctrl-C at a confirmation prompt interrupts at once
/// (Lua's `io.read` sits in `read(2)`, which SIGINT restarts, until Enter). Bytes are read
/// one at a time straight from descriptor 0, so nothing is buffered past the line.
final class LineReader: Sendable {
    private let completion: LuaCompletion
    private let state = Mutex<(cancelled: Bool, finished: Bool)>((false, false))

    init(completion: LuaCompletion) {
        self.completion = completion
    }

    /// Starts reading; the completion gets the line (without its newline), or nil at the
    /// end of input, or the interruption when `cancel` came first.
    func start() {
        Thread.detachNewThread { [self] in read() }
    }

    /// Stops the wait: the completion gets the interruption now, and the reading thread
    /// gives up within a tenth of a second.
    func cancel() {
        state.withLock { $0.cancelled = true }
        finish(.failure(LuaInterruption()))
    }

    private var cancelled: Bool { state.withLock { $0.cancelled } }

    private func finish(_ result: Result<LuaAsyncResult, any Error>) {
        let first = state.withLock { state -> Bool in
            defer { state.finished = true }
            return !state.finished
        }
        if first { completion(result) }
    }

    private func read() {
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while !cancelled {
            var poller = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, 100)
            if ready < 0 && errno != EINTR { break }
            if ready <= 0 { continue }
            let n = Glibc.read(0, &byte, 1)
            if n < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                break
            }
            if n == 0 {
                finish(.success(.values(line.isEmpty ? [.nil] : [.string(String(decoding: line, as: UTF8.self))])))
                return
            }
            if byte == UInt8(ascii: "\n") {
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                finish(.success(.values([.string(String(decoding: line, as: UTF8.self))])))
                return
            }
            line.append(byte)
        }
        finish(.success(.values([.nil])))
    }
}

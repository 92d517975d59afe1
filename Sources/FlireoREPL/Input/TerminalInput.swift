#if canImport(Glibc)
import Glibc
#endif
import CEditLine

/// libedit's source of characters: the terminal read in blocks (a 1 MB paste is not a
/// million reads), decoded as UTF-8 whatever the locale (an invalid byte becomes
/// U+FFFD), and watched for size changes while it waits, so libedit learns of a resize
/// without any signal handler.
final class TerminalInput {
    /// What the next read produced.
    enum Next: Equatable {
        case character(UInt32)
        case end
        case failure
        /// Nothing arrived for the `idle` seconds given.
        case idle
    }

    private let fd: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var size: (rows: Int32, columns: Int32)
    private var ended = false

    private let wake: Int32?

    /// - Parameters:
    ///   - fd: the terminal to read.
    ///   - wake: a descriptor watched beside it; its turning readable calls `onWake`.
    init(fd: Int32, wake: Int32? = nil) {
        self.fd = fd
        self.wake = wake
        var rows: Int32 = 0
        var columns: Int32 = 0
        cel_window_size(fd, &rows, &columns)
        size = (rows, columns)
    }

    /// The next character, waiting for it; `onResize` runs when the window size changed
    /// while waiting, `onWake` when the wake descriptor turned readable. `injected` is
    /// asked before each wait for a key to take as typed (a Ctrl-C that came as a signal).
    ///
    /// With `arrowsAsKeys`, an arrow, Home or End key's sequence comes as the emacs key that
    /// does the same (Ctrl-P, N, F, B, A, E): libedit's Ctrl-R search ends at a single key
    /// and runs it, but took a sequence's ESC alone and inserted the rest (`[C`) as text.
    func next(
        onResize: () -> Void, onWake: () -> Void = {}, injected: () -> UInt32? = { nil }, idle: Double? = nil,
        arrowsAsKeys: Bool = false
    ) -> Next {
        let deadline = idle.map { monotonicSeconds() + $0 }
        while true {
            if arrowsAsKeys, buffer.count - start >= 3, buffer[start] == 0x1B,
               buffer[start + 1] == UInt8(ascii: "[") || buffer[start + 1] == UInt8(ascii: "O"),
               let key = Self.arrowKeys[buffer[start + 2]] {
                start += 3
                return .character(key)
            }
            switch UTF8Decoding.decode(buffer[start...]) {
            case .scalar(let scalar, let length):
                start += length
                return .character(scalar)
            case .invalid:
                start += 1
                return .character(0xFFFD)
            case .incomplete:
                if ended {
                    guard start < buffer.count else { return .end }
                    start = buffer.count  // a truncated sequence at the very end
                    return .character(0xFFFD)
                }
                switch fill(onResize: onResize, onWake: onWake, injected: injected, until: deadline) {
                case .read: break
                case .injected(let key): return .character(key)
                case .failed: return .failure
                case .timedOut: return .idle
                }
            }
        }
    }

    /// Up, Down, Right, Left, Home, End: Ctrl-P, Ctrl-N, Ctrl-F, Ctrl-B, Ctrl-A, Ctrl-E.
    private static let arrowKeys: [UInt8: UInt32] = [
        UInt8(ascii: "A"): 0x10, UInt8(ascii: "B"): 0x0E, UInt8(ascii: "C"): 0x06,
        UInt8(ascii: "D"): 0x02, UInt8(ascii: "H"): 0x01, UInt8(ascii: "F"): 0x05,
    ]

    private enum Filled { case read, injected(UInt32), failed, timedOut }

    /// Forgets the bytes read and not taken yet (keys typed ahead of a command that Ctrl-C stopped).
    func discardPending() {
        buffer.removeAll()
        start = 0
    }

    /// Reads what is available into the buffer (keeping an unfinished sequence), or
    /// notes the end of input; gives up at `deadline` (monotonic seconds) if one is set.
    private func fill(onResize: () -> Void, onWake: () -> Void, injected: () -> UInt32?, until deadline: Double?) -> Filled {
        if start > 0 {
            buffer.removeFirst(start)
            start = 0
        }
        while true {
            if let key = injected() { return .injected(key) }
            var pollers = [pollfd(fd: fd, events: Int16(POLLIN), revents: 0)]
            if let wake { pollers.append(pollfd(fd: wake, events: Int16(POLLIN), revents: 0)) }
            let ready = poll(&pollers, nfds_t(pollers.count), 250)
            checkSize(onResize)
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed
            }
            if pollers.count > 1 && pollers[1].revents != 0 {
                onWake()
                // A key given meanwhile comes before what the terminal holds (typed after it).
                if let key = injected() { return .injected(key) }
            }
            if pollers[0].revents == 0 {
                if let deadline, monotonicSeconds() >= deadline { return .timedOut }
                continue
            }
            var block = [UInt8](repeating: 0, count: 4096)
            let count = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                return .failed
            }
            if count == 0 {
                ended = true
            } else {
                buffer.append(contentsOf: block[0..<count])
            }
            return .read
        }
    }

    private func checkSize(_ onResize: () -> Void) {
        var rows: Int32 = 0
        var columns: Int32 = 0
        cel_window_size(fd, &rows, &columns)
        guard rows != size.rows || columns != size.columns else { return }
        size = (rows, columns)
        onResize()
    }
}

/// Seconds on the monotonic clock.
private func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
}

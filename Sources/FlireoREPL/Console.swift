#if canImport(Glibc)
import Glibc
#endif
import CEditLine
import LuaKit
import Synchronization

/// Writing to the terminal through C's `stdout` and `stderr`, the streams Lua's `print`
/// and libedit use too, so their output keeps its order.
enum Console {
    /// Writes to stdout and flushes it.
    static func out(_ text: String) {
        write(text, to: cel_stdout())
    }

    /// What every message to stderr passes through (``REPLConfiguration/scrub``).
    private static let scrub = Mutex<TextTransform?>(nil)

    /// Sets what every message to stderr passes through.
    static func setScrub(_ scrub: (@Sendable (String) -> String)?) {
        let boxed = scrub.map { TextTransform($0) }
        self.scrub.withLock { $0 = boxed }
    }

    /// Writes to stderr, after flushing stdout.
    static func error(_ text: String) {
        fflush(cel_stdout())
        let scrub = self.scrub.withLock { $0 }
        write(scrub?.apply(text) ?? text, to: cel_stderr())
    }

    /// Writes bytes to stdout and flushes it.
    static func out(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, cel_stdout())
        }
        fflush(cel_stdout())
    }

    /// The terminal's width in columns, or 80 when stdout is not a terminal.
    static var columns: Int {
        var rows: Int32 = 0
        var columns: Int32 = 0
        cel_window_size(1, &rows, &columns)
        return columns > 0 ? Int(columns) : 80
    }

    private static func write(_ text: String, to stream: UnsafeMutablePointer<FILE>) {
        var text = text
        text.withUTF8 { buffer in
            _ = fwrite(buffer.baseAddress, 1, buffer.count, stream)
        }
        fflush(stream)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import CEditLine
import LuaKit
import Synchronization

/// Writing to the terminal: the REPL's own output and libedit's go through ``terminal``,
/// a stream of their own on fd 1, and Lua's (`print`, `io.write`) through C's `stdout`,
/// which on a terminal is a stream that tells ``OutputHook`` before it writes. Each
/// write here flushes what Lua left in `stdout` first, so the output keeps its order.
enum Console {
    /// The REPL's and libedit's stream on the terminal (fd 1, duplicated). A C stream
    /// locks itself; the pointer never changes once made.
    nonisolated(unsafe) static let terminal: UnsafeMutablePointer<FILE> = {
        let fd = dup(1)
        if fd >= 0, let stream = fdopen(fd, "w") { return stream }
        if fd >= 0 { close(fd) }
        return cel_stdout()
    }()

    /// Flushes the REPL's own stream and says whether anything written there was lost
    /// (results shown to a piped REPL on a full disk): its errno, or nil.
    static func lostOutput() -> Int32? {
        flushTerminal()
        return lost.withLock { $0 }
    }

    /// The first failure writing ``terminal``, EPIPE aside.
    private static let lost = Mutex<Int32?>(nil)

    /// Flushes ``terminal`` and remembers a failure.
    private static func flushTerminal() {
        if fflush(terminal) != 0, errno != EPIPE { lost.withLock { $0 = $0 ?? errno } }
    }

    /// Flushes what Lua and the REPL have buffered, Lua's first.
    static func flush() {
        fflush(cel_stdout())
        flushTerminal()
    }

    /// Writes what the REPL itself shows (a banner, help, a completion list) to the
    /// terminal, after the same scrub as stderr, and flushes it.
    static func out(_ text: String) {
        fflush(cel_stdout())
        let scrub = self.scrub.withLock { $0 }
        var shown = scrub?.apply(text) ?? text
        shown.withUTF8 { TerminalOwnership.track(UnsafeRawBufferPointer($0)) }
        write(shown, to: terminal)
    }

    /// What every message to stderr passes through (``REPLConfiguration/scrub``).
    private static let scrub = Mutex<TextTransform?>(nil)

    /// Sets what every message to stderr passes through.
    static func setScrub(_ scrub: (@Sendable (String) -> String)?) {
        let boxed = scrub.map { TextTransform($0) }
        self.scrub.withLock { $0 = boxed }
    }

    /// Whether the scrub would mask part of `text` (it holds a key the session has).
    static func holdsSecret(_ text: String) -> Bool {
        guard let scrub = self.scrub.withLock({ $0 }) else { return false }
        return scrub.apply(text) != text
    }

    /// Writes to stderr, after flushing stdout (and, while background work has the
    /// terminal, after clearing the line being edited: ``OutputHook``).
    static func error(_ text: String) {
        flush()
        let scrub = self.scrub.withLock { $0 }
        var shown = scrub?.apply(text) ?? text
        shown.withUTF8 { OutputHook.fire(UnsafeRawBufferPointer($0)) }
        write(shown, to: cel_stderr())
    }

    /// Writes a result the REPL shows (not what Lua printed: that is the script's own
    /// output) after the same scrub as stderr: a key the session holds is masked even when
    /// a line evaluates to it (`os.getenv("FLIREO_API_KEY")` on a shared screen).
    static func result(bytes: [UInt8]) {
        guard let scrub = self.scrub.withLock({ $0 }), let text = String(validatingUTF8: bytes.map { CChar(bitPattern: $0) } + [0])
        else { return out(bytes: bytes) }
        let shown = scrub.apply(text)
        out(bytes: shown == text ? bytes : Array(shown.utf8))
    }

    /// Writes bytes to stdout and flushes it.
    static func out(bytes: [UInt8]) {
        fflush(cel_stdout())
        bytes.withUnsafeBufferPointer { buffer in
            TerminalOwnership.track(UnsafeRawBufferPointer(buffer))
            _ = fwrite(buffer.baseAddress, 1, buffer.count, terminal)
        }
        flushTerminal()
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
        if stream == terminal { flushTerminal() } else { fflush(stream) }
    }
}

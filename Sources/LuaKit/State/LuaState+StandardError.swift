#if canImport(Glibc)
import Glibc
#endif
import CLuaBridge
import Synchronization

/// A text transform kept behind a lock. Boxed: a closure stored in a `Mutex` directly is
/// re-abstracted through `withLock`'s `inout` on every read, and the thunks pile up, one
/// pair per read: each write to stderr got slower, and 87,000 lines overflowed the stack.
public final class TextTransform: Sendable {
    public let apply: @Sendable (String) -> String

    public init(_ apply: @escaping @Sendable (String) -> String) { self.apply = apply }
}

/// What every byte Lua writes to `io.stderr` passes through (see
/// ``LuaState/filterStandardError(_:)``): one process, one standard error.
private let standardErrorTransform = Mutex<TextTransform?>(nil)

/// Called (through C) with a line or more that Lua wrote to io.stderr: writes it to fd 2,
/// transformed. Bytes the transform leaves alone go out exactly as written, even when
/// they are not UTF-8.
private func writeStandardError(_ bytes: UnsafePointer<CChar>?, _ count: Int) {
    guard let bytes, count > 0 else { return }
    let raw = UnsafeRawBufferPointer(start: bytes, count: count)
    let text = String(decoding: raw, as: UTF8.self)
    let transformed = standardErrorTransform.withLock { $0 }?.apply(text) ?? text
    if transformed == text {
        writeAll(raw)
    } else {
        var copy = transformed
        copy.withUTF8 { writeAll(UnsafeRawBufferPointer($0)) }
    }
}

private func writeAll(_ buffer: UnsafeRawBufferPointer) {
    guard let base = buffer.baseAddress else { return }
    var offset = 0
    while offset < buffer.count {
        let n = write(2, base + offset, buffer.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            // The reader went away (`2>&1 | head`): as for standard output.
            if errno == EPIPE { clb_interrupt_broken_pipe() }
            return
        }
        offset += n
    }
}

extension LuaState {
    /// Routes what Lua writes to `io.stderr` (and `io.write` while it is the default
    /// output) through `transform`, a line at a time (the handle becomes line-buffered,
    /// as Python's stderr is), before it reaches fd 2. A host masks secrets this way,
    /// whatever the script or a library wrote.
    /// - Parameter transform: what to write for each chunk of text.
    /// - Returns: whether io.stderr was there to filter.
    @discardableResult
    public func filterStandardError(_ transform: @escaping @Sendable (String) -> String) -> Bool {
        standardErrorTransform.withLock { $0 = TextTransform(transform) }
        return clb_filter_stderr(L) { writeStandardError($0, $1) } != 0
    }

    /// Makes C's standard output (`print`, `io.stdout`, the default `io.write`) notice a
    /// reader that went away (`flireo script.lua | head`), which a process that ignores
    /// SIGPIPE, as NIO makes it, would otherwise print into forever: the process ends with
    /// SIGPIPE as `lua` would, or, while ``setBrokenPipeInterrupts(_:)`` is on, the state
    /// is interrupted as by Ctrl-C, with ``lastInterruptSignal`` SIGPIPE.
    /// - Returns: whether the stream was made (not when fd 1 is a terminal: it has no reader to lose).
    @discardableResult
    public func watchStandardOutput() -> Bool {
        clb_watch_stdout(L) != 0
    }

    /// While on, a closed standard output interrupts the running state as Ctrl-C does (a
    /// run that changes data stops with its journal synced); while off, it ends the
    /// process with SIGPIPE. See ``watchStandardOutput()``.
    public static func setBrokenPipeInterrupts(_ on: Bool) {
        clb_interrupt_trap_broken_pipe(on ? 1 : 0)
    }
}

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

/// Where a host's messages from other threads (an HTTP client's notices and traces) go
/// while something else draws the terminal: a REPL's prompt puts them above the line
/// being edited instead of into it.
public enum HostMessages {
    private static let route = Mutex<TextSink?>(nil)

    private final class TextSink: Sendable {
        let write: @Sendable (String) -> Void
        init(_ write: @escaping @Sendable (String) -> Void) { self.write = write }
    }

    /// Sets (or, with nil, clears) where messages go.
    public static func setRoute(_ write: (@Sendable (String) -> Void)?) {
        let sink = write.map { TextSink($0) }
        route.withLock { $0 = sink }
    }

    /// Hands `text` to the route, if one is set.
    /// - Returns: whether a route took it (if not, the caller writes it itself).
    public static func deliver(_ text: String) -> Bool {
        guard let sink = route.withLock({ $0 }) else { return false }
        sink.write(text)
        return true
    }
}

/// What every byte Lua writes to `io.stderr` passes through (see
/// ``LuaState/filterStandardError(_:)``): one process, one standard error.
private let standardErrorTransform = Mutex<TextTransform?>(nil)

/// The end of the line so far (at most 256 bytes after its last line break), as Lua
/// wrote it and as it went out: a chunk is transformed together with what Lua wrote
/// before it on the line, so that a secret written in pieces (each flushed, or stderr
/// unbuffered) is still caught once enough of it has come. The pieces already out stay
/// out: fewer characters than the transform masks on their own.
private let lineSoFar = Mutex<(written: [UInt8], out: [UInt8])>(([], []))

/// Called (through C) with a line or more that Lua wrote to io.stderr: writes it to fd 2,
/// transformed. Bytes the transform leaves alone go out exactly as written, even when
/// they are not UTF-8.
private func writeStandardError(_ bytes: UnsafePointer<CChar>?, _ count: Int) {
    guard let bytes, count > 0 else { return }
    // What was printed before comes first, also when both go to one file (`>log 2>&1`):
    // stdout is block-buffered there, and a message would land inside its lines.
    clb_flush_stdout()
    let raw = Array(UnsafeRawBufferPointer(start: bytes, count: count))
    guard let transform = standardErrorTransform.withLock({ $0 }) else { return writeAll(raw) }
    let (carry, shown) = lineSoFar.withLock { $0 }
    let text = String(decoding: carry + raw, as: UTF8.self)
    let transformed = transform.apply(text)
    var out = raw
    if transformed != text {
        // Where the transform first changed the text: in this chunk, or (a secret that
        // began in pieces already out) in the carry, from where the rest goes out
        // transformed, less what already shows (the mask of the same secret).
        let before = Array(text.utf8), after = Array(transformed.utf8)
        let carried = String(decoding: carry, as: UTF8.self).utf8.count
        let changed = zip(before, after).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(before.count, after.count)
        out = Array(after[min(changed, carried)...])
        let most = min(out.count, shown.count)
        if changed < carried, most >= 4, let repeated = (4...most).reversed().first(where: {
            shown.suffix($0).elementsEqual(out.prefix($0))
        }) {
            out.removeFirst(repeated)
        }
    }
    lineSoFar.withLock { line in
        line.written = lineEnd(line.written + raw)
        line.out = lineEnd(line.out + out)
    }
    writeAll(out)
}

/// What follows the last line break, at most 256 bytes of it.
private func lineEnd(_ bytes: [UInt8]) -> [UInt8] {
    let start = bytes.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
    return Array(bytes[max(start, bytes.count - 256)...])
}

/// Writes the whole of `bytes` to stderr; a reader that went away (`2>&1 | head`) is
/// treated as for standard output.
private func writeAll(_ bytes: [UInt8]) {
    if writeFully(2, bytes) == EPIPE { clb_interrupt_broken_pipe() }
}

/// Writes all of `buffer` to `fd`, again after a signal cuts a write short (Ctrl-C is
/// installed without SA_RESTART, so a write may return early or fail with EINTR).
/// - Returns: the `errno` of the write that failed, or nil when everything went out.
@discardableResult
public func writeFully(_ fd: Int32, _ buffer: UnsafeRawBufferPointer) -> Int32? {
    guard let base = buffer.baseAddress else { return nil }
    var offset = 0
    while offset < buffer.count {
        let n = write(fd, base + offset, buffer.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            return errno
        }
        if n == 0 { return EIO }
        offset += n
    }
    return nil
}

/// Writes all of `bytes` to `fd` (see the buffer form).
@discardableResult
public func writeFully(_ fd: Int32, _ bytes: [UInt8]) -> Int32? {
    bytes.withUnsafeBytes { writeFully(fd, $0) }
}

/// Writes all of `text`, as UTF-8, to `fd` (see the buffer form).
@discardableResult
public func writeFully(_ fd: Int32, _ text: String) -> Int32? {
    var text = text
    return text.withUTF8 { writeFully(fd, UnsafeRawBufferPointer($0)) }
}

extension LuaState {
    /// Routes what Lua writes to `io.stderr` (and `io.write` while it is the default
    /// output) through `transform`, one write call at a time (each goes out whole when the
    /// call returns, as on C's unbuffered stderr), before it reaches fd 2. A host masks
    /// secrets this way, whatever the script or a library wrote.
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
    /// - Parameter onTerminal: make the stream on a terminal too (line-buffered, as C's is
    ///   there): a REPL does, so that ``OutputHook`` sees what Lua prints.
    @discardableResult
    public func watchStandardOutput(onTerminal: Bool = false) -> Bool {
        clb_watch_stdout(L, onTerminal ? 1 : 0) != 0
    }

    /// Flushes standard output and says whether anything Lua wrote there was lost (a full
    /// disk): the first failure's errno, or nil. A reader that went away (EPIPE) is not
    /// reported here: it ends the run as SIGPIPE ends `lua`.
    public static func standardOutputError() -> Int32? {
        let error = clb_stdout_error()
        return error == 0 || error == EPIPE ? nil : error
    }

    /// Whether the script has written anything to standard output (sent, or still in
    /// the buffer): a `--json` run's interruption object must not follow a summary.
    public static func standardOutputStarted() -> Bool {
        clb_stdout_started() != 0
    }

    /// Who says that output was lost when a script ends with `os.exit` (see
    /// ``standardOutputError()``): "flireo", or the shipped script that runs.
    public static func setProgramName(_ name: String) {
        clb_set_program_name(name)
    }

    /// While on, a closed standard output interrupts the running state as Ctrl-C does (a
    /// run that changes data stops with its journal synced); while off, it ends the
    /// process with SIGPIPE. See ``watchStandardOutput()``.
    public static func setBrokenPipeInterrupts(_ on: Bool) {
        clb_interrupt_trap_broken_pipe(on ? 1 : 0)
    }
}

/// What runs just before Lua's output (print, io.write, io.stderr) goes out, on the thread
/// writing it, with the bytes about to be written: a REPL clears the line being edited
/// only when something is printed, not every time a background task wakes, and follows
/// where the output leaves the cursor. It must not write to C's stdout or Lua's stderr
/// (it runs inside their writes); fd 1 and 2 directly are fine.
public enum OutputHook {
    private final class Box: Sendable {
        let run: @Sendable (UnsafeRawBufferPointer?) -> Void
        init(_ run: @escaping @Sendable (UnsafeRawBufferPointer?) -> Void) { self.run = run }
    }

    private static let hook = Mutex<Box?>(nil)

    /// Sets (or, with nil, clears) the hook. It gets the bytes about to be written, or
    /// nil when they are not known (a child process writing the terminal itself).
    public static func set(_ run: (@Sendable (UnsafeRawBufferPointer?) -> Void)?) {
        hook.withLock { $0 = run.map(Box.init) }
        clb_set_before_output(run == nil ? nil : { bytes, count in
            OutputHook.fire(UnsafeRawBufferPointer(start: bytes, count: count))
        })
    }

    /// Runs the hook, if one is set (also for output that does not pass Lua's streams,
    /// such as a host's own messages).
    /// - Parameter bytes: what is about to be written; nil when unknown.
    public static func fire(_ bytes: UnsafeRawBufferPointer?) {
        hook.withLock { $0 }?.run(bytes)
    }
}

#if canImport(Glibc)
import Glibc
#endif
import CEditLine
import LuaKit
import Synchronization

/// Who may write to the terminal while a line is being edited, so that what a background
/// task prints appears above the line instead of inside it.
///
/// The reader thread owns the terminal while libedit handles a key and gives it up while
/// it waits for the next one. The Lua thread takes it before it resumes background work
/// (``enterBackground()``); when the work is about to print, the line being edited is
/// cleared (``willWrite(_:)``), and what the work prints lands where the line was. When the
/// work is done (``leaveBackground()``) the reader thread is woken to draw the prompt and
/// the line again below the output, as Python's asyncio REPL does; work that printed
/// nothing leaves the line as it was, so a task that wakes often does not make it flicker.
final class TerminalOwnership: @unchecked Sendable {
    // A pthread mutex rather than a scoped lock: it is taken in one call and given back
    // in another (by the same thread), around libedit's handling of a key.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // Guarded by `mutex`.
    private var editing = false
    private var redrawPending = false
    /// The column where background output that did not end its line left it, on the row
    /// just above the prompt drawn after it: the next output goes on from there (a `\r`
    /// progress line redraws in place instead of adding a row per update).
    private var partialAbove: Int?
    /// Where the output of this taking has left the cursor's column (nil: not known).
    private var column: Int?
    /// How many rows the line shown takes above the cursor's; set by the editor, called
    /// under the lock while the reader waits for a key.
    var measure: () -> Int = { 0 }
    // Touched by the Lua thread only.
    private var taken = false
    private var cleared = false
    private var owner: pthread_t?
    /// The editor's terminal mode, put back when the reader gets the terminal again.
    private var editingMode: termios?
    /// Whether the Lua thread has the terminal (read by the output hook on any thread).
    private let active = Atomic<Bool>(false)
    /// A key for the reader to take as typed (0: none).
    private let injected = Atomic<UInt32>(0)

    init?() {
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        (wakeRead, wakeWrite) = (fds[0], fds[1])
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
        close(wakeRead)
        close(wakeWrite)
    }

    /// The descriptor the reader thread polls beside the terminal: readable after ``leaveBackground()`` cleared the line.
    var wakeDescriptor: Int32 { wakeRead }

    /// Its other end: a signal handler writes a deferred Ctrl-C there (byte 3).
    var keyDescriptor: Int32 { wakeWrite }

    // MARK: The reader thread

    /// Where the output since the last line was read has left the cursor's column (0 at a
    /// row's start, nil when not known): what Lua prints (``willWrite(_:)``, through the
    /// output hook) and what the REPL shows (``Console``) move it.
    private static let outputColumn = Mutex<Int?>(0)

    /// Follows the cursor's column through `bytes` about to be written (nil: not known).
    static func track(_ bytes: UnsafeRawBufferPointer?) {
        outputColumn.withLock { column in
            guard let bytes else { return column = nil }
            // After the last line end the column is known again, whatever came before.
            if let end = bytes.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }) {
                column = Self.column(after: UnsafeRawBufferPointer(rebasing: bytes[(end + 1)...]), from: 0, width: Console.columns)
            } else if let start = column {
                column = Self.column(after: bytes, from: start, width: Console.columns)
            }
        }
    }

    /// A line starts being edited: the reader owns the terminal until it waits for a key.
    func beginEditing() {
        pthread_mutex_lock(mutex)
        editing = true
        redrawPending = false
        // A new line starts below whatever was printed before it. Output that did not end
        // its line (`io.write('checking… ')` of a task that then waits) keeps its text: the
        // prompt goes to a fresh row (a row of spaces wraps past the text, as zsh's PROMPT_SP
        // does), and what the task prints next goes on after the text, on its row.
        partialAbove = nil
        // (Where it is not known, a child process wrote: its output ends its lines.)
        if let open = Self.outputColumn.withLock({ $0 }), open > 0 {
            Console.out(String(repeating: " ", count: Console.columns) + "\r")
            partialAbove = open
        }
    }

    /// The line was read: nothing is shown that a background task could disturb.
    func endEditing() {
        // The line typed ended with its return: the next output starts a row.
        Self.outputColumn.withLock { $0 = 0 }
        editing = false
        redrawPending = false
        pthread_mutex_unlock(mutex)
    }

    /// The reader waits for a key (or for the Lua thread's answer): the terminal is free.
    func release() {
        pthread_mutex_unlock(mutex)
    }

    /// The reader has a key (or was woken): it owns the terminal again. Returns whether
    /// the line was cleared meanwhile and must be drawn again.
    func acquire() -> Bool {
        pthread_mutex_lock(mutex)
        var byte: UInt8 = 0
        // A byte 3 is a Ctrl-C the signal handler wrote (a deferred interrupt): a key.
        while read(wakeRead, &byte, 1) == 1 {
            if byte == 3 { injected.store(3, ordering: .releasing) }
        }
        defer { redrawPending = false }
        return redrawPending
    }

    /// The key a signal handler left for the reader (through the wake pipe), if any; taken once.
    func takeInjectedKey() -> UInt32? {
        let key = injected.exchange(0, ordering: .acquiringAndReleasing)
        return key == 0 ? nil : key
    }

    // MARK: The Lua thread

    /// Before background work runs: takes the terminal from the reader (Ctrl-C then
    /// reaches a busy task as SIGINT). The line stays on screen until the work prints
    /// something (``willWrite(_:)``). Does nothing when no line is being edited or the
    /// terminal is taken already.
    func enterBackground() {
        guard !taken else { return }
        pthread_mutex_lock(mutex)
        guard editing else {
            pthread_mutex_unlock(mutex)
            return
        }
        taken = true
        owner = pthread_self()
        // While background work runs, Ctrl-C must reach it as SIGINT (a task spinning in
        // a loop would otherwise keep the terminal, and the key would wait unread).
        var mode = termios()
        if tcgetattr(0, &mode) == 0 {
            editingMode = mode
            // NOFLSH: the keys typed meanwhile are not thrown away with the interrupt.
            mode.c_lflag |= tcflag_t(ISIG) | tcflag_t(NOFLSH)
            _ = tcsetattr(0, TCSANOW, &mode)
        }
        active.store(true, ordering: .releasing)
    }

    /// Just before background work prints `bytes` (nil: not known): clears the line being
    /// edited (all its rows), leaving the cursor at column 0 where the line began, so that
    /// the output lands where the line was; or, when the last output before the line did
    /// not end its own, at the end of that output on the row above, so that it goes on
    /// there. Clears once per taking, and follows the column the output leaves; only on
    /// the thread that took the terminal (libedit draws through the same stream from the
    /// reader's). Writes fd 1 directly: it runs inside the stream's own write.
    func willWrite(_ bytes: UnsafeRawBufferPointer?) {
        Self.track(bytes)
        guard active.load(ordering: .acquiring), let owner, pthread_equal(owner, pthread_self()) != 0 else { return }
        if !cleared {
            cleared = true
            var rows = measure()
            var right = ""
            if let at = partialAbove {
                rows += 1
                right = "\u{1B}[\(at)C"
            }
            column = partialAbove ?? 0
            partialAbove = nil
            let up = rows > 0 ? "\u{1B}[\(rows)A" : ""
            _ = writeFully(1, Array(("\r" + up + right + "\u{1B}[J").utf8))
        }
        if let bytes, let at = column {
            column = Self.column(after: bytes, from: at, width: Console.columns)
        } else {
            column = nil
        }
    }

    /// The cursor's column after `bytes` are written from column `start` on a terminal
    /// `width` columns wide; nil when they wrap past the row or move the cursor in a way
    /// not followed here (a character whose width terminals disagree on, say).
    static func column(after bytes: UnsafeRawBufferPointer, from start: Int, width: Int) -> Int? {
        var column = start
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case 0x0A, 0x0D:
                column = 0
            case 0x08:
                column = max(0, column - 1)
            case 0x09:
                column = (column / 8 + 1) * 8
            case 0x1B:
                // A CSI sequence (colours) moves nothing, but one that moves the cursor.
                guard index < bytes.count, bytes[index] == UInt8(ascii: "[") else { return nil }
                index += 1
                while index < bytes.count, !(0x40...0x7E).contains(bytes[index]) { index += 1 }
                guard index < bytes.count, bytes[index] == UInt8(ascii: "m") || bytes[index] == UInt8(ascii: "K") else { return nil }
                index += 1
            case 0x00..<0x20, 0x7F, 0x80..<0xC0:
                // Other controls, and the continuation bytes of a UTF-8 character.
                break
            case 0xC0...:
                // A character of several bytes: as wide as terminals draw it.
                let count = byte >= 0xF0 ? 3 : byte >= 0xE0 ? 2 : 1
                guard index + count <= bytes.count else { return nil }
                var scalar = UInt32(byte) & (byte >= 0xF0 ? 0x07 : byte >= 0xE0 ? 0x0F : 0x1F)
                for k in 0..<count { scalar = scalar << 6 | UInt32(bytes[index + k] & 0x3F) }
                index += count
                guard let columns = Self.columns(of: scalar) else { return nil }
                column += columns
            default:
                column += 1
            }
            if column >= width { return nil }
        }
        return column
    }

    /// How many columns a terminal gives a character of more than one byte: 2 for the
    /// wide East Asian scripts and emoji, 0 for combining marks, nil for those whose width
    /// terminals disagree on (symbols that may be drawn as emoji, joined sequences).
    static func columns(of scalar: UInt32) -> Int? {
        switch scalar {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F, 0x200B, 0x200C, 0x200E, 0x200F:
            return 0
        case 0x200D, 0xFE00...0xFE0F, 0x2190...0x21FF, 0x2300...0x23FF, 0x25A0...0x27BF, 0x2B00...0x2BFF,
             0x1F000...0x1F2FF, 0x1F650...0x1F67F, 0x1F700...0x1F8FF, 0x1FA00...0x1FAFF:
            return nil
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F680...0x1F6FF, 0x1F900...0x1F9FF, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// After background work: whatever it printed is flushed and the terminal goes back to
    /// the reader, which draws the prompt and the line again if they were cleared.
    func leaveBackground() {
        guard taken else { return }
        // What the work left in Lua's stdout (a line not ended) goes out now, above the line.
        fflush(cel_stdout())
        taken = false
        active.store(false, ordering: .releasing)
        owner = nil
        if var mode = editingMode {
            _ = tcsetattr(0, TCSANOW, &mode)
            editingMode = nil
        }
        let redraw = cleared
        cleared = false
        if redraw {
            // Output that stopped mid-row (`\r` progress) is gone on from there next time.
            partialAbove = column.flatMap { $0 > 0 ? $0 : nil }
            column = nil
            Console.flush()
            // The line is drawn from column 0. Output that did not end its line (`io.write`)
            // keeps its text: a row's worth of spaces wraps past it to a fresh row, and from
            // column 0 it only reaches the row's end, where the return comes back (as zsh's
            // PROMPT_SP does).
            Console.out(String(repeating: " ", count: Console.columns) + "\r")
            redrawPending = true
        }
        pthread_mutex_unlock(mutex)
        guard redraw else { return }
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }
}

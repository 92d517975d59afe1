#if canImport(Glibc)
import Glibc
#endif
import CEditLine

/// Who may write to the terminal while a line is being edited, so that what a background
/// task prints appears above the line instead of inside it.
///
/// The reader thread owns the terminal while libedit handles a key and gives it up while
/// it waits for the next one. The Lua thread takes it before it resumes background work
/// (``hide()``): it clears the line being edited, and what the work prints lands where
/// the line was. When the work is done (``reveal()``) the reader thread is woken to draw
/// the prompt and the line again below the output, as Python's asyncio REPL does.
final class TerminalOwnership: @unchecked Sendable {
    // A pthread mutex rather than a scoped lock: it is taken in one call and given back
    // in another (by the same thread), around libedit's handling of a key.
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let wakeRead: Int32
    private let wakeWrite: Int32

    // Guarded by `mutex`.
    private var editing = false
    private var redrawPending = false
    /// How many rows the line shown takes above the cursor's; set by the editor, called
    /// under the lock while the reader waits for a key.
    var measure: () -> Int = { 0 }
    // Touched by the Lua thread only.
    private var hidden = false
    /// The editor's terminal mode, put back when the reader gets the terminal again.
    private var editingMode: termios?

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

    /// The descriptor the reader thread polls beside the terminal: readable after ``reveal()``.
    var wakeDescriptor: Int32 { wakeRead }

    // MARK: The reader thread

    /// A line starts being edited: the reader owns the terminal until it waits for a key.
    func beginEditing() {
        pthread_mutex_lock(mutex)
        editing = true
        redrawPending = false
    }

    /// The line was read: nothing is shown that a background task could disturb.
    func endEditing() {
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
        while read(wakeRead, &byte, 1) == 1 {}
        defer { redrawPending = false }
        return redrawPending
    }

    // MARK: The Lua thread

    /// Before background work runs: takes the terminal and clears the line being edited
    /// (all its rows), leaving the cursor at column 0 where the line began. Does nothing
    /// when no line is being edited or it is already hidden.
    func hide() {
        guard !hidden else { return }
        pthread_mutex_lock(mutex)
        guard editing else {
            pthread_mutex_unlock(mutex)
            return
        }
        hidden = true
        // While background work runs, Ctrl-C must reach it as SIGINT (a task spinning in
        // a loop would otherwise keep the terminal, and the key would wait unread).
        var mode = termios()
        if tcgetattr(0, &mode) == 0 {
            editingMode = mode
            mode.c_lflag |= tcflag_t(ISIG)
            _ = tcsetattr(0, TCSANOW, &mode)
        }
        fflush(cel_stdout())
        let rows = measure()
        let up = rows > 0 ? "\u{1B}[\(rows)A" : ""
        Console.out("\r" + up + "\u{1B}[J")
    }

    /// After background work: whatever it printed is flushed, the terminal goes back to
    /// the reader, which draws the prompt and the line again.
    func reveal() {
        guard hidden else { return }
        hidden = false
        if var mode = editingMode {
            _ = tcsetattr(0, TCSANOW, &mode)
            editingMode = nil
        }
        fflush(cel_stdout())
        // The line is drawn from column 0. Output that did not end its line (`io.write`)
        // keeps its text: a row's worth of spaces wraps past it to a fresh row, and from
        // column 0 it only reaches the row's end, where the return comes back (as zsh's
        // PROMPT_SP does).
        Console.out(String(repeating: " ", count: Console.columns) + "\r")
        redrawPending = true
        pthread_mutex_unlock(mutex)
        var byte: UInt8 = 1
        _ = write(wakeWrite, &byte, 1)
    }
}

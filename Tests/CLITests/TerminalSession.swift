import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The built `flireo` on a pseudo-terminal, driven as a user would: keys are written to
/// the terminal and the screen output is read back, expect-style, with timeouts.
///
/// stdout and stderr are always the terminal (so it is the controlling terminal, and
/// Ctrl-C written to it raises SIGINT); stdin is the terminal, a pipe, or closed.
final class TerminalSession {
    /// What stdin of the process is.
    enum Input {
        case terminal
        case pipe([UInt8])
        case closed
    }

    /// An expected text did not appear in time (or the process ended first).
    struct Timeout: Error, CustomStringConvertible {
        let waitingFor: String
        let output: String
        var description: String { "timed out waiting for \(waitingFor.debugDescription); output since the last match:\n\(output)" }
    }

    // Linux's ioctls for a pseudo-terminal master (ioctl_tty(2)) and glibc's
    // POSIX_SPAWN_SETSID: function-like or GNU-only macros Swift does not import.
    private static let getPTYNumber: UInt = 0x8004_5430  // TIOCGPTN
    private static let setPTYLock: UInt = 0x4004_5431  // TIOCSPTLCK
    private static let spawnSetSID: Int32 = 0x80

    let pid: pid_t
    private let master: Int32
    private var output: [UInt8] = []
    private var mark = 0
    private var closed = false
    private var status: Int32?

    /// The built binary next to the test bundle (`FLIREO_BINARY` overrides it).
    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["FLIREO_BINARY"] { return path }
        return URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flireo").path
    }

    /// Starts `flireo arguments` (or `program arguments`) on a new terminal of the given size.
    init(
        _ arguments: [String] = [], environment: [String: String], input: Input = .terminal, rows: UInt16 = 24,
        columns: UInt16 = 100, program: String? = nil
    ) throws {
        let program = program ?? Self.binary
        master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
        guard master >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        var unlock: Int32 = 0
        var number: UInt32 = 0
        guard ioctl(master, Self.setPTYLock, &unlock) == 0, ioctl(master, Self.getPTYNumber, &number) == 0 else {
            close(master)
            throw POSIXError(.EIO)
        }
        let terminal = "/dev/pts/\(number)"
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        var pipeEnds: [Int32] = [-1, -1]
        switch input {
        case .terminal:
            posix_spawn_file_actions_addopen(&actions, 0, terminal, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, 0, 1)
        case .pipe:
            guard pipe(&pipeEnds) == 0 else { throw POSIXError(.EMFILE) }
            _ = fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC)
            posix_spawn_file_actions_addopen(&actions, 1, terminal, O_RDWR, 0)
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[0], 0)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
        case .closed:
            posix_spawn_file_actions_addopen(&actions, 1, terminal, O_RDWR, 0)
            posix_spawn_file_actions_addclose(&actions, 0)
        }
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGQUIT, SIGPIPE, SIGCHLD, SIGWINCH, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGTERM] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(Self.spawnSetSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv = ([program] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, program, &actions, &attributes, argv, envp)
        if pipeEnds[0] >= 0 { close(pipeEnds[0]) }
        guard spawned == 0 else {
            close(master)
            if pipeEnds[1] >= 0 { close(pipeEnds[1]) }
            throw POSIXError(.init(rawValue: spawned) ?? .EIO)
        }
        pid = child
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        if case .pipe(let bytes) = input {
            let writeEnd = pipeEnds[1]
            Thread.detachNewThread {  // a full pipe must not stall the reading of the terminal
                bytes.withUnsafeBytes { buffer in
                    var offset = 0
                    while offset < buffer.count, let base = buffer.baseAddress {
                        let n = write(writeEnd, base + offset, buffer.count - offset)
                        if n <= 0 { break }
                        offset += n
                    }
                }
                close(writeEnd)
            }
        }
    }

    deinit {
        if status == nil {
            kill(pid, SIGKILL)
            var ignored: Int32 = 0
            waitpid(pid, &ignored, 0)
        }
        close(master)
    }

    /// Types `text` (which may hold control characters: "\r" is Enter, "\u{3}" Ctrl-C).
    func send(_ text: String) throws {
        try send(bytes: Array(text.utf8))
    }

    /// Types raw bytes, reading the output meanwhile so that neither side blocks.
    func send(bytes: [UInt8], timeout: Double = 120) throws {
        var offset = 0
        let deadline = Date().addingTimeInterval(timeout)
        while offset < bytes.count {
            guard Date() < deadline, !closed else { throw Timeout(waitingFor: "the terminal to take input", output: recent) }
            var poller = pollfd(fd: master, events: Int16(POLLIN | POLLOUT), revents: 0)
            _ = poll(&poller, 1, 100)
            drain()
            if poller.revents & Int16(POLLOUT) != 0 {
                let n = bytes.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return write(master, base + offset, min(4096, bytes.count - offset))
                }
                if n > 0 { offset += n }
            }
        }
    }

    /// The REPL of the built binary, started and at its first prompt.
    static func repl(_ arguments: [String] = [], environment: [String: String]) throws -> TerminalSession {
        let session = try TerminalSession(arguments, environment: environment)
        try session.expect("Ctrl-D exits")
        try session.expect("\r\n> ")
        return session
    }

    /// Ctrl-D at the prompt (the caller has seen it), and the exit status.
    func finish() throws -> Int32 {
        try send("\u{4}")
        return try waitForExit()
    }

    /// Waits until `text` appears after the previous match; returns the output up to it.
    @discardableResult
    func expect(_ text: String, timeout: Double = 30) throws -> String {
        let needle = Array(text.utf8)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if let end = find(needle) {
                let matched = String(decoding: output[mark..<end], as: UTF8.self)
                mark = end
                return matched
            }
            guard Date() < deadline, !closed else { throw Timeout(waitingFor: text, output: recent) }
            pump(milliseconds: 50)
        }
    }

    /// Types `line` and Enter at the prompt, and waits for the next prompt.
    /// - Returns: what appeared in between: the echo of the line, then its output.
    @discardableResult
    func enter(_ line: String, timeout: Double = 30) throws -> String {
        try send(line + "\r")
        let shown = try expect("\r\n> ", timeout: timeout)
        return String(shown.dropLast(2))
    }

    /// Types `command` and Enter, lets it run for half a second, presses Ctrl-C, and waits
    /// for "interrupted!" and the next prompt.
    /// - Returns: the seconds from Ctrl-C to the prompt.
    func interrupt(_ command: String) throws -> TimeInterval {
        try send(command + "\r")
        try expect(command + "\r\n")
        Thread.sleep(forTimeInterval: 0.5)
        let pressed = Date()
        try send("\u{3}")
        try expect("interrupted!")
        try expect("\r\n> ")
        return Date().timeIntervalSince(pressed)
    }

    /// The output since the last match.
    var recent: String { String(decoding: output[mark...], as: UTF8.self) }

    /// All the output so far.
    var transcript: String { String(decoding: output, as: UTF8.self) }

    /// Changes the terminal's size (the process gets SIGWINCH).
    func resize(rows: UInt16, columns: UInt16) {
        var size = winsize(ws_row: rows, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(master, UInt(TIOCSWINSZ), &size)
    }

    /// The terminal's local modes now (`c_lflag`: ECHO, ICANON, ISIG), as the program left them.
    var localModes: tcflag_t? {
        var mode = termios()
        return tcgetattr(master, &mode) == 0 ? mode.c_lflag : nil
    }

    /// Waits for the process to end and returns its exit status (128 + n for signal n).
    func waitForExit(timeout: Double = 30) throws -> Int32 {
        let deadline = Date().addingTimeInterval(timeout)
        while status == nil {
            var raw: Int32 = 0
            if waitpid(pid, &raw, WNOHANG) == pid {
                status = raw & 0x7F == 0 ? (raw >> 8) & 0xFF : 128 + (raw & 0x7F)
                break
            }
            guard Date() < deadline else { throw Timeout(waitingFor: "the process to exit", output: recent) }
            pump(milliseconds: 50)
        }
        drain()
        return status ?? -1
    }

    private func find(_ needle: [UInt8]) -> Int? {
        guard !needle.isEmpty, output.count - mark >= needle.count else { return nil }
        for start in mark...(output.count - needle.count) where output[start] == needle[0] {
            if output[start..<(start + needle.count)].elementsEqual(needle) { return start + needle.count }
        }
        return nil
    }

    private func pump(milliseconds: Int32) {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        _ = poll(&poller, 1, milliseconds)
        drain()
    }

    /// How often the program turned bracketed paste on (`ESC[?2004h`). The switches are
    /// taken out of the output, so that what a test expects reads as the screen does.
    private(set) var pasteModeOn = 0

    private func removePasteModeSwitches(from start: Int) {
        let on = Array("\u{1B}[?2004h".utf8), off = Array("\u{1B}[?2004l".utf8)
        var index = start
        while index + on.count <= output.count {
            let window = output[index..<(index + on.count)]
            if window.elementsEqual(on) || window.elementsEqual(off) {
                if window.elementsEqual(on) { pasteModeOn += 1 }
                output.removeSubrange(index..<(index + on.count))
            } else {
                index += 1
            }
        }
    }

    private func drain() {
        var block = [UInt8](repeating: 0, count: 65536)
        while !closed {
            let n = block.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
            if n > 0 {
                let start = max(mark, output.count - 7)
                output += block[0..<n]
                removePasteModeSwitches(from: start)
            } else if n < 0 && (errno == EAGAIN || errno == EINTR) {
                return
            } else {
                closed = true  // EIO: every process holding the terminal has gone
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import LuaKit
import Synchronization

/// The REPL's history file: one entry per line, oldest first, at most `limit` entries
/// and `maxBytes` bytes.
///
/// A backslash escapes a newline (`\n`) and itself (`\\`), so a multi-line chunk stays
/// one entry; other bytes are kept as they are. An entry is appended with one `write`
/// (other sessions append too), under a lock on the file's directory. Now and then (every
/// quarter of `limit` appends, or when the file outgrows `maxBytes`) the file is
/// compacted: read, cut to the newest entries, and replaced atomically with a new file of
/// mode 0600, so it is never seen half-written. Appending without rewriting keeps a long
/// paste as fast as typing it: rewriting and syncing the whole file for every line made a
/// 1,000-line paste take half a second.
final class HistoryFile: Sendable {
    /// Why the file could not be written.
    struct WriteError: Error, Sendable {
        let message: String
    }

    /// The longest entry recorded; longer ones (a pasted megabyte) are left out.
    static let maxEntryBytes = 16 * 1024

    let path: String
    let limit: Int
    /// The largest file written: the oldest entries go first beyond it.
    let maxBytes: Int
    /// Appends since the last compaction (by this process).
    private let appended = Mutex(0)

    /// - Parameters:
    ///   - path: the file.
    ///   - limit: how many entries to keep.
    ///   - maxBytes: the largest file to write.
    init(path: String, limit: Int, maxBytes: Int = 1 << 20) {
        self.path = path
        self.limit = max(limit, 1)
        self.maxBytes = maxBytes
    }

    private var directory: String {
        let directory = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        return directory.isEmpty ? "/" : directory
    }

    /// The newest `limit` entries, oldest first; none when the file is missing or unreadable.
    func load() -> [[UInt8]] {
        withLock(LOCK_SH) { loadUnlocked() }
    }

    private func loadUnlocked() -> [[UInt8]] {
        guard let bytes = Self.readAll(path) else { return [] }
        let entries = bytes.split(separator: UInt8(ascii: "\n")).map { Self.decode(Array($0)) }.filter { !$0.isEmpty }
        return Array(entries.suffix(limit))
    }

    /// Appends an entry (unless it repeats the newest), compacting the file now and then.
    /// - Throws: `WriteError` when the directory or the file cannot be written.
    func append(_ entry: [UInt8]) throws(WriteError) {
        try Self.makeDirectories(directory)
        try withLock(LOCK_EX) { () throws(WriteError) in
            let size = try appendUnlocked(Self.encode(entry) + [UInt8(ascii: "\n")])
            let due = appended.withLock { count in
                count += 1
                guard count >= max(1, limit / 4) || size > maxBytes else { return false }
                count = 0
                return true
            }
            if due { try compact() }
        }
    }

    private func withLock<T, E: Error>(_ operation: Int32, _ body: () throws(E) -> T) throws(E) -> T {
        let lock = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if lock >= 0 { flock(lock, operation) }
        defer {
            if lock >= 0 {
                flock(lock, LOCK_UN)
                close(lock)
            }
        }
        return try body()
    }

    /// Appends one encoded line with a single `write`, unless the file already ends with
    /// it. Returns the file's size after.
    private func appendUnlocked(_ line: [UInt8]) throws(WriteError) -> Int {
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(message: "cannot open \(path): \(Self.lastError)") }
        defer { close(fd) }
        var status = stat()
        guard fstat(fd, &status) == 0, status.st_mode & S_IFMT == S_IFREG else {
            throw WriteError(message: "cannot write \(path): not a regular file")
        }
        if status.st_mode & 0o077 != 0 { fchmod(fd, 0o600) }  // whatever the umask or an old file's mode
        let size = Int(status.st_size)
        // The tail: is the newest entry this one, and does the file end with a newline?
        let tailLength = min(size, line.count + 1)
        var tail = [UInt8](repeating: 0, count: tailLength)
        let got = tail.withUnsafeMutableBytes { pread(fd, $0.baseAddress, tailLength, off_t(size - tailLength)) }
        if got == tailLength, tailLength > 0 {
            if tail.count == line.count + 1 ? (tail.first == UInt8(ascii: "\n") && tail.dropFirst().elementsEqual(line))
                : tail == line
            {
                return size
            }
        }
        let text = (got > 0 && tail.last != UInt8(ascii: "\n") ? [UInt8(ascii: "\n")] : []) + line
        if let failure = Self.writeAll(fd, text) { throw WriteError(message: "cannot write \(path): \(failure)") }
        return size + text.count
    }

    /// Cuts the file to the newest `limit` entries and `maxBytes` bytes, replacing it atomically.
    private func compact() throws(WriteError) {
        var lines = loadUnlocked().map { Self.encode($0) + [UInt8(ascii: "\n")] }
        var size = lines.reduce(0) { $0 + $1.count }
        while size > maxBytes, lines.count > 1 {
            size -= lines.removeFirst().count
        }
        try write(Array(lines.joined()))
    }

    private func write(_ text: [UInt8]) throws(WriteError) {
        let temporary = "\(path).\(getpid()).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw WriteError(message: "cannot create \(temporary): \(Self.lastError)") }
        fchmod(fd, 0o600)  // whatever the umask or an old file's mode
        var failure = Self.writeAll(fd, text)
        if failure == nil, fsync(fd) != 0 { failure = Self.lastError }
        close(fd)
        if failure == nil, rename(temporary, path) != 0 { failure = Self.lastError }
        if let failure {
            unlink(temporary)
            throw WriteError(message: "cannot write \(path): \(failure)")
        }
    }

    /// Writes all of `bytes`; the error's text, or nil.
    private static func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> String? {
        writeFully(fd, bytes).map { String(cString: strerror($0)) }
    }

    private static func makeDirectories(_ directory: String) throws(WriteError) {
        var current = ""
        for component in directory.split(separator: "/") {
            current += "/" + component
            if mkdir(current, 0o700) != 0 && errno != EEXIST {
                throw WriteError(message: "cannot create \(current): \(lastError)")
            }
        }
    }

    private static func readAll(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = block.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            bytes += block[0..<n]
        }
        return bytes
    }

    static func encode(_ entry: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(entry.count)
        for byte in entry {
            switch byte {
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case UInt8(ascii: "\n"): out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            default: out.append(byte)
            }
        }
        return out
    }

    static func decode(_ line: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(line.count)
        var escaped = false
        for byte in line {
            if escaped {
                switch byte {
                case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                default: out += [UInt8(ascii: "\\"), byte]  // not ours: keep as written
                }
                escaped = false
            } else if byte == UInt8(ascii: "\\") {
                escaped = true
            } else {
                out.append(byte)
            }
        }
        if escaped { out.append(UInt8(ascii: "\\")) }
        return out
    }

    private static var lastError: String { String(cString: strerror(errno)) }
}

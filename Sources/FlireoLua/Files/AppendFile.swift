#if canImport(Glibc)
import Glibc
#endif
import LuaKit
import Synchronization

/// An append-only file for journals: writes are buffered in memory and reach the disk,
/// `fsync`'d, on `sync()`, so a batch of records is durable as a whole. Opened with
/// `O_APPEND`, so nothing already in the file is ever overwritten.
///
/// While it is open, the process holds an exclusive lock on it (`flock`): a second run
/// cannot append to a journal another run is writing (see ``isInUse(_:)``).
///
/// Lua sees it as `flireo.AppendFile` with `:write(text)`, `:sync()`, `:close()` and `.path`.
/// A file dropped without `close()` (an interrupted script) still writes and syncs what
/// it buffered when it is collected.
final class AppendFile: Sendable {
    private struct State {
        var descriptor: Int32
        var buffer: [UInt8] = []
    }

    /// The path it was opened with.
    let path: String
    private let state: Mutex<State>

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        try? close()
    }

    /// Creates a new file; an existing one is an error, never truncated.
    /// - Parameter path: where.
    /// - Returns: the open file.
    /// - Throws: `BulkIOError` `exists`, `not_writable`, `not_found` or `io`.
    static func create(_ path: String) throws(BulkIOError) -> AppendFile {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .system("cannot create", path, errno: errno) }
        _ = flock(descriptor, LOCK_EX | LOCK_NB)
        // The new directory entry must survive a crash too.
        let directory = open(parentDirectory(of: path), O_RDONLY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            Glibc.close(directory)
        }
        return AppendFile(path: path, descriptor: descriptor)
    }

    /// Opens an existing file for appending.
    /// - Parameter path: where.
    /// - Returns: the open file.
    /// - Throws: `BulkIOError` `not_found`, `not_writable` or `io`.
    static func append(_ path: String) throws(BulkIOError) -> AppendFile {
        let descriptor = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system("cannot append to", path, errno: errno) }
        if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            Glibc.close(descriptor)
            throw BulkIOError(code: "in_use", message: "\(path) is in use by another flireo run", path: path)
        }
        return AppendFile(path: path, descriptor: descriptor)
    }

    /// Whether an `AppendFile` holds the file's lock: another run's, or this process's own
    /// (`flock` locks belong to each open, so this one's open conflicts with them too).
    /// - Parameter path: the file.
    /// - Returns: true while a run writes it; false when free or not there.
    static func isInUse(_ path: String) -> Bool {
        // Non-blocking: opening a FIFO to read would wait for a writer.
        let descriptor = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return false }
        defer { Glibc.close(descriptor) }
        return flock(descriptor, LOCK_SH | LOCK_NB) != 0 && errno == EWOULDBLOCK
    }

    /// Adds bytes to the buffer (nothing reaches the file before `sync()`).
    /// - Throws: `BulkIOError` `io` when the file is closed.
    func write(_ bytes: UnsafeRawBufferPointer) throws(BulkIOError) {
        try state.withLock { state throws(BulkIOError) in
            guard state.descriptor >= 0 else { throw BulkIOError(code: "io", message: "\(path) is closed", path: path) }
            state.buffer.append(contentsOf: bytes)
        }
    }

    /// Writes the buffer and waits until the disk has it (`fsync`).
    /// - Throws: `BulkIOError` `io` (disk full, I/O error); the unwritten rest stays buffered.
    func sync() throws(BulkIOError) {
        try state.withLock { state throws(BulkIOError) in try Self.flush(&state, path) }
    }

    /// Syncs and closes. Closing twice does nothing.
    /// - Throws: `BulkIOError` when the last sync fails (the file is closed anyway).
    func close() throws(BulkIOError) {
        try state.withLock { state throws(BulkIOError) in
            guard state.descriptor >= 0 else { return }
            defer {
                Glibc.close(state.descriptor)
                state.descriptor = -1
            }
            try Self.flush(&state, path)
        }
    }

    private static func flush(_ state: inout State, _ path: String) throws(BulkIOError) {
        guard state.descriptor >= 0 else { throw BulkIOError(code: "io", message: "\(path) is closed", path: path) }
        var written = 0
        let failure: Int32? = state.buffer.withUnsafeBytes { bytes in
            while written < bytes.count {
                let n = Glibc.write(state.descriptor, bytes.baseAddress! + written, bytes.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return nil
        }
        state.buffer.removeFirst(written)
        if let failure { throw .system("cannot write to", path, errno: failure) }
        guard fsync(state.descriptor) == 0 else { throw .system("cannot sync", path, errno: errno) }
    }

    private static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

extension AppendFile: LuaObject {
    static let luaTypeName = "flireo.AppendFile"

    static var luaMethods: [String: LuaMethod<AppendFile>] {
        [
            "write": .sync(doc: "f:write(text): buffers text until the next sync") { file, call in
                guard call.type(2) == .string else { throw LuaArgumentError.expected("string", at: 2) }
                var failure: BulkIOError?
                call.withBytes(2) { bytes in
                    do throws(BulkIOError) { try file.write(bytes) } catch { failure = error }
                }
                if let failure { throw failure }
                return 0
            },
            "sync": .sync(doc: "f:sync(): writes what is buffered and fsyncs it") { file, _ in
                try file.sync()
                return 0
            },
            "close": .sync(doc: "f:close(): syncs and closes") { file, _ in
                try file.close()
                return 0
            },
        ]
    }

    static var luaFieldNames: [String] { ["path"] }

    func luaField(_ name: String) -> LuaValue? {
        name == "path" ? .string(path) : nil
    }

    var luaDescription: String { "flireo.AppendFile<\(path)>" }
}

#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import FlireoAPI
import LuaKit
import Synchronization

/// Writing to the standard streams without Foundation.
enum Output {
    /// Writes to stdout (after whatever Lua's buffered stdout holds).
    static func out(_ text: String) {
        write(fd: 1, text)
    }

    /// Writes to stderr (after flushing stdout, so the two keep their order on a terminal),
    /// with every API key masked, whatever built the message.
    static func err(_ text: String) {
        write(fd: 2, KnownSecrets.redact(text))
    }

    private static func write(fd: Int32, _ text: String) {
        fflush(nil)
        writeFully(fd, text)
    }
}

/// Runs async work from synchronous code, blocking this thread until it finishes. The
/// main thread is the Lua thread and never part of Swift's cooperative pool, so
/// blocking it cannot starve the work it waits for.
func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
    let result = Mutex<T?>(nil)
    let done = DispatchSemaphore(value: 0)
    Task.detached {
        let value = await body()
        result.withLock { $0 = value }
        done.signal()
    }
    done.wait()
    return result.withLock { $0! }
}

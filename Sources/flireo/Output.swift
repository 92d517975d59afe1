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
        if let error = writeFully(fd, text), fd == 1, error != EPIPE {
            lost.withLock { $0 = $0 ?? error }
        }
    }

    /// The first failure writing stdout here (help, the script list; a full disk).
    private static let lost = Mutex<Int32?>(nil)

    /// The signal the process ends by once the run is over (see `finish`).
    static let endingSignal = Mutex<Int32?>(nil)

    /// The exit code, after saying so when what flireo itself wrote on stdout was lost: a
    /// help that could not be written is a failure, as it is for `cat`.
    static func finish(_ code: Int32) -> Int32 {
        // A script of one's own stopped by a signal ends by it, as lua would: now that its state
        // is closed (finalizers run, files synced), not from inside the run.
        if let signal = endingSignal.withLock({ $0 }) {
            fflush(nil)
            Glibc.signal(signal, SIG_DFL)
            raise(signal)
        }
        guard code == 0, let error = lost.withLock({ $0 }) else { return code }
        err("flireo: cannot write standard output: \(String(cString: strerror(error)))\n")
        return 1
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

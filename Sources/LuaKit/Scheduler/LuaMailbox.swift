#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// Something for the Lua thread to handle: a finished operation, or work posted by
/// another thread (the REPL's line reader, for instance).
public enum LuaEvent: Sendable {
    /// Operation `id` finished with this outcome.
    case completed(UInt64, Result<LuaAsyncResult, any Error>)
    /// Run this on the Lua thread.
    case run(@Sendable (LuaState) -> Void)
}

/// The Lua thread's inbox. Any thread posts; only the Lua thread waits. A POSIX
/// semaphore wakes the waiter, so the SIGINT handler can wake it too (`sem_post` is
/// async-signal-safe).
public final class LuaMailbox: Sendable {
    private let events = Mutex<[LuaEvent]>([])
    nonisolated(unsafe) let semaphore: UnsafeMutablePointer<sem_t>

    init() {
        semaphore = .allocate(capacity: 1)
        sem_init(semaphore, 0, 0)
    }

    deinit {
        sem_destroy(semaphore)
        semaphore.deallocate()
    }

    /// Posts an event and wakes the Lua thread.
    public func post(_ event: LuaEvent) {
        events.withLock { $0.append(event) }
        sem_post(semaphore)
    }

    /// Puts events back (in order) for a later `wait`, e.g. after a blocking wait that
    /// only wanted one of them.
    func repost(_ deferred: [LuaEvent]) {
        guard !deferred.isEmpty else { return }
        events.withLock { $0.insert(contentsOf: deferred, at: 0) }
        sem_post(semaphore)
    }

    /// Waits until something was posted (or the semaphore was posted by a signal) and
    /// takes every pending event. May return an empty array.
    func wait() -> [LuaEvent] {
        while sem_wait(semaphore) != 0 && errno == EINTR {}
        return takeAll()
    }

    /// Like `wait()`, but gives up after `seconds`: nil when nothing came in time.
    func wait(seconds: Double) -> [LuaEvent]? {
        var deadline = timespec()
        clock_gettime(CLOCK_REALTIME, &deadline)
        let nanoseconds = Int(deadline.tv_nsec) + Int(max(0, seconds) * 1e9)
        deadline.tv_sec += nanoseconds / 1_000_000_000
        deadline.tv_nsec = nanoseconds % 1_000_000_000
        while sem_timedwait(semaphore, &deadline) != 0 {
            if errno != EINTR { return nil }
        }
        return takeAll()
    }

    private func takeAll() -> [LuaEvent] {
        // Several posts may be pending; the first wake drains them all.
        while sem_trywait(semaphore) == 0 {}
        return events.withLock { pending in
            let taken = pending
            pending.removeAll(keepingCapacity: true)
            return taken
        }
    }
}

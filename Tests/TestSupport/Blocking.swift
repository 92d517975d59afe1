import Foundation
import Testing

/// A trait for tests that block their thread: they wait for subprocesses, read
/// pseudo-terminals, or sleep.
///
/// Swift Testing runs every test on Swift's cooperative pool, which has one thread per
/// core: two on the CI machine. Two blocking tests there stall every other test of the
/// run, and with them the in-process servers that the timing tests of FlireoAPI talk to
/// (a whole-suite run once held them 17 s, and a 1 s timeout fired). A test with this
/// trait runs on ``ElasticExecutor`` instead, a thread of its own, so it blocks nothing
/// else; at most ``BlockingTrait/width`` such tests run at once, as many as the pool
/// would have let run before, so the machine is no busier than it was.
public struct BlockingTrait: TestTrait, SuiteTrait, TestScoping {
    /// How many blocking tests run at once.
    public static let width = 2

    static let slots = AsyncSlots(width)

    public var isRecursive: Bool { true }

    /// A scope for each test case, never for a whole suite or a whole parameterized
    /// test: those hold no thread, and a slot held by a suite would starve its tests.
    public func scopeProvider(for test: Test, testCase: Test.Case?) -> Self? {
        testCase == nil ? nil : self
    }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        await Self.slots.acquire()
        defer { Self.slots.release() }
        try await withTaskExecutorPreference(ElasticExecutor.shared) {
            try await function()
        }
    }
}

extension Trait where Self == BlockingTrait {
    /// The test blocks its thread; run it off Swift's cooperative pool (``BlockingTrait``).
    public static var blocking: Self { BlockingTrait() }
}

/// A task executor that never makes a job wait for a blocked thread: each job runs on an
/// idle thread of its own, and a thread is started when none is idle. Threads idle for
/// ten seconds end.
public final class ElasticExecutor: TaskExecutor, @unchecked Sendable {
    public static let shared = ElasticExecutor()


    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private var next = 0
    private var waiting = 0
    private var threads: Set<pthread_t> = []

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        if jobs.count - next <= waiting {
            condition.signal()
        } else {
            let thread = Thread { [self] in work() }
            thread.stackSize = 8 << 20
            thread.start()
        }
        condition.unlock()
    }

    /// Whether the calling thread is one of this executor's.
    public var isCurrent: Bool {
        condition.lock()
        defer { condition.unlock() }
        return threads.contains(pthread_self())
    }

    private func work() {
        condition.lock()
        threads.insert(pthread_self())
        while true {
            if next < jobs.count {
                let job = jobs[next]
                next += 1
                if next == jobs.count {
                    jobs.removeAll(keepingCapacity: true)
                    next = 0
                }
                condition.unlock()
                job.runSynchronously(on: asUnownedTaskExecutor())
                condition.lock()
                continue
            }
            waiting += 1
            let woken = condition.wait(until: Date().addingTimeInterval(10))
            waiting -= 1
            if !woken, next == jobs.count {
                threads.remove(pthread_self())
                condition.unlock()
                return
            }
        }
    }
}

/// A counting semaphore that suspends instead of blocking, first come first served.
final class AsyncSlots: @unchecked Sendable {
    private let lock = NSLock()
    private var free: Int
    private var queue: [CheckedContinuation<Void, Never>] = []

    init(_ count: Int) { free = count }

    func acquire() async {
        await withCheckedContinuation { continuation in
            lock.lock()
            if free > 0 {
                free -= 1
                lock.unlock()
                continuation.resume()
            } else {
                queue.append(continuation)
                lock.unlock()
            }
        }
    }

    func release() {
        lock.lock()
        if queue.isEmpty {
            free += 1
            lock.unlock()
        } else {
            let continuation = queue.removeFirst()
            lock.unlock()
            continuation.resume()
        }
    }
}

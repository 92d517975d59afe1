import Dispatch
import Foundation
import Testing
import TestSupport

@Suite("The test suite's own executor for blocking tests")
struct BlockingTraitTests {
    @Test("a test with .blocking runs on a thread of its own, not Swift's cooperative pool", .blocking)
    func offThePool() {
        #expect(ElasticExecutor.shared.isCurrent)
    }

    @Test("a test without it runs on Swift's pool")
    func onThePool() {
        #expect(!ElasticExecutor.shared.isCurrent)
    }

    @Test("jobs that block do not hold up the job that would free them")
    func elastic() async {
        // More blocked jobs than Swift's pool has threads: on the pool the signal would
        // wait for a waiter's timeout.
        let waiters = ProcessInfo.processInfo.activeProcessorCount + 1
        let gate = DispatchSemaphore(value: 0)
        let started = ContinuousClock.now
        let freed = await withTaskExecutorPreference(ElasticExecutor.shared) {
            await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<waiters {
                    group.addTask { gate.wait(timeout: .now() + 30) == .success }
                }
                group.addTask {
                    for _ in 0..<waiters { gate.signal() }
                    return true
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
        }
        #expect(freed == waiters + 1)
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}

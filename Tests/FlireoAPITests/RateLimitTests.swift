@testable import FlireoAPI
import Foundation
import NIOConcurrencyHelpers
import Testing

@Suite("Rate limiting")
struct RateLimitTests {
    typealias Instant = ContinuousClock.Instant

    /// The largest number of slots inside any half-open window of `length`.
    private func maxInWindow(_ slots: [Instant], _ length: Duration) -> Int {
        let sorted = slots.sorted()
        var best = 0
        var start = 0
        for end in sorted.indices {
            while sorted[end] - sorted[start] >= length { start += 1 }
            best = max(best, end - start + 1)
        }
        return best
    }

    @Test("the token bucket bursts, then never exceeds the limit in any window")
    func bucketArithmetic() {
        let now = Instant.now
        var bucket = TokenBucket(RateLimit(requests: 10, per: .seconds(1), burst: 3), now: now)
        let slots = (0..<50).map { _ in bucket.reserve(now: now) }
        #expect(slots.prefix(3).allSatisfy { $0 == now })
        #expect(slots[3] > now)
        #expect(zip(slots, slots.dropFirst()).allSatisfy { $0 <= $1 })
        #expect(maxInWindow(slots, .seconds(1)) == 10)
        // 50 requests at 10 per second: the last starts after 4 s and not much after 5.
        #expect(slots[49] - now >= .seconds(4))
        #expect(slots[49] - now <= .seconds(5.5))
    }

    @Test("a released reservation is given to the next caller")
    func bucketRelease() {
        let now = Instant.now
        var bucket = TokenBucket(RateLimit(requests: 2, per: .seconds(10), burst: 1), now: now)
        _ = bucket.reserve(now: now)
        let second = bucket.reserve(now: now)
        #expect(second - now >= .seconds(5))
        bucket.release(second, now: now)
        let again = bucket.reserve(now: now)
        #expect(again == second)
    }

    @Test("a documented-limit bucket allows 100 requests in any minute, not 110")
    func documentedLimit() {
        let now = Instant.now
        var bucket = TokenBucket(.documented, now: now)
        let slots = (0..<250).map { _ in bucket.reserve(now: now) }
        #expect(maxInWindow(slots, .seconds(60)) == 100)
        #expect(slots.prefix(10).allSatisfy { $0 == now })
    }

    @Test("live pacing: concurrent requests are spread so no window holds more than the limit")
    func livePacing() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.unlinked) }
        defer { server.stop() }
        let trace = TraceLog()
        let client = try server.client(rateLimit: RateLimit(requests: 10, per: .seconds(1), burst: 2), trace: trace)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<25 {
                group.addTask { _ = try await client.phoneNumber(assistantID: Fixture.assistantID) }
            }
            try await group.waitForAll()
        }
        let sent = trace.of(.request).map(\.instant)
        #expect(sent.count == 25)
        // Admissions are counted, so even after a stall no second holds more than 10 sends.
        // (A trace's instant is taken just after its admission: on a loaded machine the
        // thread can be descheduled between the two, so the window allows 100 ms of that.)
        #expect(maxInWindow(sent, .milliseconds(900)) <= 10)
        // Arrivals carry the network's jitter (large on a loaded machine: a stalled client
        // delivers several at once), so for them only what delay cannot fake is asserted:
        // 25 requests at 10/s with a burst of 2 cannot all arrive in less than two seconds.
        let arrivals = server.requests.map(\.instant)
        #expect(arrivals.count == 25)
        if let first = arrivals.min(), let last = arrivals.max() {
            #expect(last - first >= .milliseconds(2000))
        }
        #expect(trace.of(.wait).count >= 20)
    }

    @Test("X-RateLimit-Remaining: the budget counts down, then requests wait for X-RateLimit-Reset")
    func serverBudget() async throws {
        // The window is set by the first response, 3–4 s after it arrives: far enough for
        // the second request to come before it even on a loaded machine.
        let resetBox = NIOLockedValueBox<Double?>(nil)
        let server = try await ScriptedServer.start { _ in
            resetBox.withLockedValue { reset in
                guard reset == nil else { return .json(200, Fixture.unlinked) }
                let at = (Date().timeIntervalSince1970 + 1).rounded(.up) + 3
                reset = at
                return .json(200, Fixture.unlinked, headers: [("X-RateLimit-Remaining", "1"), ("X-RateLimit-Reset", String(Int(at)))])
            }
        }
        defer { server.stop() }
        let client = try server.client()
        for _ in 0..<3 {
            _ = try await client.phoneNumber(assistantID: Fixture.assistantID)
        }
        let arrivals = server.requests.map(\.unixTime)
        let reset = try #require(resetBox.withLockedValue { $0 })
        #expect(arrivals.count == 3)
        #expect(arrivals[1] < reset)
        #expect(arrivals[2] >= reset - 0.01)
    }

    @Test("a long wait the server imposed is announced once, before it, short ones not; the client's own pacing once in all")
    func longWaitsAreAnnounced() async throws {
        let said = NIOLockedValueBox<[String]>([])
        let announce: @Sendable (String) -> Void = { message in said.withLockedValue { $0.append(message) } }
        // A 429's 30 s pause holds three requests back: one line for all of them.
        let paused = RequestPacer(rateLimit: nil, server: "https://api.example")
        paused.pause(for: .seconds(30))
        let waiting = (0..<3).map { _ in
            Task { try await paused.acquire(maxServerWait: .seconds(60), announce: announce) }
        }
        try await Task.sleep(for: .milliseconds(300))
        waiting.forEach { $0.cancel() }
        for task in waiting { _ = await task.result }
        // (The seconds left when the first task got to run: 30 on a quiet machine.)
        let first = said.withLockedValue { $0 }
        #expect(first.count == 1 && first.allSatisfy {
            $0.hasPrefix("waiting ") && $0.hasSuffix(" s for the server's Retry-After (https://api.example; Ctrl-C stops)")
        }, "\(first)")
        // A pause under 5 s goes unsaid.
        let short = RequestPacer(rateLimit: nil, server: "https://api.example")
        short.pause(for: .seconds(2))
        let quiet = Task { try await short.acquire(maxServerWait: .seconds(60), announce: announce) }
        try await Task.sleep(for: .milliseconds(300))
        quiet.cancel()
        _ = await quiet.result
        #expect(said.withLockedValue { $0 }.count == 1)
        // The client's own pacing is said once, the first time it holds a request back for
        // seconds (a paced listing of a large account would look hung), and never again.
        let client = RequestPacer(rateLimit: RateLimit(requests: 1, per: .seconds(60), burst: 1), server: "http://127.0.0.1:8080")
        _ = try await client.acquire(maxServerWait: .seconds(60), announce: announce)
        let paced = (0..<3).map { _ in Task { try await client.acquire(maxServerWait: .seconds(600), announce: announce) } }
        try await Task.sleep(for: .milliseconds(300))
        paced.forEach { $0.cancel() }
        for task in paced { _ = await task.result }
        let all = said.withLockedValue { $0 }
        #expect(all.count == 2, "\(all)")
        #expect(all.last == "pacing requests to http://127.0.0.1:8080 at 1/min (--rate-limit, a profile's rate_limit or connect{rate_limit} changes it; Ctrl-C stops)")
        // A listing read one page at a time waits a little for each (0.6 s at the documented
        // 100/min): said once those waits come to 2 s, and never again.
        let listing = RequestPacer(rateLimit: RateLimit.documented, server: "https://api.example")
        let told = (1...6).map { _ in listing.shouldAnnouncePacing(.milliseconds(600)) }
        #expect(told == [false, false, false, true, false, false])
        #expect(!listing.shouldAnnouncePacing(.seconds(30)))
    }

    @Test("clients with the same key and base URL share one limiter; the strictest wins")
    func sharedLimiter() async throws {
        let server = try await ScriptedServer.start { _ in .json(200, Fixture.unlinked) }
        defer { server.stop() }
        let loose = try server.client(apiKey: "shared-key-1234", rateLimit: RateLimit(requests: 100, per: .seconds(60)))
        let strict = try server.client(apiKey: "shared-key-1234", rateLimit: RateLimit(requests: 10, per: .seconds(60)))
        let other = try server.client(apiKey: "other-key-5678", rateLimit: RateLimit(requests: 100, per: .seconds(60)))
        #expect(loose.effectiveRateLimit?.requests == 10)
        #expect(strict.effectiveRateLimit?.requests == 10)
        #expect(other.effectiveRateLimit?.requests == 100)
    }

    @Test("rate limit settings parse; bad ones are configuration errors")
    func parsing() throws {
        #expect(try RateLimit.parse("100", source: "test") == RateLimit(requests: 100, per: .seconds(60)))
        #expect(try RateLimit.parse("5/s", source: "test") == RateLimit(requests: 5, per: .seconds(1)))
        #expect(try RateLimit.parse(" 3000 / h ", source: "test")?.interval == .seconds(3600))
        #expect(try RateLimit.parse("off", source: "test") == nil)
        let error = try #require(throws: FlireoError.self) { try RateLimit.parse("fast", source: "--rate-limit") }
        #expect(error.code == .configuration)
        #expect(error.message.contains("--rate-limit"))
    }
}

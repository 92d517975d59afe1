import FlireoAPI
import Foundation
import Synchronization

/// Issue 5's job without Lua: `POST /v1/assistants/{id}/phone-number` against the sandbox
/// (`--method GET`: reading each assistant's link instead), 32 in flight, by four clients in turn, alternating rounds: wrk with
/// Benchmarks/sandbox/link.lua (the reference), `FlireoClient.start` (the HTTP core as the Lua
/// binding calls it, each completion starting the next link on the event loop), AsyncHTTPClient
/// called directly (no FlireoAPI), and bare SwiftNIO (no AsyncHTTPClient). The CPU each spends
/// per link, and the sandbox's, say where the time goes. The three Swift clients run on one
/// event loop thread (the benchmark's task runs on it, and AsyncHTTPClient keeps a request on
/// the loop it was made from); the flireo binary starts its requests from the Lua thread and
/// so spreads them over both loops.
struct LinkBenchmark {
    let options: BenchOptions

    /// One phase of one round.
    struct Phase {
        let links: Int
        let seconds: Double
        let clientCPU: Double
        let serverCPU: Double?

        var rate: Double { Double(links) / seconds }
    }

    func run() async throws {
        guard let url = options.url, let key = options.key, let idsFile = options.ids, let number = options.number,
            let port = URL(string: url)?.port
        else {
            throw BenchOptions.Invalid(description: "links needs --url http://127.0.0.1:PORT, --key, --ids FILE and --number ID")
        }
        let ids = try String(contentsOfFile: idsFile, encoding: .utf8).split(separator: "\n").map(String.init)
        guard ids.count >= 2 else { throw BenchOptions.Invalid(description: "\(idsFile) lists fewer than two ids") }
        let configuration = FlireoConfiguration(baseURL: url, apiKey: APIKey(key), retryPolicy: .none, rateLimit: nil)
        let client = try FlireoClient(configuration: configuration)
        let starter = try Starter(client: client, ids: ids, number: options.read ? nil : number)
        let linkNumber = options.read ? nil : number
        let server = options.serverPID.map(ServerCPU.init)
        let concurrency = options.concurrency
        let direct = DirectAHCLinks(url: url, key: key, ids: ids, number: linkNumber, concurrency: concurrency)
        let clients: [(name: String, run: (Double) async throws -> (links: Int, seconds: Double, wrkCPU: Double?))] = [
            ("wrk -t2 -c\(concurrency), link.lua", { seconds in
                let result = try Wrk.run(
                    url: url, connections: concurrency, threads: 2, seconds: seconds,
                    script: "Benchmarks/sandbox/link.lua", scriptArguments: [idsFile, number, key] + (options.read ? ["GET"] : [])
                )
                return (result.requests, result.seconds, result.cpu.children)
            }),
            ("FlireoClient.start", { seconds in
                let result = try await Self.flireoClient(starter, concurrency: concurrency, seconds: seconds)
                return (result.links, result.seconds, nil)
            }),
            ("AsyncHTTPClient, called directly", { seconds in
                let result = try await direct.measure(seconds: seconds)
                return (result.links, result.seconds, nil)
            }),
            ("bare SwiftNIO", { seconds in
                let result = try await BareNIOLinks.measure(
                    port: port, key: key, ids: ids, number: linkNumber, concurrency: concurrency, seconds: seconds
                )
                return (result.links, result.seconds, nil)
            }),
        ]
        // A second of each HTTP client first, so that their pools hold their connections.
        _ = try await Self.flireoClient(starter, concurrency: concurrency, seconds: 1)
        _ = try await direct.measure(seconds: 1)
        var phases = Array(repeating: [Phase](), count: clients.count)
        for _ in 0..<options.rounds {
            for (index, entry) in clients.enumerated() {
                let cpuBefore = CPUTime.now()
                let serverBefore = server?.seconds()
                let result = try await entry.run(options.seconds)
                let serverAfter = server?.seconds()
                let links = Double(max(result.links, 1))
                phases[index].append(Phase(
                    links: result.links, seconds: result.seconds,
                    clientCPU: (result.wrkCPU ?? (CPUTime.now() - cpuBefore).process) / links,
                    serverCPU: serverAfter.flatMap { after in serverBefore.map { (after - $0) / links } }
                ))
            }
        }
        try await direct.shutdown()
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        func µs(_ value: Double) -> String { String(format: "%.1f", value * 1e6) }
        let reference = median(phases[0].map(\.rate))
        print("\(options.rounds) rounds of \(options.seconds) s per client, alternating, \(concurrency) \(options.read ? "reads" : "links") in flight; medians of the rounds")
        print("| client | requests/s | ratio to wrk | each round | client CPU µs/request | sandbox CPU µs/request |")
        print("|---|---:|---:|---|---:|---:|")
        for (index, entry) in clients.enumerated() {
            let rows = phases[index]
            let serverCPU = rows.compactMap(\.serverCPU)
            print(
                "| \(entry.name) | \(Int(median(rows.map(\.rate)))) | \(String(format: "%.2f", median(rows.map(\.rate)) / reference)) | "
                    + "\(rows.map { String(Int($0.rate)) }.joined(separator: ", ")) | \(µs(median(rows.map(\.clientCPU)))) | "
                    + "\(serverCPU.isEmpty ? "–" : µs(median(serverCPU))) |"
            )
        }
    }

    /// Keeps `concurrency` links in flight with `FlireoClient.start` for `seconds`, each
    /// completion starting the next assistant's; `already_linked` (an assistant that still
    /// holds the number) counts as done, any other failure as not.
    private static func flireoClient(
        _ starter: Starter, concurrency: Int, seconds: Double
    ) async throws -> (links: Int, seconds: Double) {
        try await LinkTally.keepInFlight(concurrency: concurrency, seconds: seconds, count: starter.count) { index, counted in
            starter.start(index) { result in
                switch result {
                case .success: counted(true, nil)
                case .failure(let error as FlireoError): counted(error.code == .alreadyLinked, error)
                case .failure(let error): counted(false, error)
                }
            }
        }
    }
}

/// Starts the i-th assistant's link (or read) with `FlireoClient.start`, as the Lua binding does.
struct Starter: Sendable {
    private let client: FlireoClient
    private let links: [FlireoOperation<LinkResult>]
    private let reads: [FlireoOperation<AssistantPhoneNumber>]

    var count: Int { max(links.count, reads.count) }

    /// Without a `number`, the operations read the assistants' links.
    init(client: FlireoClient, ids: [String], number: String?) throws {
        self.client = client
        links = try number.map { number in try ids.map { try client.operations.link(assistantID: $0, phoneNumberID: number) } } ?? []
        reads = number == nil ? try ids.map { try client.operations.phoneNumber(assistantID: $0) } : []
    }

    func start(_ index: Int, completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        if links.isEmpty {
            client.start(reads[index]) { completion($0.map { _ in () }) }
        } else {
            client.start(links[index]) { completion($0.map { _ in () }) }
        }
    }
}

/// The bookkeeping the benchmark's clients share: which assistant is next, how many links
/// were done, and when the last of the links in flight has come back after the deadline.
final class LinkTally: Sendable {
    enum Next { case more, last, stop }

    struct Failed: Error, CustomStringConvertible {
        let description: String
    }

    private struct State {
        var done = 0
        var failed = 0
        var next = 0
        var running: Int
        var first: String?
    }

    private let state: Mutex<State>
    private let started = ContinuousClock.now
    private let deadline: ContinuousClock.Instant

    init(concurrency: Int, seconds: Double) {
        state = Mutex(State(running: concurrency))
        deadline = started + .seconds(seconds)
    }

    func nextIndex(of count: Int) -> Int {
        state.withLock { state in
            state.next += 1
            return state.next % count
        }
    }

    func count(_ ok: Bool, _ error: (any Error)? = nil) {
        state.withLock { state in
            if ok {
                state.done += 1
            } else {
                state.failed += 1
                state.first = state.first ?? error.map { "\($0)" } ?? "an unexpected answer"
            }
        }
    }

    /// Whether a link that just came back starts another, or was the last one in flight.
    func finishing() -> Next {
        if ContinuousClock.now < deadline { return .more }
        return state.withLock { state in
            state.running -= 1
            return state.running == 0 ? .last : .stop
        }
    }

    /// Keeps `concurrency` requests in flight for `seconds`: `start` sends the i-th and calls
    /// back once with whether it went as wanted; each answer starts the next request.
    static func keepInFlight(
        concurrency: Int, seconds: Double, count: Int,
        start: @escaping @Sendable (Int, @escaping @Sendable (Bool, (any Error)?) -> Void) -> Void
    ) async throws -> (links: Int, seconds: Double) {
        let tally = LinkTally(concurrency: concurrency, seconds: seconds)
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            @Sendable func next() {
                start(tally.nextIndex(of: count)) { ok, error in
                    tally.count(ok, error)
                    switch tally.finishing() {
                    case .more: next()
                    case .last: continuation.resume()
                    case .stop: break
                    }
                }
            }
            for _ in 0..<concurrency { next() }
        }
        return try tally.result()
    }

    /// The links done and the phase's length; a phase where a link failed is no measurement.
    func result() throws -> (links: Int, seconds: Double) {
        let parts = (ContinuousClock.now - started).components
        let counts = state.withLock { ($0.done, $0.failed, $0.first) }
        if counts.1 > 0 { throw Failed(description: "\(counts.1) links failed; the first: \(counts.2 ?? "?")") }
        return (counts.0, Double(parts.seconds) + Double(parts.attoseconds) / 1e18)
    }
}

/// The CPU seconds another process (the sandbox) has used, from /proc/PID/stat.
struct ServerCPU {
    let pid: Int

    func seconds() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = text.lastIndex(of: ")")
        else { return nil }
        // After "(comm)": utime and stime are the 12th and 13th fields.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
    }
}

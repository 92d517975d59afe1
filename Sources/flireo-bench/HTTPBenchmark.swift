import FlireoAPI
import Foundation
import Synchronization

/// Requests/s of the FlireoAPI client, sequential and concurrent (awaited from tasks, and
/// started with completions as the Lua binding does), next to wrk on the same endpoint in
/// the same run, and the CPU each spends per request; prints Markdown tables for
/// BENCHMARKS.md.
struct HTTPBenchmark {
    let options: BenchOptions

    /// One measured phase.
    struct Result {
        let name: String
        let requests: Int
        let failures: Int
        let seconds: Double
        /// CPU used meanwhile by this process and by wrk.
        let cpu: CPUTime

        var rate: Double { Double(requests) / seconds }
    }

    func run() async throws {
        var server: BenchServer?
        let baseURL: String
        if let url = options.url {
            baseURL = url
        } else {
            server = try await BenchServer.start(port: 0)
            baseURL = server?.baseURL ?? ""
        }
        defer { server?.stop() }
        let configuration = FlireoConfiguration(baseURL: baseURL, apiKey: "bench-key", retryPolicy: .none, rateLimit: nil)
        let client = try FlireoClient(configuration: configuration)
        let endpoint = baseURL + BenchServer.path

        _ = try await measure("warm-up", client: client, concurrency: options.concurrency, seconds: 1)
        // Rounds alternate the client and wrk, so load from other processes falls on both
        // alike; each figure is the median of its rounds.
        var phases: [(ours: [Result], wrk: [Result])] = [([], []), ([], [])]
        var started: [Result] = []
        for _ in 0..<options.rounds {
            for (index, concurrency) in [1, options.concurrency].enumerated() {
                let name = concurrency == 1 ? "FlireoClient, sequential" : "FlireoClient, \(concurrency) concurrent"
                phases[index].ours.append(try await measure(name, client: client, concurrency: concurrency, seconds: options.seconds))
                phases[index].wrk.append(try Wrk.run(
                    url: endpoint, connections: concurrency, threads: min(concurrency, 2), seconds: options.seconds
                ))
            }
            started.append(try await measureStarted(client: client, concurrency: options.concurrency, seconds: options.seconds))
        }
        print("\(options.rounds) rounds of \(format(options.seconds)) s per phase, alternating; medians of the rounds")
        print("| client | requests/s | ratio to wrk | each round | client CPU µs/request |")
        print("|---|---:|---:|---|---:|")
        for phase in phases {
            // In-process, this process also served wrk's requests: that share is the server's.
            let serverShare = options.url == nil ? median(phase.wrk.map { $0.cpu.process / Double($0.requests) }) : 0
            row(phase.wrk, reference: phase.wrk, cpuPerRequest: median(phase.wrk.map { $0.cpu.children / Double($0.requests) }))
            row(phase.ours, reference: phase.wrk,
                cpuPerRequest: median(phase.ours.map { $0.cpu.process / Double($0.requests) }) - serverShare)
        }
        let concurrentShare = options.url == nil ? median(phases[1].wrk.map { $0.cpu.process / Double($0.requests) }) : 0
        row(started, reference: phases[1].wrk,
            cpuPerRequest: median(started.map { $0.cpu.process / Double($0.requests) }) - concurrentShare)
        let failed = (phases.flatMap(\.ours) + started).reduce(0) { $0 + $1.failures }
        if failed > 0 { print("failures: \(failed)") }
    }

    /// Runs `concurrency` loops of `phoneNumber(assistantID:)` for `seconds`.
    private func measure(_ name: String, client: FlireoClient, concurrency: Int, seconds: Double) async throws -> Result {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let cpuBefore = CPUTime.now()
        let counts = await withTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<concurrency {
                group.addTask {
                    var done = 0
                    var failed = 0
                    while ContinuousClock.now < deadline {
                        do {
                            _ = try await client.phoneNumber(assistantID: BenchServer.assistantID)
                            done += 1
                        } catch {
                            failed += 1
                        }
                    }
                    return (done, failed)
                }
            }
            return await group.reduce((0, 0)) { ($0.0 + $1.0, $0.1 + $1.1) }
        }
        let parts = (ContinuousClock.now - started).components
        return Result(
            name: name, requests: counts.0, failures: counts.1,
            seconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18, cpu: CPUTime.now() - cpuBefore
        )
    }

    /// Keeps `concurrency` requests in flight with `FlireoClient.start` for `seconds`: each
    /// completion starts the next request, so no task or continuation is involved.
    private func measureStarted(client: FlireoClient, concurrency: Int, seconds: Double) async throws -> Result {
        let operation = try client.operations.phoneNumber(assistantID: BenchServer.assistantID)
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
        let cpuBefore = CPUTime.now()
        let tally = Mutex((done: 0, failed: 0, running: concurrency))
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            @Sendable func next() {
                client.start(operation) { result in
                    let more = ContinuousClock.now < deadline
                    let last = tally.withLock { tally in
                        if case .success = result { tally.done += 1 } else { tally.failed += 1 }
                        if !more { tally.running -= 1 }
                        return tally.running == 0
                    }
                    if more { next() } else if last { continuation.resume() }
                }
            }
            for _ in 0..<concurrency { next() }
        }
        let counts = tally.withLock { $0 }
        let parts = (ContinuousClock.now - started).components
        return Result(
            name: "FlireoClient.start, \(concurrency) in flight", requests: counts.done, failures: counts.failed,
            seconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18, cpu: CPUTime.now() - cpuBefore
        )
    }

    private func median(_ values: [Double]) -> Double {
        values.sorted()[values.count / 2]
    }

    private func row(_ results: [Result], reference: [Result], cpuPerRequest: Double) {
        let rate = median(results.map(\.rate))
        let ratio = String(format: "%.2f", rate / median(reference.map(\.rate)))
        let rounds = results.map { format($0.rate) }.joined(separator: ", ")
        print("| \(results[0].name) | \(format(rate)) | \(ratio) | \(rounds) | \(String(format: "%.1f", cpuPerRequest * 1e6)) |")
    }

    private func format(_ value: Double) -> String {
        String(format: value < 100 ? "%g" : "%.0f", value)
    }
}

/// Runs wrk (Debian's package) and reads its request count.
enum Wrk {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// With a `script`, wrk runs it (`-s`) and passes it `scriptArguments`; without, it GETs
    /// `url` with the bench server's key.
    static func run(
        url: String, connections: Int, threads: Int, seconds: Double, script: String? = nil, scriptArguments: [String] = []
    ) throws -> HTTPBenchmark.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        let common = ["wrk", "-t\(threads)", "-c\(connections)", "-d\(Int(seconds.rounded()))s"]
        if let script {
            process.arguments = common + ["-s", script, url, "--"] + scriptArguments
        } else {
            process.arguments = common + ["-H", "Authorization: Bearer bench-key", "-H", "Accept: application/json", url]
        }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        let cpuBefore = CPUTime.now()
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let cpu = CPUTime.now() - cpuBefore
        let text = String(decoding: data, as: UTF8.self)
        // "  123456 requests in 5.00s, 45.67MB read"
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").first(where: { $0.contains(" requests in ") }),
            let count = line.split(separator: " ").first.flatMap({ Int($0) }),
            let elapsed = line.split(separator: " ").dropFirst(3).first.flatMap(duration)
        else {
            throw Failure(description: "wrk failed: \(text)")
        }
        return HTTPBenchmark.Result(
            name: "wrk -t\(threads) -c\(connections)", requests: count, failures: 0, seconds: elapsed, cpu: cpu
        )
    }

    /// wrk's `5.00s,` or `1.00m,` in seconds.
    private static func duration(_ text: Substring) -> Double? {
        let value = text.hasSuffix(",") ? text.dropLast() : text
        if value.hasSuffix("ms") { return Double(value.dropLast(2)).map { $0 / 1000 } }
        if value.hasSuffix("s") { return Double(value.dropLast()) }
        if value.hasSuffix("m") { return Double(value.dropLast()).map { $0 * 60 } }
        return nil
    }
}

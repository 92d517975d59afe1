import FlireoAPI
import Foundation

/// Requests/s of the FlireoAPI client, sequential and concurrent, next to wrk on the same
/// endpoint in the same run; prints a Markdown table for BENCHMARKS.md.
struct HTTPBenchmark {
    let options: BenchOptions

    /// One measured phase.
    struct Result {
        let name: String
        let requests: Int
        let failures: Int
        let seconds: Double

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
        let configuration = FlireoConfiguration(
            baseURL: baseURL, apiKey: "bench-key", retryPolicy: .none, rateLimit: nil
        )
        let client = try FlireoClient(configuration: configuration)
        let endpoint = baseURL + BenchServer.path

        _ = try await measure("warm-up", client: client, concurrency: options.concurrency, seconds: 1)
        let sequential = try await measure("FlireoClient, sequential", client: client, concurrency: 1, seconds: options.seconds)
        let concurrent = try await measure(
            "FlireoClient, \(options.concurrency) concurrent", client: client, concurrency: options.concurrency,
            seconds: options.seconds
        )
        let wrkSequential = try Wrk.run(url: endpoint, connections: 1, threads: 1, seconds: options.seconds)
        let wrkConcurrent = try Wrk.run(
            url: endpoint, connections: options.concurrency, threads: 2, seconds: options.seconds
        )

        print("| client | requests/s | ratio to wrk |")
        print("|---|---:|---:|")
        for (ours, reference) in [(sequential, wrkSequential), (concurrent, wrkConcurrent)] {
            print("| \(reference.name) | \(format(reference.rate)) | 1.00 |")
            print("| \(ours.name) | \(format(ours.rate)) | \(String(format: "%.2f", ours.rate / reference.rate)) |")
        }
        let failed = sequential.failures + concurrent.failures
        if failed > 0 { print("failures: \(failed)") }
    }

    /// Runs `concurrency` loops of `phoneNumber(assistantID:)` for `seconds`.
    private func measure(_ name: String, client: FlireoClient, concurrency: Int, seconds: Double) async throws -> Result {
        let deadline = ContinuousClock.now + .seconds(seconds)
        let started = ContinuousClock.now
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
        let elapsed = ContinuousClock.now - started
        let parts = elapsed.components
        return Result(
            name: name, requests: counts.0, failures: counts.1,
            seconds: Double(parts.seconds) + Double(parts.attoseconds) / 1e18
        )
    }

    private func format(_ rate: Double) -> String {
        String(format: "%.0f", rate)
    }
}

/// Runs wrk (Debian's package) and reads its `Requests/sec`.
enum Wrk {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static func run(url: String, connections: Int, threads: Int, seconds: Double) throws -> HTTPBenchmark.Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "wrk", "-t\(threads)", "-c\(connections)", "-d\(Int(seconds.rounded()))s",
            "-H", "Authorization: Bearer bench-key", "-H", "Accept: application/json", url,
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0,
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Requests/sec:") }),
            let rate = Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        else {
            throw Failure(description: "wrk failed: \(text)")
        }
        let name = "wrk -t\(threads) -c\(connections)"
        return HTTPBenchmark.Result(name: name, requests: Int(rate * seconds), failures: 0, seconds: seconds)
    }
}

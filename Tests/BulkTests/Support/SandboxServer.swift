import Foundation
import TestSupport
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A `flireo sandbox serve` subprocess of one test: its own port (0: a free one), its own
/// state file, stopped with SIGTERM at the end. Control routes (`/_sandbox/…`) and the API
/// are read over HTTP with the test's key.
final class SandboxServer: @unchecked Sendable {
    let process: Process
    let baseURL: String
    let keys: [String]
    let directory: URL
    private let output: Pipe

    /// Starts a sandbox.
    /// - Parameters:
    ///   - directory: the test's scratch directory (the state file goes there).
    ///   - keys: API keys, one account each.
    ///   - assistants: assistants per account.
    ///   - numbers: custom numbers per account.
    ///   - extra: more `serve` flags (faults).
    init(in directory: URL, keys: [String] = ["test-key"], seed: Int = 1, assistants: Int = 40, numbers: Int = 60,
         extra: [String] = []) throws {
        self.directory = directory
        self.keys = keys
        var arguments = ["--port", "0", "--seed", String(seed), "--assistants", String(assistants),
                         "--numbers", String(numbers), "--order-delay", "0.2",
                         "--state", directory.appendingPathComponent("sandbox-state.json").path]
        for key in keys { arguments += ["--api-key", key] }
        let server = try SandboxProcess(binary: try Flireo.binary(), arguments: arguments + extra)
        process = server.process
        output = server.output
        baseURL = server.baseURL
    }

    deinit { stop() }

    /// Stops the server (SIGTERM) and waits for it.
    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        process.waitUntilExit()
    }

    /// Sends a request and returns the decoded JSON body.
    func request(_ method: String, _ path: String, key: String? = nil, body: Any? = nil) throws -> Any {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(key ?? keys[0])", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = try JSONSerialization.data(withJSONObject: body)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        request.timeoutInterval = 60
        let done = DispatchSemaphore(value: 0)
        let box = ResponseBox()
        URLSession.shared.dataTask(with: request) { data, _, error in
            box.data = data
            box.error = error
            done.signal()
        }.resume()
        done.wait()
        if let error = box.error { throw error }
        return try JSONSerialization.jsonObject(with: box.data ?? Data())
    }

    private final class ResponseBox: @unchecked Sendable {
        var data: Data?
        var error: (any Error)?
    }

    /// The account's whole link table: assistant id → phone number id.
    func links(key: String? = nil) throws -> [String: String] {
        let body = try request("GET", "/_sandbox/links", key: key) as? [String: Any]
        var table: [String: String] = [:]
        for row in body?["data"] as? [[String: Any]] ?? [] {
            if let assistant = row["assistant_id"] as? String, let number = row["phone_number_id"] as? String {
                table[assistant] = number
            }
        }
        return table
    }

    /// The landmarks of the account (`/_sandbox/fixture`).
    func fixture(key: String? = nil) throws -> [String: Any] {
        (try request("GET", "/_sandbox/fixture", key: key) as? [String: Any])?["data"] as? [String: Any] ?? [:]
    }

    /// Requests served per route (`/_sandbox/stats`).
    func routes() throws -> [String: Int] {
        let stats = (try request("GET", "/_sandbox/stats") as? [String: Any])?["data"] as? [String: Any]
        return stats?["routes"] as? [String: Int] ?? [:]
    }

    /// Requests under /v1 the server holds now (in its latency, or being handled).
    func inFlight() throws -> Int {
        let stats = (try request("GET", "/_sandbox/stats") as? [String: Any])?["data"] as? [String: Any]
        return stats?["in_flight"] as? Int ?? 0
    }

    /// Responses per status.
    func statuses() throws -> [String: Int] {
        let stats = (try request("GET", "/_sandbox/stats") as? [String: Any])?["data"] as? [String: Any]
        return stats?["statuses"] as? [String: Int] ?? [:]
    }

    /// How many mutations (POST, PUT, PATCH, DELETE under /v1) were served.
    func mutations() throws -> Int {
        try routes().filter { !$0.key.hasPrefix("GET ") }.values.reduce(0, +)
    }

    /// Zeroes the stats.
    func resetStats() throws {
        _ = try request("DELETE", "/_sandbox/stats")
    }

    /// Sets faults (`fail_rate`, `drop_rate`, `rate_limit`, `latency_ms`).
    func setFaults(_ faults: [String: Any]) throws {
        _ = try request("PUT", "/_sandbox/faults", body: faults)
    }

    /// Every item of a paged list endpoint (faults must be off).
    func list(_ path: String, key: String? = nil) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        while true {
            let separator = path.contains("?") ? "&" : "?"
            let page = try request("GET", "\(path)\(separator)limit=100&offset=\(items.count)", key: key) as? [String: Any]
            let data = page?["data"] as? [[String: Any]] ?? []
            items += data
            let total = (page?["meta"] as? [String: Any])?["total"] as? Int ?? 0
            if data.isEmpty || items.count >= total { return items }
        }
    }
}

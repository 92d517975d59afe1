import Foundation
import Testing

/// `flireo sandbox serve` as a subprocess: the banner, requests, signals, state, usage errors.
@Suite("flireo sandbox serve")
struct ServeCommandTests {
    /// The built `flireo` next to the test bundle (`swift build --build-tests` builds it).
    static func binary() throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("flireo"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flireo"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent(".build/debug/flireo"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw ServeFailure("flireo not built: run `swift build --product flireo` (looked in \(candidates.map(\.path)))")
        }
        return found
    }

    struct ServeFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// A running `flireo sandbox …` with its stdout lines readable as they come.
    final class Server: @unchecked Sendable {
        let process = Process()
        private let output = Pipe()
        private let errors = Pipe()
        private let lock = NSLock()
        private var buffer = ""
        private var errorText = ""

        init(_ arguments: [String]) throws {
            process.executableURL = try ServeCommandTests.binary()
            process.arguments = ["sandbox"] + arguments
            process.standardOutput = output
            process.standardError = errors
            output.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.buffer += String(decoding: data, as: UTF8.self) }
            }
            errors.fileHandleForReading.readabilityHandler = { [weak self] handle in
                let data = handle.availableData
                guard let self, !data.isEmpty else { return }
                self.lock.withLock { self.errorText += String(decoding: data, as: UTF8.self) }
            }
            try process.run()
        }

        var stdout: String { lock.withLock { buffer } }
        var stderr: String { lock.withLock { errorText } }

        /// Waits (bounded) until stdout has a line starting with `prefix`.
        func line(startingWith prefix: String) async throws -> String {
            for _ in 0..<400 {
                if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
                if !process.isRunning { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            throw ServeFailure("no line '\(prefix)…' in stdout \(stdout.debugDescription), stderr \(stderr.debugDescription)")
        }

        /// Waits (bounded) for the process to exit and returns its status.
        func exitStatus() async throws -> Int32 {
            for _ in 0..<400 where process.isRunning {
                try await Task.sleep(for: .milliseconds(25))
            }
            guard !process.isRunning else {
                process.terminate()
                throw ServeFailure("the server did not exit")
            }
            // Let the pipe handlers drain.
            try await Task.sleep(for: .milliseconds(50))
            return process.terminationStatus
        }
    }

    @Test("--port 0 prints the real port and the keys; SIGTERM finishes, saves the state and exits 0")
    func serveAndTerminate() async throws {
        let state = temporaryPath("serve.json")
        defer { try? FileManager.default.removeItem(atPath: state) }
        let server = try Server(["serve", "--port", "0", "--seed", "3", "--api-key", "k1", "--api-key", "k2", "--state", state])
        let listening = try await server.line(startingWith: "listening on ")
        let url = String(listening.dropFirst("listening on ".count))
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(Int(url.split(separator: ":").last ?? "") ?? 0 > 0)
        #expect(try await server.line(startingWith: "api key: k1") == "api key: k1")
        #expect(try await server.line(startingWith: "api key: k2") == "api key: k2")
        let client = SandboxHTTP(baseURL: url, apiKey: "k2")
        let created = try await client.send("POST", "/v1/assistants", json: ["name": "Survives restarts"])
        #expect(created.status == 201)
        #expect(try await client.send("GET", "/v1/assistants").status == 200)
        server.process.terminate()
        #expect(try await server.exitStatus() == 0)
        #expect(server.stdout.contains("state saved to \(state)"))
        let saved = try String(contentsOfFile: state, encoding: .utf8)
        #expect(saved.contains("Survives restarts"))
    }

    @Test("SIGINT also saves; a restart from the file serves the saved data")
    func interruptAndRestart() async throws {
        let state = temporaryPath("serve.json")
        defer { try? FileManager.default.removeItem(atPath: state) }
        var server = try Server(["serve", "--port", "0", "--state", state])
        var url = String(try await server.line(startingWith: "listening on ").dropFirst("listening on ".count))
        _ = try await server.line(startingWith: "api key: ")
        var client = SandboxHTTP(baseURL: url, apiKey: "sk_sandbox_0123456789abcdef")
        let id = try #require(try await client.send("POST", "/v1/assistants", json: ["name": "Interrupted"]).json?["data"]?["id"]?.string)
        kill(server.process.processIdentifier, SIGINT)
        #expect(try await server.exitStatus() == 0)
        server = try Server(["serve", "--port", "0", "--state", state])
        url = String(try await server.line(startingWith: "listening on ").dropFirst("listening on ".count))
        client = SandboxHTTP(baseURL: url, apiKey: "sk_sandbox_0123456789abcdef")
        #expect(try await client.send("GET", "/v1/assistants/\(id)").json?["data"]?["name"]?.string == "Interrupted")
        server.process.terminate()
        #expect(try await server.exitStatus() == 0)
    }

    @Test("--help exits 0 with usage; bad values exit non-zero with a message on stderr")
    func usage() async throws {
        let help = try Server(["--help"])
        #expect(try await help.exitStatus() == 0)
        #expect(help.stdout.contains("serve"))
        let serveHelp = try Server(["serve", "--help"])
        #expect(try await serveHelp.exitStatus() == 0)
        #expect(serveHelp.stdout.contains("--latency-ms"))
        #expect(serveHelp.stdout.contains("--rate-limit"))
        // Bad values are usage errors (64), whether the parser or a range check finds them;
        // a state file that cannot be written is a failure to start (1).
        for (arguments, expected) in [
            (["serve", "--fail-rate", "2"], 64), (["serve", "--latency-ms", "fast"], 64),
            (["serve", "--latency-ms", "9223372036854775000:9223372036854775000"], 64), (["serve", "--latency-ms", "600001"], 64),
            (["serve", "--state", "/nonexistent-directory/state.json"], 1), (["serve", "--port", "70000"], 64),
            (["serve", "--max-page-size", "-1"], 64), (["serve", "--bogus"], 64), (["launch"], 64),
        ] {
            let bad = try Server(arguments)
            let status = try await bad.exitStatus()
            #expect(status == Int32(expected), "\(arguments)")
            #expect(!bad.stderr.isEmpty, "\(arguments)")
        }
        // A negative number is the option's value, out of range, not a missing one.
        for (arguments, message) in [
            (["serve", "--assistants", "-1"], "assistants must be 0…1000000, got -1"),
            (["serve", "--fail-rate", "-0.5"], "fail rate must be between 0 and 1, got -0.5"),
            (["serve", "--latency-ms", "-5"], "latency must be MILLISECONDS or MILLISECONDS:JITTER (0 to 600000 each), got '-5'"),
        ] {
            let bad = try Server(arguments)
            #expect(try await bad.exitStatus() == 64, "\(arguments)")
            #expect(bad.stderr.contains(message), "\(arguments): \(bad.stderr)")
        }
    }

    @Test("a port in use is a clear error, not a crash")
    func portInUse() async throws {
        let first = try Server(["serve", "--port", "0"])
        let url = String(try await first.line(startingWith: "listening on ").dropFirst("listening on ".count))
        let port = String(url.split(separator: ":").last ?? "")
        let second = try Server(["serve", "--port", port])
        #expect(try await second.exitStatus() == 1)
        #expect(second.stderr.contains("cannot serve on 127.0.0.1:\(port): address already in use\n"), "\(second.stderr)")
        first.process.terminate()
        #expect(try await first.exitStatus() == 0)
    }
}

import ArgumentParser
import Foundation
import UnixSignals

/// `flireo sandbox serve`: runs the server until SIGINT or SIGTERM, then saves the state.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the sandbox API until interrupted.",
        discussion: """
        Prints 'listening on http://HOST:PORT' (the real port with --port 0) and one 'api key: KEY' \
        line per account. SIGINT and SIGTERM finish requests in flight, save --state and exit 0.
        """
    )

    @Option(help: "Address to bind.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on; 0 picks a free one.")
    var port = 8787

    @Option(name: .customLong("api-key"), help: "An API key; repeat for several accounts (default: \(SandboxOptions.defaultAPIKey)).")
    var apiKeys: [String] = []

    @Option(parsing: .unconditional, help: "Seed for the fixtures and the fault draws: 0 to 18446744073709551615.")
    var seed: UInt64 = 1

    @Option(parsing: .unconditional, help: "Assistants per account.")
    var assistants = 20

    @Option(parsing: .unconditional, help: "Custom phone numbers per account.")
    var numbers = 30

    @Option(name: .customLong("latency-ms"), parsing: .unconditional, help: ArgumentHelp("Added latency in ms, optionally ±jitter.", valueName: "X[:J]"))
    var latency: String?

    @Option(name: .customLong("fail-rate"), parsing: .unconditional, help: "Probability of a 500/503; mutations fail after the change half the time.")
    var failRate = 0.0

    @Option(name: .customLong("drop-rate"), parsing: .unconditional, help: "Probability of closing the connection without a response.")
    var dropRate = 0.0

    @Option(name: .customLong("rate-limit"), parsing: .unconditional, help: "Requests per minute per key (429 with Retry-After past it); 0 = off.")
    var rateLimit = 0

    @Option(name: .customLong("max-page-size"), parsing: .unconditional, help: "Serve at most N items per list page, whatever limit asked (meta.limit says so); 0 = as asked.")
    var maxPageSize = 0

    @Flag(name: .customLong("shared-numbers-apart"), help: "List shared default numbers only in shared_numbers (counted in meta.total), as the contract's example.")
    var sharedNumbersApart = false

    @Option(help: ArgumentHelp("JSON file to load the state from and save it to on exit.", valueName: "FILE"))
    var state: String?

    @Option(name: .customLong("order-delay"), parsing: .unconditional, help: "Seconds until a phone number order settles.")
    var orderDelay = 0.5

    @Option(name: .customLong("approval-delay"), parsing: .unconditional, help: "Seconds until a new verification group is approved.")
    var approvalDelay = 2.0

    @Flag(name: .customLong("log-requests"), help: "Log each request to stderr.")
    var logRequests = false

    /// The options these flags describe.
    /// - Throws: `SandboxError` for a malformed --latency-ms.
    func options() throws(SandboxError) -> SandboxOptions {
        let (latencyMilliseconds, jitter) = try latency.map(SandboxFaults.parseLatency) ?? (0, 0)
        return SandboxOptions(
            host: host, port: port, apiKeys: apiKeys, seed: seed, assistants: assistants, numbers: numbers,
            faults: SandboxFaults(
                latencyMilliseconds: latencyMilliseconds, latencyJitterMilliseconds: jitter,
                failRate: failRate, dropRate: dropRate, rateLimit: rateLimit,
                maxPageSize: maxPageSize, sharedNumbersApart: sharedNumbersApart
            ),
            stateFile: state, orderCompletionSeconds: orderDelay, groupApprovalSeconds: approvalDelay, logRequests: logRequests
        )
    }

    /// Serves until a shutdown signal; returns the exit code.
    func execute() async -> Int32 {
        // A value out of range is a usage error, as one the parser rejects (64, EX_USAGE);
        // a sandbox that cannot start (a port in use) is a failure (1).
        let options: SandboxOptions
        do throws(SandboxError) {
            options = try self.options()
            try options.validate()
        } catch {
            SandboxCommand.write("flireo sandbox: \(error.message)\n", to: .standardError)
            return 64
        }
        let sandbox: Sandbox
        do throws(SandboxError) {
            sandbox = try await Sandbox.start(options, shutdownSignals: [.sigterm, .sigint])
        } catch {
            SandboxCommand.write("flireo sandbox: \(error.message)\n", to: .standardError)
            return 1
        }
        var banner = "listening on \(sandbox.baseURL)\n"
        for key in sandbox.apiKeys {
            banner += "api key: \(key)\n"
        }
        // A parent learns the address from this line: one that cannot be written stops the server.
        guard SandboxCommand.write(banner, to: .standardOutput) else {
            SandboxCommand.write("flireo sandbox: cannot write standard output (the address); stopping\n", to: .standardError)
            await sandbox.stop()
            return 1
        }
        if let failure = await sandbox.waitUntilStopped() {
            SandboxCommand.write("flireo sandbox: \(failure.message)\n", to: .standardError)
            return 1
        }
        if let file = sandbox.stateFile {
            SandboxCommand.write("state saved to \(file)\n", to: .standardOutput)
        }
        return 0
    }
}

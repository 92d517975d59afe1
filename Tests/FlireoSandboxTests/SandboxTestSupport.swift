import FlireoSandbox
import Foundation
import Testing

/// Starts a sandbox on a free loopback port, runs `body`, stops it (also when `body` throws).
/// - Parameters:
///   - options: The sandbox options (port forced to 0).
///   - body: The test, given the sandbox and a client holding its first key.
func withSandbox<Result>(
    _ options: SandboxOptions = SandboxOptions(),
    _ body: (Sandbox, SandboxHTTP) async throws -> Result
) async throws -> Result {
    var options = options
    options.port = 0
    let sandbox = try await Sandbox.start(options)
    let client = SandboxHTTP(baseURL: sandbox.baseURL, apiKey: sandbox.apiKeys.first)
    do {
        let result = try await body(sandbox, client)
        await sandbox.stop()
        return result
    } catch {
        await sandbox.stop()
        throw error
    }
}

/// The landmarks of the sandbox's first key (fails the test when missing).
func landmarks(_ sandbox: Sandbox, key: String? = nil) throws -> SandboxLandmarks {
    try #require(sandbox.landmarks(forKey: key ?? sandbox.apiKeys[0]))
}

/// Expects a reply to match a schema fixture, recording every violation.
func expectSchema(_ name: String, _ reply: SandboxHTTP.Reply, sourceLocation: SourceLocation = #_sourceLocation) throws {
    let violations = try SchemaValidator(named: name).violations(of: reply.json)
    #expect(violations.isEmpty, "\(name): \(violations) in \(reply.body)", sourceLocation: sourceLocation)
}

/// Expects the documented error envelope with `code` and `status`.
func expectError(
    _ reply: SandboxHTTP.Reply, _ code: String, _ status: Int, sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(reply.status == status, "status \(reply.status): \(reply.body)", sourceLocation: sourceLocation)
    #expect(reply.errorCode == code, "code in \(reply.body)", sourceLocation: sourceLocation)
    try expectSchema("error-envelope", reply, sourceLocation: sourceLocation)
}

/// A fresh temporary path (the file does not exist).
func temporaryPath(_ name: String) -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("flireo-sandbox-\(UUID().uuidString)-\(name)").path
}

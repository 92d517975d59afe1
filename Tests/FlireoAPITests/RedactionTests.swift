import FlireoAPI
import Foundation
import Testing

/// Every way the key could leak: a server or proxy echoing it in any error shape, traces,
/// descriptions and dumps of configurations and clients, configuration errors, and
/// arguments that happen to be the key.
@Suite("Redaction of the API key")
struct RedactionTests {
    let key = Fixture.apiKey

    private func assertClean(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!text.contains(key), "the key leaked: \(text)", sourceLocation: sourceLocation)
        #expect(!text.contains(String(key.prefix(24))), "part of the key leaked: \(text)", sourceLocation: sourceLocation)
        // No run of 12 of the key's characters, in any case.
        let lower = text.lowercased()
        let secret = key.lowercased()
        for start in 0...(secret.count - 12) {
            let run = secret.dropFirst(start).prefix(12)
            #expect(!lower.contains(run), "part of the key leaked (\(run)): \(text)", sourceLocation: sourceLocation)
        }
    }

    private func assertClean(_ error: FlireoError?, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error else {
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return
        }
        assertClean(error.description, sourceLocation: sourceLocation)
        assertClean(error.message, sourceLocation: sourceLocation)
        assertClean(String(describing: error.details), sourceLocation: sourceLocation)
        assertClean(String(reflecting: error), sourceLocation: sourceLocation)
    }

    @Test("errors echoing the key in every shape come out masked")
    func echoedInErrors() async throws {
        let echoes: [ScriptedResponse] = [
            .json(400, #"{"error": {"code": "invalid_parameters", "message": "bad key \#(key)", "details": {"key": "\#(key)", "list": ["\#(key)"]}}}"#),
            .json(401, #"{"error": "Unauthorized", "message": "Invalid API key \#(key)"}"#),
            .text(502, "<html><title>Bad key \(key)</title></html>"),
            // A long page whose excerpt would cut the key in half if masking came after shortening.
            .text(503, String(repeating: "a", count: 180) + " " + key + " tail"),
            .json(418, #"{"message": "teapot \#(key)"}"#),
            .text(200, "not json " + key),
            .json(200, #"{"data": {"assistant_id": "\#(key)", "phone_number": {"id": "\#(key)"}}}"#),
            // Mangled echoes: upper-cased, cut with three dots, starred in the middle, split by a tag or entities.
            .json(401, #"{"error": "Unauthorized", "message": "key \#(key.uppercased()) refused"}"#),
            .json(403, #"{"error": {"code": "forbidden", "message": "key \#(key.prefix(18))... refused"}}"#),
            .json(403, #"{"error": {"code": "forbidden", "message": "key \#(key.prefix(14))****\#(key.suffix(14))"}}"#),
            .text(502, "<html><body>key " + key.prefix(16) + "<wbr>" + key.dropFirst(16) + "</body></html>"),
            .text(502, "<html><body>key " + key.replacingOccurrences(of: "_", with: "&#95;") + "</body></html>"),
        ]
        for echo in echoes {
            let server = try await ScriptedServer.start { _ in echo }
            defer { server.stop() }
            let trace = TraceLog()
            let client = try server.client(apiKey: key, retryPolicy: .none, trace: trace)
            let error = await flireoError { try await client.phoneNumber(assistantID: Fixture.assistantID) }
            assertClean(error)
            #expect(server.requests.first?.headers.first(name: "Authorization") == "Bearer \(key)")
            trace.all.forEach { assertClean($0.description) }
        }
    }

    @Test("a key passed where an id belongs is rejected without quoting it")
    func keyAsArgument() async throws {
        let server = try await ScriptedServer.start { _ in .empty(200) }
        defer { server.stop() }
        let client = try server.client(apiKey: key)
        assertClean(await flireoError { try await client.phoneNumber(assistantID: key) })
        assertClean(await flireoError { try await client.link(assistantID: Fixture.assistantID, phoneNumberID: key) })
        assertClean(await flireoError { try await client.orderPhoneNumber(key) })
        assertClean(await flireoError { try await client.request(method: "GET", path: key) })
        #expect(server.requests.isEmpty)
    }

    @Test("a key in a raw request path is masked in traces and errors")
    func keyInPath() async throws {
        let server = try await ScriptedServer.start { _ in .json(404, Fixture.notFound) }
        defer { server.stop() }
        let trace = TraceLog()
        let client = try server.client(apiKey: key, trace: trace)
        let error = await flireoError { try await client.request(method: .get, path: "/v1/things/\(key)", query: [("k", key)]) }
        assertClean(error)
        #expect(error?.path == "/v1/things/[redacted]")
        #expect(!trace.all.isEmpty)
        trace.all.forEach { assertClean($0.description) }
    }

    @Test("configurations, clients and keys never print the key")
    func descriptions() throws {
        let configuration = FlireoConfiguration(baseURL: "https://api.flireo.example", apiKey: APIKey(key))
        let client = try FlireoClient(configuration: configuration)
        var dumped = ""
        dump(configuration, to: &dumped)
        dump(client, to: &dumped)
        dump(APIKey(key), to: &dumped)
        for text in [
            configuration.description, String(reflecting: configuration), "\(configuration)", dumped,
            client.description, String(reflecting: client), String(describing: APIKey(key)), String(reflecting: APIKey(key)),
            "\(configuration.apiKey as Any)",
        ] {
            assertClean(text)
        }
        #expect(configuration.description.contains("API key set"))
    }

    @Test("configuration errors never show the key")
    func configurationErrors() throws {
        let directory = NSTemporaryDirectory() + "flireo-redaction-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/config"
        for (text, mode) in [
            ("[default]\napi_key = \(key)\n", 0o644),
            ("[default]\napi_key \(key)\n", 0o600),
            ("[default]\n\(key) = x\n", 0o600),
            ("[default]\napi_key = \(key)\nrate_limit = \(key)\nbase_url = https://x.example\n", 0o600),
            ("[default]\napi_key = \(key)\nbase_url = http://\(key).example\n", 0o600),
            ("[default]\napi_key = \(key)\nbase_url = https://u:\(key)@x.example\n", 0o600),
        ] {
            try text.write(toFile: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
            let error = try #require(throws: FlireoError.self) {
                try FlireoConfiguration.resolve(flags: .init(), environment: [:], configDirectory: directory)
            }
            assertClean(error)
        }
        let flagged = try #require(throws: FlireoError.self) {
            try FlireoConfiguration.resolve(flags: .init(baseURL: "https://x.example", apiKey: key, rateLimit: key),
                                            environment: [:], configDirectory: directory + "/none")
        }
        assertClean(flagged)
    }
}

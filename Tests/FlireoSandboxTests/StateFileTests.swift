import FlireoSandbox
import Foundation
import Testing

/// `--state FILE`: the whole state survives a restart; bad files are refused, never overwritten.
@Suite("State file")
struct StateFileTests {
    @Test("state saved on stop loads back: links, new assistants, orders, credits")
    func roundTrip() async throws {
        let path = temporaryPath("state.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let options = SandboxOptions(seed: 21, stateFile: path, orderCompletionSeconds: 0)
        let (before, links) = try await withSandbox(options) { sandbox, client in
            let marks = try landmarks(sandbox)
            _ = try await client.send(
                "POST", "/v1/assistants/\(try #require(marks.assistantWithoutNumber))/phone-number",
                json: ["phone_number_id": try #require(marks.defaultNumbers.first)]
            )
            _ = try await client.send("POST", "/v1/assistants", json: ["name": "Saved Line"])
            let available = try await client.send("GET", "/v1/phone-numbers/available?limit=1")
            let number = try #require(available.json?["data"]?[0]?["phone_number"]?.string)
            #expect(try await client.send("POST", "/v1/phone-numbers", json: ["phone_number": number]).status == 201)
            return (try await FixtureTests.dump(client), sandbox.links(forKey: sandbox.apiKeys[0]))
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        let siblings = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(!siblings.contains { $0.hasPrefix((path as NSString).lastPathComponent + ".tmp") })
        // Another seed on the command line: the file wins.
        try await withSandbox(SandboxOptions(seed: 99, stateFile: path)) { sandbox, client in
            #expect(sandbox.links(forKey: sandbox.apiKeys[0]) == links)
            let after = try await FixtureTests.dump(client)
            #expect(after == before)
            let credits = try landmarks(sandbox).credits
            #expect(credits == 90)
        }
    }

    @Test("POST /_sandbox/save writes at once; keys added later get fresh fixtures, saved ones keep theirs")
    func saveNowAndAddKeys() async throws {
        let path = temporaryPath("state.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let links = try await withSandbox(SandboxOptions(apiKeys: ["first"], stateFile: path)) { sandbox, client in
            _ = try await client.send("DELETE", "/v1/assistants/\(try #require(try landmarks(sandbox).assistantWithCustomNumber))/phone-number")
            let saved = try await client.send("POST", "/_sandbox/save")
            #expect(saved.status == 200)
            #expect(FileManager.default.fileExists(atPath: path))
            return sandbox.links(forKey: "first")
        }
        try await withSandbox(SandboxOptions(apiKeys: ["second"], stateFile: path)) { sandbox, _ in
            #expect(Set(sandbox.apiKeys) == ["first", "second"])
            #expect(sandbox.links(forKey: "first") == links)
            let second = try landmarks(sandbox, key: "second")
            #expect(second.assistantsOnDefaultNumber.count == 3)
        }
    }

    @Test("a corrupt or inconsistent state file is refused with a clear error and left as it was")
    func refusesBadFiles() async throws {
        let path = temporaryPath("state.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"format\": 1, \"seed\": ".write(toFile: path, atomically: true, encoding: .utf8)
        await #expect(throws: SandboxError.self) { try await Sandbox.start(SandboxOptions(stateFile: path)) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "{\"format\": 1, \"seed\": ")

        // A valid file made inconsistent: one custom number linked to two assistants.
        try FileManager.default.removeItem(atPath: path)
        try await withSandbox(SandboxOptions(stateFile: path)) { _, _ in }
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        var accounts = try #require(object["accounts"] as? [[String: Any]])
        var assistants = try #require(accounts[0]["assistants"] as? [[String: Any]])
        let taken = try #require(assistants.first { $0["phone_number_id"] is String && ($0["phone_number_id"] as? String).map { id in
            (accounts[0]["numbers"] as? [[String: Any]])?.contains { $0["id"] as? String == id } ?? false
        } ?? false }?["phone_number_id"])
        let freeIndex = try #require(assistants.firstIndex { $0["phone_number_id"] == nil || $0["phone_number_id"] is NSNull })
        assistants[freeIndex]["phone_number_id"] = taken
        accounts[0]["assistants"] = assistants
        var broken = object
        broken["accounts"] = accounts
        text = String(decoding: try JSONSerialization.data(withJSONObject: broken), as: UTF8.self)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try await Sandbox.start(SandboxOptions(stateFile: path))
            Issue.record("an inconsistent state file was accepted")
        } catch let error as SandboxError {
            #expect(error.message.contains(path))
            #expect(error.message.contains("linked twice"))
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("values arithmetic would trap on are refused, not served", arguments: [
        ("created_count", "-5", "negative"), ("assistants_per_account", "-1", "assistants_per_account"),
        ("created_at", "1e300", "timestamp"),
    ])
    func refusesAbsurdValues(field: String, value: String, expected: String) async throws {
        let path = temporaryPath("state.json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withSandbox(SandboxOptions(stateFile: path)) { _, _ in }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        // Every occurrence of the field gets the value (numbers only; the file's own layout).
        let pattern = try Regex("\"\(field)\"\\s*:\\s*-?[0-9.eE+]+")
        let broken = text.replacing(pattern, with: "\"\(field)\": \(value)")
        #expect(broken != text, "no \(field) in the state file")
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try await Sandbox.start(SandboxOptions(apiKeys: ["sk_another_key_0000000000"], stateFile: path))
            Issue.record("a state file with \(field) = \(value) was accepted")
        } catch let error as SandboxError {
            #expect(error.message.contains(expected), "\(error.message)")
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == broken)
    }
}

import Foundation
import Testing

@testable import FlireoREPL

@Suite struct HistoryTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flireo-history-\(UUID().uuidString)")
    }

    private func file(limit: Int = 1000) -> HistoryFile {
        HistoryFile(path: directory.appendingPathComponent("state/flireo/history").path, limit: limit)
    }

    @Test func appendsCreateTheFileWithMode0600AndNoLeftovers() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = file()
        try history.append(Array("x = 1".utf8))
        try history.append(Array("for i = 1, 2 do\nprint(i)\nend".utf8))
        try history.append(Array("back\\slash".utf8))
        let path = history.path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "x = 1\nfor i = 1, 2 do\\nprint(i)\\nend\nback\\\\slash\n")
        #expect(history.load().map { String(decoding: $0, as: UTF8.self) } == ["x = 1", "for i = 1, 2 do\nprint(i)\nend", "back\\slash"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: (path as NSString).deletingLastPathComponent)
        #expect(leftovers == ["history"])
    }

    @Test func theNewestEntriesAreKeptAndRepeatsSkipped() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = file(limit: 3)
        for line in ["a", "b", "b", "c", "d"] { try history.append(Array(line.utf8)) }
        #expect(history.load() == [Array("b".utf8), Array("c".utf8), Array("d".utf8)])
    }

    @Test func theFileStaysUnderItsSizeCap() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = HistoryFile(path: file().path, limit: 1000, maxBytes: 4 * 1024)
        let entry = [UInt8](repeating: UInt8(ascii: "x"), count: 1000)
        for index in 0..<10 { try history.append(entry + [UInt8(ascii: "0") + UInt8(index)]) }
        let size = try FileManager.default.attributesOfItem(atPath: history.path)[.size] as? NSNumber
        #expect((size?.intValue ?? 0) <= 4 * 1024)
        #expect(history.load() == (6...9).map { entry + [UInt8(ascii: "0") + UInt8($0)] })
    }

    @Test func bytesThatAreNotUTF8SurviveAndOtherSessionsAreKept() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = file()
        let second = file()
        try first.append([0x78, 0x20, 0xFF, 0xFE])
        try second.append(Array("from another session".utf8))
        try first.append(Array("again".utf8))
        #expect(first.load() == [[0x78, 0x20, 0xFF, 0xFE], Array("from another session".utf8), Array("again".utf8)])
    }

    @Test func aLooseModeIsTightenedAndAnUnwritableDirectoryIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = file()
        try FileManager.default.createDirectory(atPath: (history.path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: history.path, contents: Data("old\n".utf8), attributes: [.posixPermissions: 0o644])
        try history.append(Array("new".utf8))
        let attributes = try FileManager.default.attributesOfItem(atPath: history.path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(history.load() == [Array("old".utf8), Array("new".utf8)])
        let blocked = HistoryFile(path: history.path + "/inside-a-file/history", limit: 10)
        #expect(throws: HistoryFile.WriteError.self) { try blocked.append(Array("x".utf8)) }
        #expect(history.load() == [Array("old".utf8), Array("new".utf8)])
    }

    @Test func decodingIsTolerantOfHandEdits() {
        #expect(HistoryFile.decode(Array("a\\tb\\".utf8)) == Array("a\\tb\\".utf8))
        #expect(HistoryFile.decode(HistoryFile.encode(Array("x\n\\n".utf8))) == Array("x\n\\n".utf8))
    }

    @Test func thePolicyKeepsSecretsAndAPIKeyAssignmentsOut() {
        let policy = HistoryPolicy(secrets: ["sk-live-123456", ""])
        #expect(policy.allows(Array("x = 1".utf8)))
        #expect(!policy.allows(Array("key = \"sk-live-123456\"".utf8)))
        #expect(!policy.allows(Array("print(\"prefix-sk-live-123456-suffix\")".utf8)))
        for line in [
            "api_key = 'abc'", "cfg.api_key='abc'", "flireo.configure{API_KEY = x}", "t[\"api_key\"] = x",
            "json.decode('{\"api_key\": \"abc\"}')", "apikey=1", "os.getenv('x') local api-key =",
        ] {
            #expect(!policy.allows(Array(line.utf8)), "\(line)")
        }
        for line in ["if cfg.api_key == nil then end", "print(api_key)", "x = 'api'"] {
            #expect(policy.allows(Array(line.utf8)), "\(line)")
        }
        #expect(!policy.allows(Array("   ".utf8)))
        // A long key: any 12 of its characters in a row keep the line out.
        let long = HistoryPolicy(secrets: ["sk_live_SECRETKEY1234567890abcdef"])
        for line in ["k = 'sk_live_SECRETKEY1234567890abcde'", "k = 'sk_live_SECRETKEY' .. '1234567890abcdef'", "x = 'KEY1234567890ab'"] {
            #expect(!long.allows(Array(line.utf8)), "\(line)")
        }
        #expect(long.allows(Array("print('sk_live_')".utf8)))
        // In any letter case.
        #expect(!long.allows(Array("k = 'SK_LIVE_SECRETKEY1234567890ABCDEF'".utf8)))
        #expect(!long.allows(Array("k = 'secretkey123'".utf8)))
        // And whatever the host's scrub would mask.
        let scrubbed = HistoryPolicy(secrets: [], scrub: { $0.replacingOccurrences(of: "hidden", with: "[redacted]") })
        #expect(!scrubbed.allows(Array("x = 'hidden'".utf8)))
        #expect(scrubbed.allows(Array("x = 'shown'".utf8)))
        #expect(!policy.allows([UInt8](repeating: 0x61, count: HistoryFile.maxEntryBytes + 1)))
    }
}

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

    @Test func entriesAreAppendedInPlaceAndTheFileIsCompactedNowAndThen() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = file(limit: 8)
        func inode() throws -> Int {
            (try FileManager.default.attributesOfItem(atPath: history.path)[.systemFileNumber] as? NSNumber)?.intValue ?? -1
        }
        func lines() throws -> Int {
            try String(contentsOfFile: history.path, encoding: .utf8).split(separator: "\n").count
        }
        try history.append(Array("e0".utf8))
        let first = try inode()
        // A quarter of the limit (2 appends) between compactions: the second one rewrites.
        try history.append(Array("e1".utf8))
        #expect(try inode() != first)
        let compacted = try inode()
        try history.append(Array("e2".utf8))
        #expect(try inode() == compacted)
        for index in 3..<20 { try history.append(Array("e\(index)".utf8)) }
        // Never more than the limit plus the appends since the last compaction.
        #expect(try lines() <= 8 + 1)
        #expect(history.load() == (12..<20).map { Array("e\($0)".utf8) })
    }

    @Test func aRepeatFromAnotherSessionIsSkippedAndAHandEditedLastLineIsKept() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = file()
        let second = file()
        try first.append(Array("same".utf8))
        try second.append(Array("same".utf8))
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "same\n")
        // A file whose last line has no newline (an editor's save): the entry starts a line.
        try Data("same\nedited".utf8).write(to: URL(fileURLWithPath: first.path))
        try first.append(Array("next".utf8))
        #expect(try String(contentsOfFile: first.path, encoding: .utf8) == "same\nedited\nnext\n")
        try first.append(Array("ne".utf8))
        try first.append(Array("ne".utf8))
        #expect(first.load().suffix(2) == [Array("next".utf8), Array("ne".utf8)])
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

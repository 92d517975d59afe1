import Foundation
import Testing
import TestSupport

/// The Lua unit tests of the bulk modules (Tests/BulkTests/Lua/test_*.lua), each run by
/// the built `flireo` as a script: it prints `N passed, N failed` and exits non-zero on a
/// failure, naming it on stderr.
@Suite("Lua unit tests of flireo.csv, journal, bulk, links, apply and the script headers", .blocking)
struct LuaUnitTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Lua")

    @Test("test_*.lua passes", arguments: ["test_csv.lua", "test_journal.lua", "test_bulk.lua", "test_links.lua", "test_headers.lua", "test_apply.lua", "test_plan.lua"])
    func luaFile(_ name: String) throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("flireo-lua-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Flireo.binary())
        process.arguments = [Self.directory.appendingPathComponent(name).path]
        // No server is needed: the client is configured but never asked.
        process.environment = [
            "PATH": "/usr/bin:/bin", "HOME": scratch.path, "TEST_TMP": scratch.path,
            "XDG_CONFIG_HOME": scratch.path, "FLIREO_BASE_URL": "http://127.0.0.1:9", "FLIREO_API_KEY": "unused",
        ]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let errors = Workspace.Collected()
        err.fileHandleForReading.readabilityHandler = { errors.append(err: $0.availableData) }
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        err.fileHandleForReading.readabilityHandler = nil
        errors.append(err: err.fileHandleForReading.readDataToEndOfFile())
        #expect(process.terminationStatus == 0, "\(name): \(output)\(errors.err)")
        #expect(output.contains(" passed, 0 failed"), "\(name): \(output)")
    }
}

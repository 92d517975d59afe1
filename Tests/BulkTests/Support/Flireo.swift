import Foundation

/// Where the built `flireo` is, and a failure with a message for tests.
enum Flireo {
    /// The built `flireo` next to the test bundle (override with FLIREO_BINARY).
    static func binary() throws -> String {
        if let path = ProcessInfo.processInfo.environment["FLIREO_BINARY"] { return path }
        let candidates = [
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("flireo"),
            Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("flireo"),
            URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(".build/debug/flireo"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw TestFailure("flireo not built: run `swift build --product flireo`")
        }
        return found.path
    }
}

/// A test's own failure, with what went wrong.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

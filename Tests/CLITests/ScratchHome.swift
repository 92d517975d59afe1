import Foundation

/// A home directory of its own for one test: history, startup file and state stay in it.
struct ScratchHome {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("flireo-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// The environment of a process living in this home: a plain terminal, no colour.
    func environment(_ overrides: [String: String?] = [:]) -> [String: String] {
        var environment = [
            "PATH": "/usr/bin:/bin",
            "HOME": url.path,
            "TERM": "xterm",
            "XDG_STATE_HOME": url.appendingPathComponent("state").path,
            "XDG_CONFIG_HOME": url.appendingPathComponent("config").path,
            "NO_COLOR": "1",
        ]
        for (name, value) in overrides { environment[name] = value }
        return environment
    }

    /// `$XDG_STATE_HOME/flireo/history`.
    var historyPath: String { url.appendingPathComponent("state/flireo/history").path }

    /// Writes a file under the home.
    func write(_ relativePath: String, _ text: String) throws -> String {
        let file = url.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file.path
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}

import Foundation

/// A `flireo sandbox serve` subprocess, started and read until it listens.
public struct SandboxProcess {
    /// The running server.
    public let process: Process
    /// `http://127.0.0.1:PORT`, from the banner's `listening on` line.
    public let baseURL: String
    /// The server's standard output, drained in the background once the banner is read.
    public let output: Pipe

    /// Starts `binary sandbox serve arguments…` and waits (up to `timeout` seconds) for its
    /// `listening on URL` line; the server is terminated if that line never comes.
    public init(binary: String, arguments: [String], timeout: TimeInterval = 60) throws {
        process = Process()
        output = Pipe()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["sandbox", "serve"] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(timeout)
        while !text.contains("\n"), Date() < deadline {
            let data = output.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("listening on ") }) else {
            process.terminate()
            throw SandboxDidNotStart(output: text)
        }
        baseURL = String(line.dropFirst("listening on ".count))
        // At the end of the output (the server stopped) the handler is taken away: a handler
        // left on a pipe at its end is called again and again, and its dispatch source
        // outlives the server (a test process crashed in libdispatch's event loop).
        output.fileHandleForReading.readabilityHandler = { handle in
            if handle.availableData.isEmpty { handle.readabilityHandler = nil }
        }
    }
}

/// The sandbox exited or stayed silent before it listened.
public struct SandboxDidNotStart: Error, CustomStringConvertible {
    public let output: String
    public var description: String { "the sandbox did not start: \(output)" }
}

import Foundation
import TestSupport

/// Runs the built `flireo` binary (or any program) as a subprocess.
struct Subprocess {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `flireo` built next to this test bundle (override with FLIREO_BINARY).
    static var flireo: String {
        if let path = ProcessInfo.processInfo.environment["FLIREO_BINARY"] { return path }
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        return bundle.appendingPathComponent("flireo").path
    }

    /// A scratch directory for one test, removed by the caller when done.
    static func scratchDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("flireo-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Runs the built `flireo` with `arguments` (see the general form).
    static func run(
        _ arguments: [String], stdin: String? = nil, environment: [String: String] = [:],
        directory: URL? = nil, timeout: Double = 60, interruptAfter: Double? = nil,
        interruptOnOutput marker: String? = nil
    ) throws -> Result {
        try run(flireo, arguments, stdin: stdin, environment: environment, directory: directory,
                timeout: timeout, interruptAfter: interruptAfter, interruptOnOutput: marker)
    }

    /// Runs `program` with `arguments`, feeding `stdin`, and waits (killing it after `timeout`).
    static func run(
        _ program: String, _ arguments: [String], stdin: String? = nil,
        environment: [String: String] = [:], directory: URL? = nil, timeout: Double = 60,
        interruptAfter: Double? = nil, interruptOnOutput marker: String? = nil
    ) throws -> Result {
        // A script just written and made executable may be "busy" for a moment: another test's
        // child, forked while the file was open for writing, holds that descriptor until it
        // execs (ETXTBSY; a clean-clone run saw it). Starting again shortly is the known remedy.
        var attempt = 1
        while true {
            do {
                return try runOnce(program, arguments, stdin: stdin, environment: environment, directory: directory,
                                   timeout: timeout, interruptAfter: interruptAfter, interruptOnOutput: marker)
            } catch let error as NSError where attempt < 20
                && (error.userInfo[NSUnderlyingErrorKey] as? NSError)?.code == Int(ETXTBSY) {
                attempt += 1
                Thread.sleep(forTimeInterval: 0.05)
            }
        }
    }

    private static func runOnce(
        _ program: String, _ arguments: [String], stdin: String?, environment: [String: String], directory: URL?,
        timeout: Double, interruptAfter: Double?, interruptOnOutput marker: String?
    ) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program.contains("/") ? program : "/usr/bin/env")
        process.arguments = program.contains("/") ? arguments : [program] + arguments
        var env = ProcessInfo.processInfo.environment
        env["LUA_INIT"] = nil
        env["LUA_INIT_5_4"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        if let directory { process.currentDirectoryURL = directory }
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
        let outData = Box(), errData = Box()
        let group = DispatchGroup()
        for (pipe, box) in [(out, outData), (err, errData)] {
            group.enter()
            DispatchQueue.global().async {
                while true {
                    let chunk = pipe.fileHandleForReading.availableData
                    if chunk.isEmpty { break }
                    box.append(chunk)
                }
                group.leave()
            }
        }
        if let marker {
            // Interrupt once the program says it is ready (it has installed its handler by then).
            let ready = Date().addingTimeInterval(timeout)
            while !String(decoding: outData.snapshot, as: UTF8.self).contains(marker), process.isRunning, Date() < ready {
                Thread.sleep(forTimeInterval: 0.01)
            }
            Thread.sleep(forTimeInterval: interruptAfter ?? 0.1)
            kill(process.processIdentifier, SIGINT)
        } else if let interruptAfter {
            Thread.sleep(forTimeInterval: interruptAfter)
            kill(process.processIdentifier, SIGINT)
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.01) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        group.wait()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData.data, as: UTF8.self),
            stderr: String(decoding: errData.data, as: UTF8.self))
    }

    private final class Box: @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = Data()

        func append(_ chunk: Data) { lock.withLock { buffer.append(chunk) } }
        var snapshot: Data { lock.withLock { buffer } }
        var data: Data { snapshot }
    }
}

extension SandboxProcess {
    /// `flireo sandbox serve` on a free port with one key, for a test's subprocesses to use.
    static func serving(key: String) throws -> SandboxProcess {
        try SandboxProcess(binary: Subprocess.flireo, arguments: ["--port", "0", "--api-key", key], timeout: 30)
    }

    /// Stops the server and waits for it.
    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}

import Foundation

/// One test's world: a scratch directory (the current directory of the scripts, with a
/// config that turns client pacing off), a sandbox, and a way to run the shipped scripts
/// against it as subprocesses of the built `flireo`.
final class Workspace: @unchecked Sendable {
    let directory: URL
    let sandbox: SandboxServer

    /// What a finished script run printed and returned.
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// - Parameters: as for `SandboxServer`.
    init(keys: [String] = ["test-key"], seed: Int = 1, assistants: Int = 40, numbers: Int = 60, extra: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("flireo-bulk-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("config/flireo"),
                                                withIntermediateDirectories: true)
        try "[default]\nrate_limit = off\n".write(to: directory.appendingPathComponent("config/flireo/config"),
                                                  atomically: true, encoding: .utf8)
        sandbox = try SandboxServer(in: directory, keys: keys, seed: seed, assistants: assistants, numbers: numbers, extra: extra)
    }

    deinit {
        sandbox.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    /// The environment of a script run: this sandbox, this key, no pacing, no terminal.
    func environment(key: String? = nil) -> [String: String] {
        [
            "PATH": "/usr/bin:/bin",
            "HOME": directory.path,
            "XDG_CONFIG_HOME": directory.appendingPathComponent("config").path,
            "XDG_STATE_HOME": directory.appendingPathComponent("state").path,
            "FLIREO_BASE_URL": sandbox.baseURL,
            "FLIREO_API_KEY": key ?? sandbox.keys[0],
            "NO_COLOR": "1",
        ]
    }

    /// A process running `flireo run NAME args…` in the scratch directory (not started).
    func process(_ arguments: [String], key: String? = nil, stdin: FileHandle? = nil,
                 environment extra: [String: String] = [:]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try Flireo.binary())
        process.arguments = ["run"] + arguments
        process.environment = environment(key: key).merging(extra) { $1 }
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = stdin ?? FileHandle.nullDevice
        return (process, out, err)
    }

    /// Runs `program arguments…` (a wrapper around flireo: `script`, `sh -c`) in the scratch
    /// directory with a script run's environment and no stdin, to its end.
    /// - Returns: the exit status and what it wrote on `descriptor` (1 or 2; the other goes nowhere).
    func runProgram(_ program: String, _ arguments: [String], capturing descriptor: Int32) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: program)
        process.arguments = arguments
        process.environment = environment()
        process.currentDirectoryURL = directory
        let pipe = Pipe()
        process.standardOutput = descriptor == 1 ? pipe : FileHandle.nullDevice
        process.standardError = descriptor == 2 ? pipe : FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }

    /// Runs `flireo run NAME args…` to the end (killed after `timeout` seconds).
    @discardableResult
    func run(_ arguments: [String], key: String? = nil, environment: [String: String] = [:], stdin: FileHandle? = nil,
             timeout: Double = 180) throws -> Result {
        let (process, out, err) = try self.process(arguments, key: key, stdin: stdin, environment: environment)
        let collected = Collected()
        out.fileHandleForReading.readabilityHandler = { collected.append(out: $0.availableData) }
        err.fileHandleForReading.readabilityHandler = { collected.append(err: $0.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        out.fileHandleForReading.readabilityHandler = nil
        err.fileHandleForReading.readabilityHandler = nil
        collected.append(out: out.fileHandleForReading.readDataToEndOfFile())
        collected.append(err: err.fileHandleForReading.readDataToEndOfFile())
        return Result(status: process.terminationStatus, stdout: collected.out, stderr: collected.err)
    }

    /// Collects a subprocess's output from the pipes' handlers.
    final class Collected: @unchecked Sendable {
        private let lock = NSLock()
        private var outData = Data(), errData = Data()
        func append(out data: Data) { lock.withLock { outData.append(data) } }
        func append(err data: Data) { lock.withLock { errData.append(data) } }
        var out: String { lock.withLock { String(decoding: outData, as: UTF8.self) } }
        var err: String { lock.withLock { String(decoding: errData, as: UTF8.self) } }
    }

    /// Writes a file in the scratch directory and returns its name.
    @discardableResult
    func write(_ name: String, _ text: String) throws -> String {
        try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        return name
    }

    /// Writes raw bytes in the scratch directory.
    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: directory.appendingPathComponent(name))
    }

    /// Reads a file of the scratch directory.
    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(name)), as: UTF8.self)
    }

    /// Whether a file exists in the scratch directory.
    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(name).path)
    }

    /// The journal's records, decoded (a torn last line is left out).
    func journal(_ name: String) throws -> [[String: Any]] {
        try read(name).split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }
}

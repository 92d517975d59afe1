import ArgumentParser
import Foundation

/// `flireo sandbox …`: the standalone sandbox server's command line.
public enum SandboxCommand {
    /// Runs `flireo sandbox <arguments>` and returns the process exit code.
    /// - Parameter arguments: The arguments after `sandbox`.
    /// - Returns: 0 on success (and for `--help`), non-zero on a usage error or a failed start or save.
    public static func run(arguments: [String]) async -> Int32 {
        do {
            var command = try SandboxRootCommand.parseAsRoot(arguments)
            if let serve = command as? ServeCommand {
                return await serve.execute()
            }
            // The root and the built-in help command only print help: they throw CleanExit.
            try command.run()
            return 0
        } catch {
            let code = SandboxRootCommand.exitCode(for: error)
            let message = SandboxRootCommand.fullMessage(for: error)
            write(message + "\n", to: code == .success ? .standardOutput : .standardError)
            return code.rawValue
        }
    }

    /// Writes unbuffered, so a parent reading through a pipe sees each line at once.
    static func write(_ text: String, to handle: FileHandle) {
        handle.write(Data(text.utf8))
    }
}

/// The `flireo sandbox` command tree.
struct SandboxRootCommand: ParsableCommand {
    /// Without a subcommand: the help screen.
    func run() throws {
        throw CleanExit.helpRequest(self)
    }

    static let configuration = CommandConfiguration(
        commandName: "flireo sandbox",
        abstract: "A local Flireo-compatible API server with deterministic fixtures and fault injection.",
        discussion: """
        Every rule of the Flireo API is implemented; data is generated from --seed. Besides /v1, \
        /_sandbox/stats, /_sandbox/faults, /_sandbox/reset, /_sandbox/fixture and /_sandbox/links \
        serve tests and rehearsals.
        """,
        subcommands: [ServeCommand.self]
    )
}

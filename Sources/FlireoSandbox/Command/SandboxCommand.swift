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
            // Help that cannot be written (a full disk) is a failure, said on stderr.
            guard write(message + "\n", to: code == .success ? .standardOutput : .standardError) || code != .success else {
                write("flireo sandbox: cannot write standard output\n", to: .standardError)
                return 1
            }
            return code.rawValue
        }
    }

    /// Writes unbuffered, so a parent reading through a pipe sees each line at once.
    /// - Returns: whether it was written (not on a full disk or a closed pipe).
    @discardableResult
    static func write(_ text: String, to handle: FileHandle) -> Bool {
        // (FileHandle.write(_: Data) traps on a failed write; this one throws.)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            return true
        } catch {
            return false
        }
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
        Every rule of the Flireo API is implemented; an account's data is generated from --seed and \
        its key. Besides /v1, for tests and rehearsals: GET and DELETE /_sandbox/stats; GET and PUT \
        /_sandbox/faults (a JSON object of the fields to change, Content-Type: application/json); \
        POST /_sandbox/reset; POST /_sandbox/save; and, with the account's Authorization: Bearer key, \
        GET /_sandbox/fixture, GET /_sandbox/links, PUT /_sandbox/credits ({"credits": N}) and PUT \
        /_sandbox/verification-groups/ID/status ({"status": "approved"}).
        """,
        subcommands: [ServeCommand.self]
    )
}

#if canImport(Glibc)
import Glibc
#endif
import FlireoSandbox

/// The words that are subcommands rather than script names (`./run` runs a file called
/// `run`).
enum Subcommand: String {
    case sandbox
    case run
    case scripts
    case help

    /// Runs the subcommand and returns the exit code.
    func run(_ arguments: [String]) -> Int32 {
        switch self {
        case .sandbox:
            return blockingAwait { await SandboxCommand.run(arguments: arguments) }
        case .help:
            Output.out(Usage.help)
            return 0
        case .run:
            return ShippedScripts.run(program: CommandLine.arguments[0], arguments)
        case .scripts:
            return ShippedScripts.list()
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI
import FlireoLua
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
            // `flireo help run`, `flireo help sandbox`: that subcommand's own help.
            let topic = arguments.first == "run" && arguments.count > 1 ? arguments[1] : arguments.first
            switch topic {
            case "run": return ShippedScripts.run(program: CommandLine.arguments[0], ["--help"])
            case "sandbox": return Subcommand.sandbox.run(["serve", "--help"])
            case "scripts": return ShippedScripts.list()
            case let name? where FlireoStdlib.scripts[name] != nil:
                return ShippedScripts.run(program: CommandLine.arguments[0], [name, "--help"])
            case nil:
                Output.out(Usage.help)
                return 0
            case let unknown?:
                let shown = KnownSecrets.occur(in: unknown) ? "(a word that holds the API key, not shown)" : "'\(unknown)'"
                Output.err("flireo help: no help on \(shown): the topics are run, sandbox, scripts and the scripts' names\n"
                    + ShippedScripts.listing(heading: "Scripts:"))
                return 2
            }
        case .run:
            return ShippedScripts.run(program: CommandLine.arguments[0], arguments)
        case .scripts:
            if arguments == ["--help"] || arguments == ["-h"] {
                Output.out("Usage: flireo scripts\n  Lists the shipped scripts, one line each; `flireo run NAME --help` shows one's usage.\n")
                return 0
            }
            guard arguments.isEmpty else {
                // `flireo scripts audit`: the user wants that one's help, most likely.
                Output.err("flireo scripts: takes no arguments (for one script's usage: flireo run NAME --help)\n")
                return 2
            }
            return ShippedScripts.list()
        }
    }
}

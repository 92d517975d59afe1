// Placeholder entry point; the lua-compatible command line is built by the foundation issue.
#if canImport(Glibc)
import Glibc
#endif
import FlireoSandbox

let arguments = CommandLine.arguments
if arguments.count > 1, arguments[1] == "sandbox" {
    exit(await SandboxCommand.run(arguments: Array(arguments.dropFirst(2))))
}
print("flireo: not built yet")

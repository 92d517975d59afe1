// flireo: a Lua 5.4 interpreter whose standard library is the Flireo AI API.
//
// `flireo [options] [script [args]]` behaves as `lua`; a few words are subcommands.
#if canImport(Glibc)
import Glibc
#endif

let arguments = CommandLine.arguments
if arguments.count > 1, let subcommand = Subcommand(rawValue: arguments[1]) {
    exit(subcommand.run(Array(arguments.dropFirst(2))))
}
exit(LuaInterpreter(argv: arguments).run())

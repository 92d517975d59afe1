// flireo: a Lua 5.4 interpreter whose standard library is the Flireo AI API.
//
// `flireo [options] [script [args]]` behaves as `lua`; a few words are subcommands.
#if canImport(Glibc)
import Glibc
#endif

// A parent may have left these blocked (Foundation's Process does): Ctrl-C and kill
// must reach flireo whatever launched it.
var unblocked = sigset_t()
sigemptyset(&unblocked)
for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblocked, signal) }
sigprocmask(SIG_UNBLOCK, &unblocked, nil)

let arguments = CommandLine.arguments
if arguments.count > 1, let subcommand = Subcommand(rawValue: arguments[1]) {
    exit(subcommand.run(Array(arguments.dropFirst(2))))
}
// `flireo --sandbox run NAME …` is `flireo run --sandbox NAME …`: the options are the run's.
let (leading, rest) = FlireoFlags.leadingOptions(arguments.dropFirst())
if !leading.isEmpty, arguments.dropFirst(1 + leading.count).first == Subcommand.run.rawValue, !leading.contains("--help"), !leading.contains("--version") {
    exit(Subcommand.run.run(leading + rest.dropFirst()))
}
exit(LuaInterpreter(argv: arguments).run())

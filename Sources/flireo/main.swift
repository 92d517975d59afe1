// flireo: a Lua 5.4 interpreter whose standard library is the Flireo AI API.
//
// `flireo [options] [script [args]]` behaves as `lua`; a few words are subcommands.
#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI

// A parent may have left these blocked (Foundation's Process does): Ctrl-C and kill
// must reach flireo whatever launched it.
var unblocked = sigset_t()
sigemptyset(&unblocked)
for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&unblocked, signal) }
sigprocmask(SIG_UNBLOCK, &unblocked, nil)

// The environment's key is never quoted back, even by a flag's error before it is read.
if let key = getenv("FLIREO_API_KEY") { KnownSecrets.remember(String(cString: key)) }

let arguments = CommandLine.arguments
let subcommand = arguments.count > 1 ? Subcommand(rawValue: arguments[1]) : nil
// A client's tasks resume on the event loop that read their response (set before any
// task exists). `flireo sandbox` serves only, and Hummingbird's handlers run faster on
// Swift's own pool (BENCHMARKS.md, issue 3).
if subcommand != .sandbox {
    EventLoopExecutor.adopt()
}
if let subcommand {
    exit(Output.finish(subcommand.run(Array(arguments.dropFirst(2)))))
}
// `flireo --sandbox run NAME …` is `flireo run --sandbox NAME …`: the options are the run's.
let (leading, rest) = FlireoFlags.leadingOptions(arguments.dropFirst())
if !leading.isEmpty, arguments.dropFirst(1 + leading.count).first == Subcommand.run.rawValue, !leading.contains("--help"), !leading.contains("--version") {
    exit(Output.finish(Subcommand.run.run(leading + rest.dropFirst())))
}
exit(Output.finish(LuaInterpreter(argv: arguments).run()))

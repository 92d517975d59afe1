// flireo-bench: the project's benchmarks (BENCHMARKS.md).
//
//   flireo-bench http [--seconds 5] [--rounds 3] [--concurrency 32] [--url URL]
//       Measures the FlireoAPI client (pacing off) against one local endpoint: sequential
//       GETs, N concurrent GETs awaited from tasks and N kept in flight with start(), next
//       to wrk on the same endpoint in the same run.
//       Without --url the endpoint is served in this process (Hummingbird on 127.0.0.1).
//   flireo-bench links --url URL --key KEY --ids FILE --number ID [--server-pid PID] [--seconds 5] [--rounds 3]
//       The HTTP core alone on the Lua module's benchmark (issue 5): links kept in flight with
//       FlireoClient.start against the sandbox, next to wrk with Benchmarks/sandbox/link.lua
//       (run from the repository's root); with --server-pid, the sandbox's CPU per link too.
//   flireo-bench lua-calls [--calls 10000000] [--rounds 5]
//       The call rate of a Swift-backed no-op function next to a C function of Lua's own
//       library (rawlen), in the same loop shape and the same state.
//   flireo-bench http-serve [--port 8088]
//       Serves only the endpoint, so the client can be measured from another process.
#if canImport(Glibc)
import Glibc
#endif
import FlireoAPI

let arguments = Array(CommandLine.arguments.dropFirst())
// The client runs as in flireo: Swift concurrency on the HTTP client's event loops
// (FLIREO_EXECUTOR=default measures Swift's own pool instead). A server keeps Swift's
// pool, as `flireo sandbox` does, so the reference is not slowed down with the client.
if arguments.first == "http" || arguments.first == "links" {
    let adopted = EventLoopExecutor.adopt()
    print("Swift concurrency runs on \(adopted ? "the HTTP client's event loops" : "Swift's own pool")")
}
do {
    switch arguments.first {
    case "http":
        try await HTTPBenchmark(options: BenchOptions(Array(arguments.dropFirst()))).run()
    case "links":
        try await LinkBenchmark(options: BenchOptions(Array(arguments.dropFirst()))).run()
    case "lua-calls":
        try LuaCallBenchmark.run(Array(arguments.dropFirst()))
    case "http-serve":
        let options = try BenchOptions(Array(arguments.dropFirst()))
        let server = try await BenchServer.start(port: options.port)
        print("serving \(server.endpointURL)")
        try await server.wait()
    default:
        print("usage: flireo-bench http [--seconds S] [--rounds R] [--concurrency N] [--url URL] | links --url URL --key KEY --ids FILE --number ID [--server-pid PID] | lua-calls [--calls N] [--rounds R] | http-serve [--port P]")
        exit(2)
    }
} catch {
    print("flireo-bench: \(error)")
    exit(1)
}

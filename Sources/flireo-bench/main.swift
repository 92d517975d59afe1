// flireo-bench: the project's benchmarks (BENCHMARKS.md).
//
//   flireo-bench http [--seconds 5] [--rounds 3] [--concurrency 32] [--url URL]
//       Measures the FlireoAPI client (pacing off) against one local endpoint: sequential
//       GETs and N concurrent GETs, next to wrk on the same endpoint in the same run.
//       Without --url the endpoint is served in this process (Hummingbird on 127.0.0.1).
//   flireo-bench http-serve [--port 8088]
//       Serves only the endpoint, so the client can be measured from another process.
#if canImport(Glibc)
import Glibc
#endif

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "http":
        try await HTTPBenchmark(options: BenchOptions(Array(arguments.dropFirst()))).run()
    case "http-serve":
        let options = try BenchOptions(Array(arguments.dropFirst()))
        let server = try await BenchServer.start(port: options.port)
        print("serving \(server.endpointURL)")
        try await server.wait()
    default:
        print("usage: flireo-bench http [--seconds S] [--rounds R] [--concurrency N] [--url URL] | http-serve [--port P]")
        exit(2)
    }
} catch {
    print("flireo-bench: \(error)")
    exit(1)
}

#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOPosix

/// Where Swift concurrency runs in the flireo binaries.
public enum EventLoopExecutor {
    /// Makes the HTTP client's event loops (NIO's process-wide group, which
    /// ``SharedHTTPClient`` uses) Swift concurrency's global executor, so a task that
    /// awaits a response resumes on the event loop that read it instead of hopping to
    /// the cooperative pool's threads and back (BENCHMARKS.md, issue 3: about a fifth
    /// less CPU per request).
    ///
    /// Call it first thing on the main thread, before any task exists, and only from a
    /// binary whose tasks never block a thread (flireo blocks only its own threads: the
    /// Lua thread and the line readers). `FLIREO_EXECUTOR=default` in the environment
    /// keeps Swift's own pool.
    /// - Returns: whether the event loops now run Swift concurrency.
    @discardableResult
    public static func adopt() -> Bool {
        if let choice = getenv("FLIREO_EXECUTOR"), String(cString: choice) == "default" { return false }
        return NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }
}

// Placeholder: the sandbox is built by its own issue (see DESIGN.md).

/// `flireo sandbox …`: the standalone sandbox server's command line.
public enum SandboxCommand {
    /// Runs `flireo sandbox <arguments>` and returns the process exit code.
    public static func run(arguments: [String]) async -> Int32 {
        FileHandleStderr.write("flireo sandbox: not built yet\n")
        return 1
    }
}

enum FileHandleStderr {
    static func write(_ s: String) {
        var s = s
        s.withUTF8 { _ = Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
#if canImport(Glibc)
import Glibc
#endif

#if canImport(Glibc)
import Glibc
#endif
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import UnixSignals

/// A running sandbox server on a loopback port: start it, point a client at `baseURL` with
/// one of `apiKeys`, stop it. Used by `flireo --sandbox`, `flireo sandbox serve` and tests.
///
/// ```swift
/// let sandbox = try await Sandbox.start(SandboxOptions(seed: 7))
/// defer { Task { await sandbox.stop() } }
/// print(sandbox.baseURL, sandbox.apiKeys[0])
/// ```
public final class Sandbox: Sendable {
    /// The bound host.
    public let host: String
    /// The bound port (the real one when asked for port 0).
    public let port: Int
    /// The keys it serves, one account each.
    public let apiKeys: [String]
    /// The state file it saves to on stop, if any.
    public let stateFile: String?

    let control: SandboxControl
    private let serviceGroup: ServiceGroup
    private let serverTask: Task<Void, Never>
    private let saveError: NIOLockedValueBox<SandboxError?>

    /// `http://HOST:PORT` (IPv6 hosts in brackets).
    public var baseURL: String {
        host.contains(":") ? "http://[\(host)]:\(port)" : "http://\(host):\(port)"
    }

    /// Starts a sandbox and returns once it accepts connections.
    /// - Parameter options: What to serve.
    /// - Returns: The running sandbox.
    /// - Throws: `SandboxError` for bad options, an unusable state file or an address that cannot be bound.
    public static func start(_ options: SandboxOptions = SandboxOptions()) async throws -> Sandbox {
        try await start(options, shutdownSignals: [])
    }

    /// Starts a sandbox that also stops on the given signals (the standalone server).
    static func start(_ options: SandboxOptions, shutdownSignals: [UnixSignal]) async throws(SandboxError) -> Sandbox {
        try options.validate()
        let store = try makeStore(options)
        let control = SandboxControl(store: store, faults: options.faults, seed: options.seed, stateFile: options.stateFile)
        var logger = Logger(label: "flireo.sandbox", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = options.logRequests ? .info : .error
        let startup = StartupSignal()
        let app = Application(
            router: SandboxRouter.make(control, logRequests: options.logRequests),
            configuration: .init(address: .hostname(options.host, port: options.port), serverName: "flireo-sandbox"),
            onServerRunning: { channel in startup.succeed(channel.localAddress?.port ?? options.port) },
            logger: logger
        )
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: shutdownSignals, logger: logger))
        let saveError = NIOLockedValueBox<SandboxError?>(nil)
        let serverTask = Task {
            do {
                try await group.run()
                startup.fail(SandboxError("the server stopped before it started"))
            } catch {
                // NIO's own text names its call ("bind(descriptor:ptr:bytes:): …"): the reason in words.
                let reason = (error as? IOError).map { String(cString: strerror($0.errnoCode)).lowercased() } ?? "\(error)"
                startup.fail(SandboxError("cannot serve on \(options.host):\(options.port): \(reason)"))
            }
            // Saved here, after the last request finished: every way of stopping passes through.
            do throws(SandboxError) {
                try control.saveState()
            } catch {
                saveError.withLockedValue { $0 = error }
            }
        }
        let port: Int
        do {
            port = try await startup.wait()
        } catch {
            await serverTask.value
            throw error
        }
        return Sandbox(
            host: options.host, port: port, apiKeys: store.apiKeys, stateFile: options.stateFile,
            control: control, serviceGroup: group, serverTask: serverTask, saveError: saveError
        )
    }

    private init(
        host: String, port: Int, apiKeys: [String], stateFile: String?, control: SandboxControl,
        serviceGroup: ServiceGroup, serverTask: Task<Void, Never>, saveError: NIOLockedValueBox<SandboxError?>
    ) {
        self.host = host
        self.port = port
        self.apiKeys = apiKeys
        self.stateFile = stateFile
        self.control = control
        self.serviceGroup = serviceGroup
        self.serverTask = serverTask
        self.saveError = saveError
    }

    /// Stops accepting connections, finishes requests in flight, saves the state file.
    /// Safe to call more than once.
    public func stop() async {
        await serviceGroup.triggerGracefulShutdown()
        await serverTask.value
    }

    /// Waits until the server stops (by `stop()` or a shutdown signal).
    /// - Returns: The error of the final state save, if it failed.
    func waitUntilStopped() async -> SandboxError? {
        await serverTask.value
        return saveError.withLockedValue { $0 }
    }

    private static func makeStore(_ options: SandboxOptions) throws(SandboxError) -> MemoryStore {
        let timing = MemoryStore.Timing(orderCompletion: options.orderCompletionSeconds, groupApproval: options.groupApprovalSeconds)
        if let path = options.stateFile, let state = try StateFile.load(path) {
            let keys = options.apiKeys.isEmpty && !state.accounts.contains(where: { $0.apiKey != nil }) ? [SandboxOptions.defaultAPIKey] : options.apiKeys
            do {
                return try MemoryStore(state: state, apiKeys: keys, timing: timing)
            } catch {
                throw SandboxError("state file \(path) cannot be used: \(error.description)")
            }
        }
        let spec = FixtureSpec(seed: options.seed, assistants: options.assistants, numbers: options.numbers)
        return MemoryStore(spec: spec, apiKeys: options.apiKeys.isEmpty ? [SandboxOptions.defaultAPIKey] : options.apiKeys, timing: timing)
    }
}

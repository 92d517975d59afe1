/// The run-time knobs shared by the middlewares, the control routes and the `Sandbox` object.
final class SandboxControl: Sendable {
    let store: MemoryStore
    let recorder: StatsRecorder
    let injector: FaultInjector
    let limiter: RateLimiter
    /// The `--state` file, if any.
    let stateFile: String?

    init(store: MemoryStore, faults: SandboxFaults, seed: UInt64, stateFile: String?) {
        self.store = store
        self.recorder = StatsRecorder()
        self.injector = FaultInjector(faults: faults, seed: seed)
        self.limiter = RateLimiter(accounts: store.accounts.count, limit: faults.rateLimit)
        self.stateFile = stateFile
    }

    /// The faults in force.
    var faults: SandboxFaults {
        var faults = injector.faults
        faults.rateLimit = limiter.limit
        return faults
    }

    /// Replaces the faults (restarting the fault sequence and the rate windows).
    func setFaults(_ faults: SandboxFaults) {
        injector.set(faults)
        limiter.limit = faults.rateLimit
    }

    /// How many API keys the sandbox serves.
    var apiKeyCount: Int { store.apiKeys.count }

    /// Writes the whole state to the state file (nothing without one).
    /// - Throws: `SandboxError` when writing fails.
    func saveState() throws(SandboxError) {
        guard let stateFile else { return }
        try StateFile.save(store.snapshot(), to: stateFile)
    }
}

/// Reading and steering a running sandbox from Swift (the same as the `/_sandbox` routes).
extension Sandbox {
    /// Requests served so far, per route and status, and the concurrency seen.
    public func stats() -> SandboxStats {
        control.recorder.snapshot
    }

    /// Zeroes the stats.
    public func resetStats() {
        control.recorder.reset()
    }

    /// The faults in force.
    public var faults: SandboxFaults {
        control.faults
    }

    /// Replaces the faults; the fault sequence and the rate-limit windows start over.
    /// - Parameter faults: The new faults.
    /// - Throws: `SandboxError` when a value is out of range (nothing changes then).
    public func setFaults(_ faults: SandboxFaults) throws {
        try faults.validate()
        control.setFaults(faults)
    }

    /// Regenerates every account's data from the seed (keys unchanged).
    public func reset() {
        control.store.reset()
        control.limiter.reset()
    }

    /// Ids worth knowing in the account of `key` (see `SandboxLandmarks`).
    /// - Parameter key: An API key of this sandbox.
    /// - Returns: The landmarks, or nil for an unknown key.
    public func landmarks(forKey key: String) -> SandboxLandmarks? {
        control.store.authenticate(apiKey: Substring(key)).map(control.store.landmarks)
    }

    /// The whole link table of the account of `key`, in assistant listing order.
    /// - Parameter key: An API key of this sandbox.
    /// - Returns: The links, or nil for an unknown key.
    public func links(forKey key: String) -> [SandboxLink]? {
        control.store.authenticate(apiKey: Substring(key)).map(control.store.links)
    }

    /// Saves the state file now (it is also saved on stop).
    /// - Throws: `SandboxError` when writing fails.
    public func saveState() throws {
        try control.saveState()
    }
}

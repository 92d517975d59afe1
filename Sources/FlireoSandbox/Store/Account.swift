import NIOConcurrencyHelpers

/// One account's state behind its own lock: requests of different keys never contend.
final class Account: Sendable {
    private let state: NIOLockedValueBox<AccountState>

    /// Wraps a state.
    init(_ state: AccountState) {
        self.state = NIOLockedValueBox(state)
    }

    /// Reads or changes the state under the lock. Keep the body short: no I/O, no awaiting.
    /// - Parameter body: The work.
    /// - Returns: What `body` returns.
    /// - Throws: What `body` throws (changes made before the throw stay).
    func with<Result, Failure: Error>(_ body: (inout AccountState) throws(Failure) -> Result) throws(Failure) -> Result {
        // NIOLockedValueBox's closure is untyped-throws; carry the typed error through a Result.
        let outcome: Swift.Result<Result, Failure> = state.withLockedValue { value in
            do throws(Failure) {
                return .success(try body(&value))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Like `with`, after settling orders and approvals that are due.
    func settled<Result, Failure: Error>(_ body: (inout AccountState) throws(Failure) -> Result) throws(Failure) -> Result {
        let now = WallClock.now()
        return try with { (value: inout AccountState) throws(Failure) -> Result in
            value.settle(now: now)
            return try body(&value)
        }
    }

    /// Replaces the whole state.
    func replace(with newState: AccountState) {
        state.withLockedValue { $0 = newState }
    }
}

import Foundation

/// Runs `body` on a thread of its own and awaits its result without blocking the caller.
///
/// A Lua thread blocks while it waits for its operations, which run on Swift's
/// cooperative pool; tests run on that pool too, so a test must never be the Lua
/// thread itself (in `flireo` the Lua thread is the process's main thread).
public func onLuaThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try body())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.stackSize = 8 << 20
        thread.start()
    }
}

import Synchronization

/// A one-shot answer handed from one thread to another.
final class Reply<Value: Sendable>: Sendable {
    private let slot = Mutex<Value?>(nil)

    /// Stores the answer.
    func set(_ value: Value) {
        slot.withLock { $0 = value }
    }

    /// The answer, once set.
    var value: Value? { slot.withLock { $0 } }
}

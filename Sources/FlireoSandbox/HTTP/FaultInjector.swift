import NIOConcurrencyHelpers

/// Decides, per request, which faults to inject. One seeded generator under a lock: a
/// sequential client sees the same decisions for the same seed.
final class FaultInjector: Sendable {
    /// When a fault strikes relative to the change a mutation makes.
    enum Phase: Sendable, Equatable {
        case beforeChange, afterChange
    }

    /// What to do to one request.
    struct Plan: Sendable, Equatable {
        var delayMilliseconds = 0
        var drop: Phase?
        var fail: Phase?
        /// 500 (JSON envelope) or 503 (an HTML page, as a proxy would send).
        var failStatus = 500

        static let clean = Plan()
    }

    private struct State {
        var faults: SandboxFaults
        var generator: SplitMix64
    }

    private let state: NIOLockedValueBox<State>
    private let seed: UInt64

    /// An injector.
    /// - Parameters:
    ///   - faults: The initial faults.
    ///   - seed: The sandbox's seed.
    init(faults: SandboxFaults, seed: UInt64) {
        self.seed = seed
        self.state = NIOLockedValueBox(State(faults: faults, generator: SplitMix64(mixing: seed, 0xFA17)))
    }

    /// The current faults.
    var faults: SandboxFaults {
        state.withLockedValue { $0.faults }
    }

    /// Replaces the faults and restarts the generator, so a test that sets faults gets the
    /// same sequence every time.
    func set(_ faults: SandboxFaults) {
        state.withLockedValue { $0 = State(faults: faults, generator: SplitMix64(mixing: seed, 0xFA17)) }
    }

    /// Draws the plan for one request (always four draws, so decisions never shift).
    /// - Parameter isMutation: Whether the request changes state (only then can a fault come after the change).
    /// - Returns: The plan.
    func plan(isMutation: Bool) -> Plan {
        state.withLockedValue { state in
            let faults = state.faults
            guard faults.injectsFaults else { return .clean }
            let roll = state.generator.unit()
            let phaseRoll = state.generator.next() & 1 == 0
            let statusRoll = state.generator.next() & 1 == 0
            let jitterRoll = state.generator.unit()
            let phase: Phase = isMutation && !phaseRoll ? .afterChange : .beforeChange
            var plan = Plan()
            let jitter = Double(faults.latencyJitterMilliseconds) * (2 * jitterRoll - 1)
            plan.delayMilliseconds = max(0, faults.latencyMilliseconds + Int(jitter.rounded()))
            if roll < faults.dropRate {
                plan.drop = phase
            } else if roll < faults.dropRate + faults.failRate {
                plan.fail = phase
                plan.failStatus = statusRoll ? 500 : 503
            }
            return plan
        }
    }
}

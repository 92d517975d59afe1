/// SplitMix64: a tiny, fast, well-mixed PRNG whose whole state is one word.
///
/// Used for fixtures and fault draws because the same seed must give the same data on
/// every platform and Swift version (the standard library's generator promises neither).
struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Creates a generator from a seed.
    /// - Parameter seed: Any value; equal seeds give equal sequences.
    init(seed: UInt64) {
        self.state = seed
    }

    /// Creates a generator from several values mixed together (seed, account, purpose).
    /// - Parameter parts: The values to mix, in order.
    init(mixing parts: UInt64...) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for part in parts {
            state = Self.mix(state ^ part)
        }
        self.state = state
    }

    /// Returns the next 64 random bits.
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform draw in `0..<bound` (bound > 0), by multiply-shift (bias is negligible here).
    /// - Parameter bound: The exclusive upper bound.
    /// - Returns: The draw.
    mutating func below(_ bound: Int) -> Int {
        Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// A uniform draw in `[0, 1)` with 53 bits of precision.
    mutating func unit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Picks one element of a non-empty array.
    /// - Parameter items: The candidates.
    /// - Returns: One of them.
    mutating func pick<T>(_ items: [T]) -> T {
        items[below(items.count)]
    }

    /// A fresh random identifier.
    mutating func id() -> SandboxID {
        SandboxID(random: next(), next())
    }

    /// The SplitMix64 finaliser.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stable 64-bit hash of a string (FNV-1a, then mixed), for deriving per-key seeds.
    /// - Parameter text: The string to hash.
    /// - Returns: The hash.
    static func hash(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return mix(hash)
    }
}

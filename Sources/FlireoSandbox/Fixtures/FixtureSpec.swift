/// What fixtures to generate: the same spec always gives the same data.
struct FixtureSpec: Sendable, Equatable {
    /// The seed everything derives from.
    var seed: UInt64
    /// Assistants per account.
    var assistants: Int
    /// Custom numbers per account.
    var numbers: Int
    /// Credits each account starts with.
    var credits: Int = 100

    /// The most numbers all accounts together may have (the subscriber space of the generator).
    static let numberCapacity = 6_000_000
    /// Size of the hidden account that owns the numbers other keys may not use.
    static let hiddenAssistants = 4
    static let hiddenNumbers = 6
    /// How many shared default numbers the platform has.
    static let defaultNumberCount = 3
    /// 2024-01-01T00:00:00Z: fixture objects are created during the year that follows.
    static let epoch: Double = 1_704_067_200
}

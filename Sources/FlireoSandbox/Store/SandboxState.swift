/// The whole sandbox as the `--state` file holds it.
struct SandboxState: Codable, Sendable, Equatable {
    /// Bumped when the layout changes incompatibly.
    static let currentFormat = 1

    var format: Int
    /// The fixture spec the data was generated from (reused for keys added later and for reset).
    var seed: UInt64
    var assistantsPerAccount: Int
    var numbersPerAccount: Int
    /// Every account, the hidden one included.
    var accounts: [AccountState]

    enum CodingKeys: String, CodingKey {
        case format, seed, accounts
        case assistantsPerAccount = "assistants_per_account"
        case numbersPerAccount = "numbers_per_account"
    }
}

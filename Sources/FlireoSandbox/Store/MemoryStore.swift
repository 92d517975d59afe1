import NIOConcurrencyHelpers

/// The in-memory store: one locked state per account (no global lock on the request path),
/// plus the set of numbers already ordered from the catalog.
final class MemoryStore: SandboxStore {
    /// How long asynchronous things take, in seconds.
    struct Timing: Sendable, Equatable {
        var orderCompletion: Double
        var groupApproval: Double
    }

    /// Why a state cannot be used.
    struct InvalidState: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    let accounts: [Account]
    private let keyIndex: [Substring: Int]
    let generator: FixtureGenerator
    let catalog: NumberCatalog
    let timing: Timing
    /// Catalog numbers already ordered by any account.
    private let reserved: NIOLockedValueBox<Set<String>>

    /// A store with freshly generated fixtures.
    /// - Parameters:
    ///   - spec: What to generate.
    ///   - apiKeys: The keys, one account each (distinct, non-empty).
    ///   - timing: Order and approval delays.
    init(spec: FixtureSpec, apiKeys: [String], timing: Timing) {
        let generator = FixtureGenerator(spec: spec)
        self.generator = generator
        self.catalog = NumberCatalog(seed: spec.seed)
        self.timing = timing
        let states = generator.accounts(apiKeys: apiKeys)
        self.accounts = states.map(Account.init)
        self.keyIndex = Self.index(states)
        self.reserved = NIOLockedValueBox(Self.orderedNumbers(states))
    }

    /// A store holding a saved state; keys not in it get fresh fixtures.
    /// - Parameters:
    ///   - state: The saved state.
    ///   - apiKeys: Keys to serve besides those of the state.
    ///   - timing: Order and approval delays.
    /// - Throws: `InvalidState` when the state is inconsistent.
    init(state: SandboxState, apiKeys: [String], timing: Timing) throws(InvalidState) {
        guard state.format == SandboxState.currentFormat else {
            throw InvalidState(description: "unsupported state format \(state.format) (expected \(SandboxState.currentFormat))")
        }
        try Self.checkBounds(state)
        let spec = FixtureSpec(seed: state.seed, assistants: state.assistantsPerAccount, numbers: state.numbersPerAccount)
        let generator = FixtureGenerator(spec: spec)
        var states = state.accounts
        let known = Set(states.compactMap(\.apiKey))
        guard known.count == states.filter({ $0.apiKey != nil }).count else {
            throw InvalidState(description: "an API key appears twice")
        }
        if !states.contains(where: { $0.apiKey == nil }) {
            throw InvalidState(description: "the hidden account is missing")
        }
        let defaults = states.first?.defaults ?? generator.defaultNumbers()
        let newKeys = apiKeys.filter { !known.contains($0) }
        states.append(contentsOf: generator.extraAccounts(apiKeys: newKeys, firstRank: states.count, defaults: defaults))
        try Self.checkUniqueNumbers(states)
        self.generator = generator
        self.catalog = NumberCatalog(seed: state.seed)
        self.timing = timing
        self.accounts = states.map(Account.init)
        self.keyIndex = Self.index(states)
        self.reserved = NIOLockedValueBox(Self.orderedNumbers(states))
    }

    /// The keys this store serves, in account order.
    var apiKeys: [String] {
        accounts.compactMap { account in account.with { $0.apiKey } }
    }

    func authenticate(apiKey: Substring) -> AccountRef? {
        keyIndex[apiKey].map(AccountRef.init)
    }

    /// The account behind a reference.
    func account(_ ref: AccountRef) -> Account {
        accounts[ref.index]
    }

    /// Whether an account other than `ref` owns this number.
    func ownedElsewhere(_ numberID: SandboxID, except ref: AccountRef) -> Bool {
        accounts.indices.contains { index in
            index != ref.index && accounts[index].with { $0.numbers[numberID] != nil }
        }
    }

    /// Reserves a catalog number for an order; false when someone ordered it already.
    func reserve(_ number: String) -> Bool {
        reserved.withLockedValue { $0.insert(number).inserted }
    }

    /// Gives a reservation back (the order did not go through).
    func release(_ number: String) {
        _ = reserved.withLockedValue { $0.remove(number) }
    }

    /// Whether a catalog number was ordered already.
    func isReserved(_ number: String) -> Bool {
        reserved.withLockedValue { $0.contains(number) }
    }

    func reset() {
        let keys = apiKeys
        let fresh = generator.accounts(apiKeys: keys)
        var byKey: [String?: AccountState] = [:]
        for state in fresh { byKey[state.apiKey] = state }
        for account in accounts {
            let key = account.with { $0.apiKey }
            if let state = byKey[key] {
                account.replace(with: state)
            }
        }
        let ordered = Self.orderedNumbers(fresh)
        reserved.withLockedValue { $0 = ordered }
    }

    func snapshot() -> SandboxState {
        SandboxState(
            format: SandboxState.currentFormat, seed: generator.spec.seed,
            assistantsPerAccount: generator.spec.assistants, numbersPerAccount: generator.spec.numbers,
            accounts: accounts.map { account in account.with { $0 } }
        )
    }

    private static func index(_ states: [AccountState]) -> [Substring: Int] {
        var index: [Substring: Int] = [:]
        for (position, state) in states.enumerated() {
            if let key = state.apiKey { index[Substring(key)] = position }
        }
        return index
    }

    private static func orderedNumbers(_ states: [AccountState]) -> Set<String> {
        Set(states.flatMap { $0.orders.values.map(\.phoneNumber) })
    }

    /// Refuses numbers a hand-edited or corrupt file may hold and arithmetic would trap on:
    /// negative sizes and counters, timestamps that are not times.
    private static func checkBounds(_ state: SandboxState) throws(InvalidState) {
        let sizes = 0...FixtureSpec.numberCapacity
        guard sizes.contains(state.assistantsPerAccount), sizes.contains(state.numbersPerAccount) else {
            throw InvalidState(description: "assistants_per_account and numbers_per_account must be 0 to \(FixtureSpec.numberCapacity)")
        }
        // Seconds since 1970, up to the year 5000.
        func isTime(_ value: Double) -> Bool { value.isFinite && (0...95_617_584_000).contains(value) }
        for account in state.accounts {
            let rank = account.apiKey == nil ? "the hidden account" : "an account"
            guard account.createdCount >= 0, account.credits >= 0 else {
                throw InvalidState(description: "\(rank) has a negative credits or created_count")
            }
            let times = account.assistants.values.map(\.createdAt) + account.numbers.values.map(\.createdAt)
                + account.defaults.map(\.createdAt) + account.orders.values.flatMap { [$0.orderedAt, $0.completesAt] }
                + account.groups.values.flatMap { [$0.createdAt] + ($0.approvesAt.map { [$0] } ?? []) }
            guard times.allSatisfy(isTime) else {
                throw InvalidState(description: "\(rank) has a timestamp that is not a time (seconds since 1970)")
            }
            guard account.orders.values.allSatisfy({ $0.creditsUsed >= 0 }) else {
                throw InvalidState(description: "\(rank) has an order with negative credits_used")
            }
        }
    }

    private static func checkUniqueNumbers(_ states: [AccountState]) throws(InvalidState) {
        var seen = Set<String>()
        for state in states {
            for number in state.numbers.values where !seen.insert(number.number).inserted {
                throw InvalidState(description: "number \(number.number) belongs to two accounts (were new keys generated with other --numbers than the state file?)")
            }
        }
    }
}

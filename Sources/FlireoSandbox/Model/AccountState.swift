/// Everything one account owns, with the link tables kept consistent by its mutating methods.
///
/// A value type: the store keeps one per account behind that account's lock, and the
/// state file is a list of them.
struct AccountState: Codable, Sendable, Equatable {
    /// The API key that opens this account; nil for the hidden account that only exists to
    /// own numbers other keys may not use (`forbidden`).
    var apiKey: String?
    /// Seed for ids of objects created at run time, so replays give the same ids.
    var idSeed: UInt64
    var credits: Int
    var assistants: [SandboxID: AssistantRecord]
    var assistantOrder: [SandboxID]
    /// The account's own (custom) numbers.
    var numbers: [SandboxID: PhoneNumberRecord]
    var numberOrder: [SandboxID]
    /// The platform's shared default numbers (the same for every account).
    var defaults: [PhoneNumberRecord]
    /// Custom number → the assistant it is linked to.
    var linkedAssistant: [SandboxID: SandboxID]
    /// Assistants currently on a default number.
    var onDefault: Set<SandboxID>
    var orders: [SandboxID: PhoneNumberOrder]
    var orderOrder: [SandboxID]
    var groups: [SandboxID: VerificationGroup]
    var groupOrder: [SandboxID]
    /// How many objects of each kind were created at run time (feeds `idSeed`).
    var createdCount: Int

    /// An empty account.
    /// - Parameters:
    ///   - apiKey: The key, or nil for the hidden account.
    ///   - idSeed: Seed for run-time ids.
    ///   - credits: Starting credits.
    ///   - defaults: The shared default numbers.
    init(apiKey: String?, idSeed: UInt64, credits: Int, defaults: [PhoneNumberRecord]) {
        self.apiKey = apiKey
        self.idSeed = idSeed
        self.credits = credits
        self.assistants = [:]
        self.assistantOrder = []
        self.numbers = [:]
        self.numberOrder = []
        self.defaults = defaults
        self.linkedAssistant = [:]
        self.onDefault = []
        self.orders = [:]
        self.orderOrder = []
        self.groups = [:]
        self.groupOrder = []
        self.createdCount = 0
    }

    /// A fresh deterministic id for an object created at run time.
    mutating func nextID() -> SandboxID {
        createdCount += 1
        var generator = SplitMix64(mixing: idSeed, 0xC0FFEE, UInt64(createdCount))
        return generator.id()
    }

    /// The default number with this id, if it is one.
    func defaultNumber(_ id: SandboxID) -> PhoneNumberRecord? {
        defaults.first(where: { $0.id == id })
    }

    /// The number (own or default) with this id.
    func anyNumber(_ id: SandboxID) -> PhoneNumberRecord? {
        numbers[id] ?? defaultNumber(id)
    }

    /// Adds an assistant at the end of the listing order.
    mutating func insert(_ assistant: AssistantRecord) {
        assistants[assistant.id] = assistant
        assistantOrder.append(assistant.id)
    }

    /// Adds a custom number at the end of the listing order.
    mutating func insert(_ number: PhoneNumberRecord) {
        numbers[number.id] = number
        numberOrder.append(number.id)
    }

    /// Adds an order at the end of the listing order.
    mutating func insert(_ order: PhoneNumberOrder) {
        orders[order.id] = order
        orderOrder.append(order.id)
    }

    /// Adds a verification group at the end of the listing order.
    mutating func insert(_ group: VerificationGroup) {
        groups[group.id] = group
        groupOrder.append(group.id)
    }
}

extension AccountState {
    /// The on-disk form: tables as ordered arrays, link tables rebuilt on load.
    private enum Stored: String, CodingKey {
        case apiKey = "api_key", idSeed = "id_seed", credits, assistants, numbers, defaults, orders, groups
        case createdCount = "created_count"
    }

    /// Encodes the ordered arrays (the lookup tables are derived).
    /// - Parameter encoder: The encoder.
    /// - Throws: What the encoder throws.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Stored.self)
        try container.encode(apiKey, forKey: .apiKey)
        try container.encode(idSeed, forKey: .idSeed)
        try container.encode(credits, forKey: .credits)
        try container.encode(assistantOrder.compactMap { assistants[$0] }, forKey: .assistants)
        try container.encode(numberOrder.compactMap { numbers[$0] }, forKey: .numbers)
        try container.encode(defaults, forKey: .defaults)
        try container.encode(orderOrder.compactMap { orders[$0] }, forKey: .orders)
        try container.encode(groupOrder.compactMap { groups[$0] }, forKey: .groups)
        try container.encode(createdCount, forKey: .createdCount)
    }

    /// Decodes and checks the tables, rebuilding the link indexes.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the data is malformed or inconsistent.
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Stored.self)
        self.init(
            apiKey: try container.decodeIfPresent(String.self, forKey: .apiKey),
            idSeed: try container.decode(UInt64.self, forKey: .idSeed),
            credits: try container.decode(Int.self, forKey: .credits),
            defaults: try container.decode([PhoneNumberRecord].self, forKey: .defaults)
        )
        createdCount = try container.decode(Int.self, forKey: .createdCount)
        for number in try container.decode([PhoneNumberRecord].self, forKey: .numbers) {
            guard numbers[number.id] == nil, number.origin == .custom else {
                throw DecodingError.dataCorruptedError(forKey: .numbers, in: container, debugDescription: "duplicate or non-custom number \(number.id)")
            }
            insert(number)
        }
        for assistant in try container.decode([AssistantRecord].self, forKey: .assistants) {
            guard assistants[assistant.id] == nil else {
                throw DecodingError.dataCorruptedError(forKey: .assistants, in: container, debugDescription: "duplicate assistant \(assistant.id)")
            }
            if let numberID = assistant.phoneNumberID {
                if numbers[numberID] != nil {
                    guard linkedAssistant.updateValue(assistant.id, forKey: numberID) == nil else {
                        throw DecodingError.dataCorruptedError(forKey: .assistants, in: container, debugDescription: "number \(numberID) linked twice")
                    }
                } else if defaultNumber(numberID) != nil {
                    onDefault.insert(assistant.id)
                } else {
                    throw DecodingError.dataCorruptedError(forKey: .assistants, in: container, debugDescription: "assistant \(assistant.id) linked to unknown number \(numberID)")
                }
            }
            insert(assistant)
        }
        for order in try container.decode([PhoneNumberOrder].self, forKey: .orders) { insert(order) }
        for group in try container.decode([VerificationGroup].self, forKey: .groups) { insert(group) }
    }
}

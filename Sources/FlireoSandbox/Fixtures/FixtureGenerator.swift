/// Builds the accounts of a fixture spec. Deterministic: ids derive from (seed, key, kind,
/// index), numbers from (seed, the key's rank), so equal specs give equal data.
///
/// Layout of every account (as far as its sizes allow):
/// - assistant 0 is linked to custom number 0 (a local number with a locality);
/// - assistant 1 has no number;
/// - assistants 2 and 3 share default number 0, assistant 4 uses default number 1
///   (legacy state: linking any default number releases the others);
/// - from assistant 5 on, about 60 % are linked to the custom number of the same index;
/// - custom numbers 1–4 and those past the last assistant are free;
/// - verification groups: approved (Amsterdam), pending (Rotterdam, never auto-approved),
///   rejected (Utrecht); two past orders (success).
/// A hidden account without a key owns a few numbers: linking one gives `forbidden`.
struct FixtureGenerator: Sendable {
    let spec: FixtureSpec

    /// The key under which the hidden account's data is derived (never a valid API key).
    static let hiddenAccountSalt = "\u{0}hidden"

    /// Generates every account: one per key, in the given order, then the hidden account.
    /// - Parameter apiKeys: The keys, distinct.
    /// - Returns: The accounts.
    func accounts(apiKeys: [String]) -> [AccountState] {
        var accounts = extraAccounts(apiKeys: apiKeys, firstRank: 0, defaults: defaultNumbers())
        accounts.append(account(
            apiKey: nil, rank: apiKeys.count, assistants: FixtureSpec.hiddenAssistants,
            numbers: FixtureSpec.hiddenNumbers, defaults: defaultNumbers()
        ))
        return accounts
    }

    /// Accounts for keys added to an existing state (a state file): their numbers use ranks
    /// from `firstRank` on, past those the existing accounts used.
    /// - Parameters:
    ///   - apiKeys: The new keys.
    ///   - firstRank: The first unused rank.
    ///   - defaults: The existing shared default numbers.
    /// - Returns: The accounts, in the order of `apiKeys`.
    func extraAccounts(apiKeys: [String], firstRank: Int, defaults: [PhoneNumberRecord]) -> [AccountState] {
        // Ranks follow the sorted keys, so the order of --api-key flags does not matter.
        let ranks = Dictionary(uniqueKeysWithValues: apiKeys.sorted().enumerated().map { ($1, firstRank + $0) })
        return apiKeys.map { key in
            account(apiKey: key, rank: ranks[key] ?? firstRank, assistants: spec.assistants, numbers: spec.numbers, defaults: defaults)
        }
    }

    /// The shared default numbers: national numbers, one of unknown type.
    func defaultNumbers() -> [PhoneNumberRecord] {
        var generator = SplitMix64(mixing: spec.seed, 0xDEFA)
        return (0..<FixtureSpec.defaultNumberCount).map { index in
            let digits = String(8_000_000 + generator.below(1_000_000))
            let untyped = index == FixtureSpec.defaultNumberCount - 1
            return PhoneNumberRecord(
                id: generator.id(),
                number: (untyped ? Locality.untypedPrefix : Locality.nationalPrefixes[index % 2]) + digits,
                type: untyped ? nil : .national, locality: nil, origin: .default,
                createdAt: FixtureSpec.epoch - 86_400 * Double(30 - index)
            )
        }
    }

    private func account(
        apiKey: String?, rank: Int, assistants assistantCount: Int, numbers numberCount: Int, defaults: [PhoneNumberRecord]
    ) -> AccountState {
        let keySeed = SplitMix64.hash(apiKey ?? Self.hiddenAccountSalt)
        var state = AccountState(
            apiKey: apiKey, idSeed: SplitMix64.mix(spec.seed ^ keySeed), credits: spec.credits, defaults: defaults
        )
        let numberSlots = max(spec.numbers, FixtureSpec.hiddenNumbers)
        var numbers = SplitMix64(mixing: spec.seed, keySeed, 0x4E55)
        var offsets = SplitMix64(mixing: spec.seed, 0x5B5)
        let subscriberOffset = offsets.below(FixtureSpec.numberCapacity)
        let span = 330 * 86_400.0
        for index in 0..<numberCount {
            let slot = rank * numberSlots + index
            // A bijection on the subscriber space (4000037 is coprime with 6·10^6): unique numbers.
            let subscriber = 1_000_000 + (slot * 4_000_037 + subscriberOffset) % FixtureSpec.numberCapacity
            state.insert(customNumber(
                index: index, subscriber: subscriber, generator: &numbers,
                createdAt: FixtureSpec.epoch + span * Double(index) / Double(max(numberCount, 1))
            ))
        }
        var people = SplitMix64(mixing: spec.seed, keySeed, 0xA551)
        for index in 0..<assistantCount {
            let assistant = AssistantRecord(
                id: people.id(), name: AssistantNames.draw(&people),
                createdAt: FixtureSpec.epoch + 3600 + span * Double(index) / Double(max(assistantCount, 1)) + Double(people.below(3600)),
                phoneNumberID: nil
            )
            state.insert(assistant)
            linkInitially(assistant.id, index: index, state: &state, generator: &people)
        }
        addGroupsAndOrders(to: &state, keySeed: keySeed)
        return state
    }

    private func customNumber(index: Int, subscriber: Int, generator: inout SplitMix64, createdAt: Double) -> PhoneNumberRecord {
        let id = generator.id()
        let roll = index == 0 ? 0 : generator.below(100)
        let digits = String(subscriber)
        switch roll {
        case 0..<60:
            let place = generator.pick(Locality.all)
            return PhoneNumberRecord(id: id, number: place.prefix + digits, type: .local, locality: place.name, origin: .custom, createdAt: createdAt)
        case 60..<80:
            let number = Locality.mobilePrefix + digits + String(generator.below(10))
            return PhoneNumberRecord(id: id, number: number, type: .mobile, locality: nil, origin: .custom, createdAt: createdAt)
        case 80..<95:
            let number = generator.pick(Locality.nationalPrefixes) + digits
            return PhoneNumberRecord(id: id, number: number, type: .national, locality: nil, origin: .custom, createdAt: createdAt)
        default:
            return PhoneNumberRecord(id: id, number: Locality.untypedPrefix + digits, type: nil, locality: nil, origin: .custom, createdAt: createdAt)
        }
    }

    private func linkInitially(_ assistantID: SandboxID, index: Int, state: inout AccountState, generator: inout SplitMix64) {
        let defaults = state.defaults
        let numberID: SandboxID?
        switch index {
        case 0: numberID = state.numberOrder.first
        case 1: numberID = nil
        case 2, 3: numberID = defaults.first?.id
        case 4: numberID = defaults.dropFirst().first?.id
        default:
            let linked = generator.below(10) < 6
            numberID = linked && index < state.numberOrder.count ? state.numberOrder[index] : nil
        }
        guard let numberID, let number = state.anyNumber(numberID) else { return }
        state.assistants[assistantID]?.phoneNumberID = numberID
        if number.origin == .default {
            state.onDefault.insert(assistantID)
        } else {
            state.linkedAssistant[numberID] = assistantID
        }
    }

    private func addGroupsAndOrders(to state: inout AccountState, keySeed: UInt64) {
        var generator = SplitMix64(mixing: spec.seed, keySeed, 0x6209)
        let business = generator.pick(["Acme Support B.V.", "Noordzee Logistiek B.V.", "Bakkerij de Vries", "Tandartspraktijk Centrum", "Fietsenwinkel Jansen"])
        let plans: [(String, VerificationGroup.Status)] = [("Amsterdam", .approved), ("Rotterdam", .pending), ("Utrecht", .rejected)]
        for (offset, plan) in plans.enumerated() {
            var group = VerificationGroup(
                id: generator.id(), name: "\(business) — \(plan.0)", phoneNumberType: .local, status: .pending,
                locality: plan.0, businessName: business, description: offset == 0 ? "Main office" : nil,
                contact: [
                    "contact_person_first_name": "Sanne", "contact_person_last_name": "de Vries",
                    "contact_person_phone": "+31612345678", "street_name": "Keizersgracht",
                    "house_number": String(100 + offset), "postal_code": "1015 CJ", "city": plan.0, "province": "Noord-Holland",
                ],
                createdAt: FixtureSpec.epoch - 86_400 * Double(60 - offset), approvesAt: nil,
                documents: [
                    .init(id: generator.id(), type: "business_registration", status: "pending"),
                    .init(id: generator.id(), type: "proof_of_address", status: "pending"),
                ]
            )
            group.setStatus(plan.1)
            state.insert(group)
        }
        let approved = state.groupOrder.first
        for numberID in state.numberOrder.prefix(2) {
            guard let number = state.numbers[numberID] else { continue }
            let id = generator.id()
            let references = PhoneNumberOrder.externalReferences(order: id, number: number.id)
            state.insert(PhoneNumberOrder(
                id: id, phoneNumber: number.number, numberType: number.type ?? .national, locality: number.locality,
                status: .success, creditsUsed: AccountState.orderCost, orderedAt: number.createdAt - 3600,
                completesAt: number.createdAt, verificationGroupID: number.type == .local ? approved : nil,
                phoneNumberID: number.id, externalOrderID: references.order, externalSubOrderID: references.subOrder
            ))
        }
    }
}

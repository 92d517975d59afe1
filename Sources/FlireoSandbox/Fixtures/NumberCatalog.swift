/// The numbers that can be ordered: a fixed, seed-derived list per type (and per locality
/// for local numbers). Catalog subscribers start with 9, fixture numbers never do, so an
/// ordered number can never collide with an existing one.
struct NumberCatalog: Sendable {
    /// One orderable number.
    struct Candidate: Sendable, Equatable {
        var number: String
        var type: PhoneNumberType
        var locality: String?

        /// Voice everywhere, SMS on mobile numbers.
        var features: [String] { type == .mobile ? ["voice", "sms"] : ["voice"] }
        /// Monthly price in EUR, as the API's string.
        var monthly: String {
            switch type {
            case .local: return "1.50"
            case .mobile: return "3.50"
            case .national: return "2.00"
            }
        }
    }

    /// How many candidates each list has.
    static let size = 120

    let seed: UInt64

    /// The candidates for a type; local numbers need the locality of a verification group.
    /// - Parameters:
    ///   - type: The number type.
    ///   - locality: The locality (local numbers only).
    /// - Returns: The list, in a stable order.
    func candidates(_ type: PhoneNumberType, locality: Locality? = nil) -> [Candidate] {
        var generator = SplitMix64(mixing: seed, 0xCA7A, SplitMix64.hash(type.rawValue), SplitMix64.hash(locality?.name ?? ""))
        let offset = generator.below(1_000_000)
        return (0..<Self.size).map { index in
            // A bijection on 0..<10^6 (7919 is coprime with 10^6): distinct subscribers, no retries.
            let subscriber = (index * 7919 + offset) % 1_000_000
            let digits = String(9_000_000 + subscriber)
            switch type {
            case .mobile:
                // Mobile numbers have 8 subscriber digits after +316.
                return Candidate(number: Locality.mobilePrefix + digits + String(index % 10), type: .mobile, locality: nil)
            case .national:
                return Candidate(number: Locality.nationalPrefixes[index % 2] + digits, type: .national, locality: nil)
            case .local:
                let place = locality ?? Locality.all[0]
                return Candidate(number: place.prefix + digits, type: .local, locality: place.name)
            }
        }
    }
}

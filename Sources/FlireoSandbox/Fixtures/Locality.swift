/// A city with its geographic dialling prefix, for realistic local numbers.
struct Locality: Sendable, Equatable {
    /// The city name as the API shows it.
    var name: String
    /// Country code and area code without the trunk 0 (`+3120` for Amsterdam).
    var prefix: String

    /// Dutch and Belgian cities; every prefix leaves 7 subscriber digits (E.164, 11 digits).
    static let all: [Locality] = [
        Locality(name: "Amsterdam", prefix: "+3120"),
        Locality(name: "Rotterdam", prefix: "+3110"),
        Locality(name: "Den Haag", prefix: "+3170"),
        Locality(name: "Utrecht", prefix: "+3130"),
        Locality(name: "Eindhoven", prefix: "+3140"),
        Locality(name: "Groningen", prefix: "+3150"),
        Locality(name: "Tilburg", prefix: "+3113"),
        Locality(name: "Almere", prefix: "+3136"),
        Locality(name: "Breda", prefix: "+3176"),
        Locality(name: "Nijmegen", prefix: "+3124"),
        Locality(name: "Haarlem", prefix: "+3123"),
        Locality(name: "Arnhem", prefix: "+3126"),
        Locality(name: "Zwolle", prefix: "+3138"),
        Locality(name: "Maastricht", prefix: "+3143"),
        Locality(name: "Leiden", prefix: "+3171"),
        Locality(name: "Enschede", prefix: "+3153"),
        Locality(name: "Brussel", prefix: "+322"),
        Locality(name: "Antwerpen", prefix: "+323"),
        Locality(name: "Gent", prefix: "+329"),
    ]

    /// The locality for a city name (case-insensitive); an unknown city keeps its name and
    /// gets a stable prefix from the list, so any verification group can order numbers.
    /// - Parameter city: The city.
    /// - Returns: The locality.
    static func named(_ city: String) -> Locality {
        let key = city.lowercased()
        if let known = all.first(where: { $0.name.lowercased() == key }) {
            return known
        }
        let fallback = all[Int(SplitMix64.hash(key) % UInt64(all.count))]
        return Locality(name: city, prefix: fallback.prefix)
    }

    /// National (non-geographic) prefixes: 085 and 088.
    static let nationalPrefixes = ["+3185", "+3188"]
    /// The mobile prefix; 8 subscriber digits follow.
    static let mobilePrefix = "+316"
    /// Numbers of unknown type: 084 (personal numbers), shown with type and locality null.
    static let untypedPrefix = "+3184"
}

/// A 128-bit identifier rendered as a lowercase RFC 4122 UUID string.
///
/// Kept as two integers rather than Foundation's `UUID` so that hashing, parsing and
/// formatting on the request path cost no allocation beyond the output string.
struct SandboxID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The high 64 bits.
    let high: UInt64
    /// The low 64 bits.
    let low: UInt64

    /// Creates an identifier from its two halves, unchanged.
    /// - Parameters:
    ///   - high: The high 64 bits.
    ///   - low: The low 64 bits.
    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Creates a version-4 style identifier from two random words (sets the version and variant bits).
    /// - Parameters:
    ///   - random1: The first random word.
    ///   - random2: The second random word.
    init(random random1: UInt64, _ random2: UInt64) {
        self.high = (random1 & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        self.low = (random2 & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
    }

    /// Parses `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (either case); nil for anything else.
    /// - Parameter string: The candidate text.
    init?(_ string: some StringProtocol) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var digits = 0
        var position = 0
        for byte in string.utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let value = Self.hexValue(byte) else { return nil }
            if digits < 16 {
                high = high << 4 | UInt64(value)
            } else {
                low = low << 4 | UInt64(value)
            }
            digits += 1
        }
        guard position == 36, digits == 32 else { return nil }
        self.high = high
        self.low = low
    }

    /// The lowercase hyphenated form.
    var description: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            let hex: StaticString = "0123456789abcdef"
            var index = 0
            func put(_ word: UInt64, nibbles: ClosedRange<Int>) {
                for shift in nibbles.reversed() {
                    buffer[index] = hex.utf8Start[Int((word >> UInt64(shift * 4)) & 0xF)]
                    index += 1
                }
            }
            put(high >> 32, nibbles: 0...7)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(high >> 16, nibbles: 0...3)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(high, nibbles: 0...3)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(low >> 48, nibbles: 0...3)
            buffer[index] = UInt8(ascii: "-"); index += 1
            put(low, nibbles: 0...11)
            return index
        }
    }

    /// Orders by value, which is the order of the lowercase strings.
    static func < (lhs: SandboxID, rhs: SandboxID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}

extension SandboxID: Codable {
    /// Decodes the string form.
    /// - Parameter decoder: The decoder to read from.
    /// - Throws: `DecodingError.dataCorrupted` when the string is not a UUID.
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = SandboxID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a UUID: \(text)")
        }
        self = id
    }

    /// Encodes the string form.
    /// - Parameter encoder: The encoder to write to.
    /// - Throws: What the encoder throws.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

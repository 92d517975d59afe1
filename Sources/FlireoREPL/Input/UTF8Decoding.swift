/// Decoding one Unicode scalar from the front of a byte buffer, strictly: overlong
/// forms, surrogates and values past U+10FFFF are invalid.
enum UTF8Decoding {
    enum Result: Equatable {
        /// A scalar and how many bytes it took.
        case scalar(UInt32, length: Int)
        /// The bytes so far start a valid sequence that needs more.
        case incomplete
        /// The first byte cannot start a valid sequence here: skip one byte.
        case invalid
    }

    /// Decodes the scalar at the start of `bytes`.
    static func decode(_ bytes: ArraySlice<UInt8>) -> Result {
        guard let lead = bytes.first else { return .incomplete }
        if lead < 0x80 { return .scalar(UInt32(lead), length: 1) }
        let length: Int
        var scalar: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; scalar = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; scalar = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; scalar = UInt32(lead & 0x07)
        default: return .invalid
        }
        var index = bytes.startIndex + 1
        for position in 1..<length {
            guard index < bytes.endIndex else { return .incomplete }
            let byte = bytes[index]
            guard byte & 0xC0 == 0x80 else { return .invalid }
            // The second byte's range rules out overlongs, surrogates and > U+10FFFF.
            if position == 1 {
                switch lead {
                case 0xE0 where byte < 0xA0, 0xED where byte > 0x9F, 0xF0 where byte < 0x90, 0xF4 where byte > 0x8F:
                    return .invalid
                default: break
                }
            }
            scalar = scalar << 6 | UInt32(byte & 0x3F)
            index += 1
        }
        return .scalar(scalar, length: length)
    }
}

/// Writes a ``JSONValue`` as compact UTF-8 JSON, keys in their stored order.
enum JSONWriter {
    /// What to do with a NaN or infinite float, which JSON cannot represent.
    enum NonFinitePolicy {
        /// Write `null` (for display).
        case null
        /// Stop and report it (for request bodies, where `null` would change the meaning).
        case reject
    }

    /// A non-finite float met under ``NonFinitePolicy/reject``.
    struct NonFiniteNumber: Error {}

    static func bytes(for value: JSONValue, nonFinite: NonFinitePolicy) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(64)
        // `.null` never throws.
        _ = try? write(value, into: &output, nonFinite: nonFinite)
        return output
    }

    static func write(_ value: JSONValue, into output: inout [UInt8], nonFinite: NonFinitePolicy) throws(NonFiniteNumber) {
        switch value {
        case .null:
            output.append(contentsOf: "null".utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .integer(let number):
            output.append(contentsOf: String(number).utf8)
        case .double(let number):
            guard number.isFinite else {
                if case .reject = nonFinite { throw NonFiniteNumber() }
                output.append(contentsOf: "null".utf8)
                return
            }
            // Swift's shortest round-trip form ("0.1", "1e+20") is valid JSON.
            output.append(contentsOf: number.description.utf8)
        case .string(let text):
            writeString(text, into: &output)
        case .array(let items):
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                try write(item, into: &output, nonFinite: nonFinite)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (position, entry) in object.entries.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                writeString(entry.key, into: &output)
                output.append(UInt8(ascii: ":"))
                try write(entry.value, into: &output, nonFinite: nonFinite)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}

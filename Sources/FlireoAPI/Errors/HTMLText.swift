/// Just enough HTML handling to quote a proxy's error page in one readable line.
enum HTMLText {
    /// The text of the first `<title>` element, if any and not empty.
    static func title(of html: String) -> String? {
        let bytes = Array(html.utf8)
        guard let open = find("<title", in: bytes, from: 0),
            let openEnd = bytes[open...].firstIndex(of: UInt8(ascii: ">")),
            let close = find("</title", in: bytes, from: openEnd)
        else { return nil }
        let title = collapsingWhitespace(String(decoding: bytes[(openEnd + 1)..<close], as: UTF8.self))
        return title.isEmpty ? nil : title
    }

    /// The offset of an ASCII `needle` in `bytes` at or after `start`, ignoring ASCII case.
    private static func find(_ needle: String, in bytes: [UInt8], from start: Int) -> Int? {
        let pattern = Array(needle.utf8)
        guard bytes.count >= pattern.count, start <= bytes.count - pattern.count else { return nil }
        for offset in start...(bytes.count - pattern.count) {
            var matches = true
            for (index, expected) in pattern.enumerated() where lowered(bytes[offset + index]) != expected {
                matches = false
                break
            }
            if matches { return offset }
        }
        return nil
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    /// The text with every `<…>` tag replaced by a space.
    static func strippingTags(_ html: String) -> String {
        var result = ""
        var insideTag = false
        for character in html {
            switch character {
            case "<": insideTag = true
            case ">" where insideTag:
                insideTag = false
                result.append(" ")
            default:
                if !insideTag { result.append(character) }
            }
        }
        return result
    }

    /// The common named entities and numeric references replaced by their characters.
    static func decodingEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var result = text
        for (entity, replacement) in [
            ("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'"), ("&apos;", "'"),
            ("&amp;", "&"),
        ] {
            result = result.replacing(entity, with: replacement)
        }
        return result
    }

    /// Runs of whitespace collapsed to one space, trimmed.
    static func collapsingWhitespace(_ text: String) -> String {
        text.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
